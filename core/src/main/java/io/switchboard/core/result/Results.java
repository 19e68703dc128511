package io.switchboard.core.result;

import io.switchboard.core.model.Document;

import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;

/** Path mapping of documents, shared by the result types. */
final class Results {
    private Results() {
    }

    /** {@code d} at its mapped path, {@code d} itself when unchanged, or null when hidden. */
    static Document map(Document d, UnaryOperator<String> map) {
        String p = map.apply(d.path());
        if (p == null) {
            return null;
        }
        return p.equals(d.path()) ? d : new Document(p, d.data(), d.meta());
    }

    static List<Document> mapAll(List<Document> docs, UnaryOperator<String> map) {
        List<Document> out = new ArrayList<>(docs.size());
        for (Document d : docs) {
            Document m = map(d, map);
            if (m != null) {
                out.add(m);
            }
        }
        return out;
    }
}
