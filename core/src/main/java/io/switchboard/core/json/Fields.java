package io.switchboard.core.json;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.switchboard.core.error.SwitchboardException;

import java.util.ArrayList;
import java.util.List;

/**
 * Typed reads of fields of a JSON object, each failure a BAD_REQUEST naming the field. Used by
 * every parser of client input (native messages, HTTP bodies, admin API, adapters), so the same
 * mistake gets the same message everywhere. A missing field or JSON null reads as absent.
 */
public final class Fields {
    private Fields() {
    }

    public static String text(JsonNode obj, String field) {
        return text(obj, field, field);
    }

    /** {@code name} is what the error calls the field (e.g. {@code since.epoch}). */
    public static String text(JsonNode obj, String field, String name) {
        JsonNode n = obj.get(field);
        if (n == null || n.isNull()) {
            return null;
        }
        if (!n.isTextual()) {
            throw SwitchboardException.badRequest(name, "must be a string");
        }
        return n.asText();
    }

    public static String requiredText(JsonNode obj, String field) {
        String s = text(obj, field);
        if (s == null) {
            throw SwitchboardException.badRequest(field, "is required");
        }
        return s;
    }

    public static boolean bool(JsonNode obj, String field) {
        JsonNode n = obj.get(field);
        if (n == null || n.isNull()) {
            return false;
        }
        if (!n.isBoolean()) {
            throw SwitchboardException.badRequest(field, "must be a boolean");
        }
        return n.asBoolean();
    }

    public static Long longOrNull(JsonNode obj, String field) {
        return longOrNull(obj, field, field);
    }

    public static Long longOrNull(JsonNode obj, String field, String name) {
        JsonNode n = obj.get(field);
        if (n == null || n.isNull()) {
            return null;
        }
        if (!n.isIntegralNumber() || !n.canConvertToLong()) {
            throw SwitchboardException.badRequest(name, "must be an integer");
        }
        return n.asLong();
    }

    public static long requiredLong(JsonNode obj, String field, String name) {
        Long v = longOrNull(obj, field, name);
        if (v == null) {
            throw SwitchboardException.badRequest(name, "is required");
        }
        return v;
    }

    public static Integer intOrNull(JsonNode obj, String field, int min, int max) {
        Long v = longOrNull(obj, field);
        if (v == null) {
            return null;
        }
        if (v < min || v > max) {
            throw SwitchboardException.badRequest(field, "must be between " + min + " and " + max);
        }
        return v.intValue();
    }

    public static ObjectNode objectOrNull(JsonNode obj, String field) {
        JsonNode n = obj.get(field);
        if (n == null || n.isNull()) {
            return null;
        }
        if (!n.isObject()) {
            throw SwitchboardException.badRequest(field, "must be an object");
        }
        return (ObjectNode) n;
    }

    public static List<String> stringList(JsonNode obj, String field) {
        JsonNode n = obj.get(field);
        if (n == null || n.isNull()) {
            return null;
        }
        if (!n.isArray()) {
            throw SwitchboardException.badRequest(field, "must be an array of strings");
        }
        List<String> out = new ArrayList<>(n.size());
        for (JsonNode s : n) {
            if (!s.isTextual()) {
                throw SwitchboardException.badRequest(field, "must be an array of strings");
            }
            out.add(s.asText());
        }
        return out;
    }

    /**
     * Refuses a field of {@code obj} that is not in {@code allowed}: a misspelled option must
     * fail by name rather than be ignored ({@code prefix} names the enclosing object, e.g.
     * {@code "since."}; empty for a top-level message).
     */
    public static void allowOnly(JsonNode obj, String prefix, java.util.Collection<String> allowed) {
        if (obj == null || !obj.isObject()) {
            return;
        }
        java.util.Iterator<String> names = obj.fieldNames();
        while (names.hasNext()) {
            String n = names.next();
            if (!allowed.contains(n)) {
                throw SwitchboardException.badRequest(prefix + n, "is not a known field"
                        + (prefix.isEmpty() ? "" : " of '" + prefix.substring(0, prefix.length() - 1) + "'")
                        + "; known: " + String.join(", ", new java.util.TreeSet<>(allowed)));
            }
        }
    }
}
