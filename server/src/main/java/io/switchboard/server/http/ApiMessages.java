package io.switchboard.server.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.BooleanNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.netty.handler.codec.http.QueryStringDecoder;
import io.switchboard.core.error.SwitchboardException;
import io.switchboard.core.json.Json;

import java.util.List;

/**
 * Builds the same {@code {"op": ..., ...}} message a WebSocket client would send from an HTTP
 * request's query parameters and body, so that {@code RequestParser} validates HTTP and
 * WebSocket input identically. A parameter that is not of the right shape is passed on as
 * text, which the parser then rejects naming the field. A query parameter the route did not
 * read is refused by name when the message is taken ({@link #message()}).
 */
final class ApiMessages {
    private static final JsonNodeFactory F = JsonNodeFactory.instance;

    private final ObjectNode msg;
    private final QueryStringDecoder qs;
    private final java.util.Set<String> read = new java.util.HashSet<>(HttpExchange.ALWAYS_ALLOWED_QUERY);

    ApiMessages(String op, QueryStringDecoder qs) {
        this.msg = Json.object().put("op", op);
        this.qs = qs;
    }

    /** The message; BAD_REQUEST naming a query parameter no builder call read. */
    ObjectNode message() {
        HttpExchange.refuseUnknownQuery(qs, read);
        return msg;
    }

    ApiMessages put(String field, String value) {
        msg.put(field, value);
        return this;
    }

    ApiMessages set(String field, JsonNode value) {
        msg.set(field, value);
        return this;
    }

    String param(String name) {
        read.add(name);
        List<String> v = qs.parameters().get(name);
        return v == null || v.isEmpty() ? null : v.get(v.size() - 1);
    }

    /** Copies a text parameter. */
    ApiMessages text(String... names) {
        for (String n : names) {
            String v = param(n);
            if (v != null) {
                msg.put(n, v);
            }
        }
        return this;
    }

    /** Copies integer parameters as numbers (non-numbers as text, for the parser to reject). */
    ApiMessages integer(String... names) {
        for (String n : names) {
            String v = param(n);
            if (v != null) {
                try {
                    msg.put(n, Long.parseLong(v.trim()));
                } catch (NumberFormatException e) {
                    msg.put(n, v);
                }
            }
        }
        return this;
    }

    /** {@code ?flag}, {@code ?flag=true} → true; {@code ?flag=false} → false. */
    ApiMessages bool(String... names) {
        for (String n : names) {
            String v = param(n);
            if (v != null) {
                if (v.isEmpty() || v.equals("true")) {
                    msg.set(n, BooleanNode.TRUE);
                } else if (v.equals("false")) {
                    msg.set(n, BooleanNode.FALSE);
                } else {
                    msg.put(n, v);
                }
            }
        }
        return this;
    }

    /** A parameter holding JSON text, e.g. {@code criteria={"age":{"$gt":3}}}. */
    ApiMessages json(String... names) {
        for (String n : names) {
            String v = param(n);
            if (v != null) {
                msg.set(n, parse(v, n));
            }
        }
        return this;
    }

    /** A comma list, e.g. {@code fields=name,age}. */
    ApiMessages list(String... names) {
        for (String n : names) {
            String v = param(n);
            if (v != null) {
                msg.set(n, commaList(v));
            }
        }
        return this;
    }

    /** {@code sort} is a JSON object ({@code {"age":-1}}) or a comma list ({@code -age,name}). */
    ApiMessages sort() {
        String v = param("sort");
        if (v != null) {
            String t = v.trim();
            msg.set("sort", t.startsWith("{") || t.startsWith("[") ? parse(t, "sort") : commaList(t));
        }
        return this;
    }

    private static ArrayNode commaList(String v) {
        ArrayNode a = F.arrayNode();
        for (String part : v.split(",")) {
            if (!part.isBlank()) {
                a.add(part.trim());
            }
        }
        return a;
    }

    static JsonNode parse(String text, String field) {
        try {
            return Json.parse(text);
        } catch (JsonProcessingException e) {
            throw SwitchboardException.badRequest(field, Json.problem(e));
        }
    }
}
