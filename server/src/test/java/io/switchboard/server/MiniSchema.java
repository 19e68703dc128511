package io.switchboard.server;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * The part of JSON Schema (2020-12, as OpenAPI 3.1 uses it) that the server's description uses:
 * {@code $ref} into {@code #/components/schemas}, {@code type} (one or a list), {@code enum},
 * {@code properties}, {@code required}, {@code additionalProperties}, {@code items},
 * {@code oneOf}. Anything else in a schema is refused, so the description cannot use a keyword
 * this check would silently skip. Stricter than JSON Schema in one way, on purpose: an object
 * schema with {@code properties} and no {@code additionalProperties} allows no other field, so a
 * response field the description leaves out fails the test.
 */
final class MiniSchema {
    private static final List<String> KNOWN = List.of("$ref", "type", "enum", "properties", "required",
            "additionalProperties", "items", "oneOf", "description", "bearerFormat");

    private final JsonNode root;

    MiniSchema(JsonNode root) {
        this.root = root;
    }

    /** The problems of {@code value} against {@code schema}; empty when it conforms. */
    List<String> check(JsonNode schema, JsonNode value) {
        List<String> problems = new ArrayList<>();
        check(schema, value, "$", problems);
        return problems;
    }

    private JsonNode resolve(String ref) {
        if (!ref.startsWith("#/")) {
            throw new IllegalArgumentException("only local refs: " + ref);
        }
        JsonNode n = root;
        for (String part : ref.substring(2).split("/")) {
            n = n.get(part);
            if (n == null) {
                throw new IllegalArgumentException("unresolved ref " + ref);
            }
        }
        return n;
    }

    private void check(JsonNode schema, JsonNode value, String at, List<String> problems) {
        for (Iterator<String> it = schema.fieldNames(); it.hasNext(); ) {
            String k = it.next();
            if (!KNOWN.contains(k)) {
                throw new IllegalArgumentException("schema keyword '" + k + "' at " + at + " is not checked by MiniSchema");
            }
        }
        if (schema.has("$ref")) {
            check(resolve(schema.get("$ref").asText()), value, at, problems);
            return;
        }
        if (schema.has("oneOf")) {
            int matching = 0;
            for (JsonNode alt : schema.get("oneOf")) {
                if (check(alt, value).isEmpty()) {
                    matching++;
                }
            }
            if (matching != 1) {
                problems.add(at + ": matches " + matching + " of the oneOf alternatives, not one");
            }
        }
        if (schema.has("type") && !typeMatches(schema.get("type"), value)) {
            problems.add(at + ": is " + value.getNodeType() + ", not " + schema.get("type"));
            return;
        }
        if (schema.has("enum")) {
            boolean found = false;
            for (JsonNode e : schema.get("enum")) {
                found |= e.equals(value);
            }
            if (!found) {
                problems.add(at + ": " + value + " is not one of " + schema.get("enum"));
            }
        }
        if (value.isObject()) {
            JsonNode props = schema.get("properties");
            if (schema.has("required")) {
                for (JsonNode r : schema.get("required")) {
                    if (!value.has(r.asText())) {
                        problems.add(at + ": '" + r.asText() + "' is required");
                    }
                }
            }
            for (Iterator<Map.Entry<String, JsonNode>> it = value.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> f = it.next();
                JsonNode p = props == null ? null : props.get(f.getKey());
                if (p != null) {
                    check(p, f.getValue(), at + "." + f.getKey(), problems);
                } else if (schema.has("additionalProperties")) {
                    JsonNode extra = schema.get("additionalProperties");
                    if (extra.isBoolean() && !extra.asBoolean()) {
                        problems.add(at + ": '" + f.getKey() + "' is not described");
                    } else if (extra.isObject()) {
                        check(extra, f.getValue(), at + "." + f.getKey(), problems);
                    }
                } else if (props != null) {
                    // A response object may not carry a field the description leaves out.
                    problems.add(at + ": '" + f.getKey() + "' is not described");
                }
            }
        }
        if (value.isArray() && schema.has("items")) {
            int i = 0;
            for (JsonNode item : value) {
                check(schema.get("items"), item, at + "[" + i++ + "]", problems);
            }
        }
    }

    private static boolean typeMatches(JsonNode type, JsonNode v) {
        if (type.isArray()) {
            for (JsonNode t : type) {
                if (typeMatches(t, v)) {
                    return true;
                }
            }
            return false;
        }
        return switch (type.asText()) {
            case "object" -> v.isObject();
            case "array" -> v.isArray();
            case "string" -> v.isTextual();
            case "integer" -> v.isIntegralNumber();
            case "number" -> v.isNumber();
            case "boolean" -> v.isBoolean();
            case "null" -> v.isNull();
            default -> throw new IllegalArgumentException("unknown type " + type);
        };
    }
}
