package io.switchboard.core.store;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.switchboard.core.error.ErrorCode;
import io.switchboard.core.error.SwitchboardException;
import io.switchboard.core.json.Json;
import io.switchboard.core.model.Document;

import java.util.List;

/**
 * The arithmetic of an increment, shared by every store's writer so they all compute the same
 * document: the number at {@code field} (a list of object keys, outermost first) plus {@code by}.
 * A missing document, key or {@code null} counts as 0 and is created. Two whole numbers add
 * exactly (64-bit, overflow refused); otherwise the sum is a double. Pure: the caller applies the
 * result inside its writer, which is what makes the read-modify-write atomic.
 */
public final class Increments {
    private Increments() {
    }

    /** The document's data after the increment; {@code existing} may be null. */
    public static ObjectNode apply(Document existing, List<String> field, JsonNode by) {
        String name = name(field);
        if (by == null || !by.isNumber()) {
            throw SwitchboardException.badRequest("by", "must be a number");
        }
        JsonNode data = existing == null ? null : existing.data();
        ObjectNode root;
        if (data == null || data.isNull()) {
            root = Json.object();
        } else if (data.isObject()) {
            root = ((ObjectNode) data).deepCopy();
        } else {
            throw invalid(name, "the document at " + existing.path() + " is not an object");
        }
        ObjectNode at = root;
        for (int i = 0; i < field.size() - 1; i++) {
            JsonNode next = at.get(field.get(i));
            if (next == null || next.isNull()) {
                at = at.putObject(field.get(i));
            } else if (next.isObject()) {
                at = (ObjectNode) next;
            } else {
                throw invalid(name, "'" + name(field.subList(0, i + 1)) + "' is not an object");
            }
        }
        String leaf = field.get(field.size() - 1);
        at.set(leaf, sum(name, at.get(leaf), by));
        return root;
    }

    /** The number at {@code field} in {@code data}, or null when there is none. */
    public static JsonNode valueAt(JsonNode data, List<String> field) {
        JsonNode at = data;
        for (String k : field) {
            if (at == null || !at.isObject()) {
                return null;
            }
            at = at.get(k);
        }
        return at;
    }

    /** The field as it is written on the wire: its keys joined by dots. */
    public static String name(List<String> field) {
        return String.join(".", field);
    }

    private static JsonNode sum(String name, JsonNode current, JsonNode by) {
        if (current == null || current.isNull()) {
            return by.deepCopy();
        }
        if (!current.isNumber()) {
            throw invalid(name, "holds " + current.getNodeType().name().toLowerCase(java.util.Locale.ROOT)
                    + ", not a number");
        }
        if (current.isIntegralNumber() && by.isIntegralNumber() && current.canConvertToLong() && by.canConvertToLong()) {
            try {
                long v = Math.addExact(current.longValue(), by.longValue());
                // The node a JSON reader gives for this number, so the stored and the read-back document are equal.
                return v == (int) v ? JsonNodeFactory.instance.numberNode((int) v) : JsonNodeFactory.instance.numberNode(v);
            } catch (ArithmeticException e) {
                throw invalid(name, "would overflow a 64-bit integer");
            }
        }
        double d = current.doubleValue() + by.doubleValue();
        if (!Double.isFinite(d)) {
            throw invalid(name, "would not be a finite number");
        }
        return JsonNodeFactory.instance.numberNode(d);
    }

    private static SwitchboardException invalid(String name, String problem) {
        return new SwitchboardException(ErrorCode.VALIDATION_FAILED, "cannot increment '" + name + "': " + problem);
    }
}
