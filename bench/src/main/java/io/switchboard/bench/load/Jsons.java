package io.switchboard.bench.load;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/** One Jackson mapper for the harness. */
public final class Jsons {
    public static final ObjectMapper M = new ObjectMapper();
    private static final ObjectMapper PRETTY = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private Jsons() {
    }

    public static ObjectNode object() {
        return M.createObjectNode();
    }

    public static ArrayNode array() {
        return M.createArrayNode();
    }

    public static JsonNode parse(String s) {
        try {
            return M.readTree(s);
        } catch (Exception e) {
            return null;
        }
    }

    public static String compact(JsonNode n) {
        return n.toString();
    }

    public static String pretty(JsonNode n) {
        try {
            return PRETTY.writeValueAsString(n);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** A JSON string literal (quotes included). */
    public static String quote(String s) {
        return M.getNodeFactory().textNode(s).toString();
    }
}
