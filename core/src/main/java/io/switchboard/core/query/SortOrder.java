package io.switchboard.core.query;

import com.fasterxml.jackson.databind.JsonNode;
import io.switchboard.core.json.Json;
import io.switchboard.core.model.Document;

import java.util.Comparator;
import java.util.List;

/**
 * The reference order of a sorted query, which every store's translation reproduces. Values of
 * a sort field rank by kind: missing or null, then false, true, numbers (by value), strings (by
 * code point, see {@link #compareText}), and last arrays and objects (by their JSON text). A descending
 * key reverses that order. Ties, and queries without a sort, fall back to the path ascending,
 * so pages are stable.
 */
public final class SortOrder {
    /** Rank of a missing or null value. */
    public static final int NULL = 0;
    public static final int FALSE = 1;
    public static final int TRUE = 2;
    public static final int NUMBER = 3;
    public static final int STRING = 4;
    public static final int CONTAINER = 5;

    private SortOrder() {
    }

    /** The comparator for {@code keys}, ending with the path. */
    public static Comparator<Document> of(List<SortKey> keys) {
        Comparator<Document> c = null;
        for (SortKey k : keys) {
            Comparator<Document> one = (a, b) -> compareValues(
                    CriteriaMatcher.resolve(a, k.field()), CriteriaMatcher.resolve(b, k.field()));
            if (!k.ascending()) {
                one = one.reversed();
            }
            c = c == null ? one : c.thenComparing(one);
        }
        Comparator<Document> byPath = (a, b) -> compareText(a.path(), b.path());
        return c == null ? byPath : c.thenComparing(byPath);
    }

    /** The rank of a value's kind (see the class comment). */
    public static int rank(JsonNode v) {
        if (v == null || v.isNull() || v.isMissingNode()) {
            return NULL;
        }
        if (v.isBoolean()) {
            return v.booleanValue() ? TRUE : FALSE;
        }
        if (v.isNumber()) {
            return NUMBER;
        }
        return v.isTextual() ? STRING : CONTAINER;
    }

    /**
     * Strings compare by Unicode code point: the order of their UTF-8 bytes, which is what SQL
     * databases give with a binary ("C") collation, so stores need no collation of their own.
     * (Java's {@code compareTo} orders by UTF-16 unit and puts U+1F600 before U+E000.)
     */
    public static int compareText(String a, String b) {
        int n = Math.min(a.length(), b.length());
        for (int i = 0; i < n; i++) {
            char x = a.charAt(i);
            char y = b.charAt(i);
            if (x != y) {
                boolean sx = Character.isSurrogate(x);
                boolean sy = Character.isSurrogate(y);
                if (sx != sy) {
                    return sx ? 1 : -1; // a surrogate starts a code point above every BMP unit
                }
                return Character.compare(x, y);
            }
        }
        return Integer.compare(a.length(), b.length());
    }

    static int compareValues(JsonNode a, JsonNode b) {
        int ra = rank(a);
        int rb = rank(b);
        if (ra != rb) {
            return Integer.compare(ra, rb);
        }
        return switch (ra) {
            case NUMBER -> a.decimalValue().compareTo(b.decimalValue());
            case STRING -> compareText(a.asText(), b.asText());
            case CONTAINER -> Json.write(a).compareTo(Json.write(b));
            default -> 0;
        };
    }
}
