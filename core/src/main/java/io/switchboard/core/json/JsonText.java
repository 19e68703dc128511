package io.switchboard.core.json;

import com.fasterxml.jackson.databind.JsonNode;
import io.switchboard.core.error.SwitchboardException;

import java.util.ArrayDeque;
import java.util.Iterator;
import java.util.Map;

/**
 * Well-formed client values: numbers a stored number can hold ({@link ClientNumbers}) and
 * well-formed Unicode. JSON's {@code \ud800} escape can spell a lone UTF-16
 * surrogate, which is no character at all: stored as UTF-8 it becomes {@code ?} or U+FFFD, so
 * {@code /zone/\ud800x} would alias {@code /zone/?x} and slip past a permission on it. Every
 * string and object key a client sends is checked once, without recursion.
 */
public final class JsonText {
    private JsonText() {
    }

    /** The index of the first lone surrogate in {@code s}, or -1 when {@code s} is well-formed. */
    public static int loneSurrogate(CharSequence s) {
        int n = s.length();
        for (int i = 0; i < n; i++) {
            char c = s.charAt(i);
            if (Character.isHighSurrogate(c)) {
                if (i + 1 < n && Character.isLowSurrogate(s.charAt(i + 1))) {
                    i++;
                    continue;
                }
                return i;
            }
            if (Character.isLowSurrogate(c)) {
                return i;
            }
        }
        return -1;
    }

    /** {@code BAD_REQUEST} naming {@code field} when {@code s} holds a lone surrogate. */
    public static void requireWellFormed(CharSequence s, String field) {
        int at = loneSurrogate(s);
        if (at >= 0) {
            throw SwitchboardException.badRequest(field, problem(s.charAt(at), at));
        }
    }

    /**
     * {@code BAD_REQUEST} naming {@code field} when any string or key in {@code node} holds a
     * lone surrogate, or a number is out of range.
     */
    public static void requireWellFormed(JsonNode node, String field) {
        if (node == null) {
            return;
        }
        if (node instanceof ClientNumbers.Unrepresentable u) {
            throw outOfRange(field, u);
        }
        if (node.isTextual()) {
            requireWellFormed(node.textValue(), field);
            return;
        }
        if (!node.isContainerNode()) {
            return;
        }
        ArrayDeque<JsonNode> todo = new ArrayDeque<>();
        todo.push(node);
        while (!todo.isEmpty()) {
            JsonNode n = todo.pop();
            if (n.isObject()) {
                Iterator<Map.Entry<String, JsonNode>> it = n.fields();
                while (it.hasNext()) {
                    Map.Entry<String, JsonNode> e = it.next();
                    int at = loneSurrogate(e.getKey());
                    if (at >= 0) {
                        throw SwitchboardException.badRequest(field, "has a key with " + problem(e.getKey().charAt(at), at));
                    }
                    push(todo, e.getValue(), field);
                }
            } else {
                for (JsonNode child : n) {
                    push(todo, child, field);
                }
            }
        }
    }

    private static void push(ArrayDeque<JsonNode> todo, JsonNode child, String field) {
        if (child.isTextual()) {
            int at = loneSurrogate(child.textValue());
            if (at >= 0) {
                throw SwitchboardException.badRequest(field, "has a string with " + problem(child.textValue().charAt(at), at));
            }
        } else if (child.isContainerNode()) {
            todo.push(child);
        } else if (child instanceof ClientNumbers.Unrepresentable u) {
            throw outOfRange(field, u);
        }
    }

    private static SwitchboardException outOfRange(String field, ClientNumbers.Unrepresentable u) {
        String lit = u.literal();
        return SwitchboardException.badRequest(field, "has a number out of range (" + (lit.length() > 40 ? lit.substring(0, 40) + "..." : lit)
                + "): numbers must be 64-bit integers or finite 64-bit floats, and a non-zero float must not round to 0");
    }

    private static String problem(char c, int at) {
        return String.format("a lone UTF-16 surrogate (\\u%04x at index %d); text must be valid Unicode", (int) c, at);
    }
}
