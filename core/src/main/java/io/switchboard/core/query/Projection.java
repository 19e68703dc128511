package io.switchboard.core.query;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.switchboard.core.json.Json;

import java.util.List;

/** A query's {@code fields}: keeps only the given dotted fields, nested as in the original. */
public final class Projection {
    private Projection() {
    }

    /** The projected copy of {@code data}; non-objects and an empty field list pass unchanged. */
    public static JsonNode apply(JsonNode data, List<String> fields) {
        if (data == null || !data.isObject() || fields.isEmpty()) {
            return data;
        }
        ObjectNode out = Json.object();
        for (String field : fields) {
            String[] parts = field.split("\\.");
            JsonNode src = data;
            for (String p : parts) {
                src = src != null && src.isObject() ? src.get(p) : null;
            }
            if (src == null) {
                continue;
            }
            ObjectNode dst = out;
            for (int i = 0; i < parts.length - 1; i++) {
                JsonNode next = dst.get(parts[i]);
                dst = next instanceof ObjectNode o ? o : dst.putObject(parts[i]);
            }
            dst.set(parts[parts.length - 1], src.deepCopy());
        }
        return out;
    }
}
