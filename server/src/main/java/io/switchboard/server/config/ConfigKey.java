package io.switchboard.server.config;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;

/**
 * One configuration key: its dotted YAML path, value type, default and allowed range. Values
 * arrive typed (from YAML) or as text (from env vars and flags); {@link #convert} turns both
 * into the one Java type the key holds, or fails naming the key.
 */
public record ConfigKey(String name, Type type, Object defaultValue, long min, long max, List<String> choices) {
    private static final com.fasterxml.jackson.databind.ObjectMapper JSON = new com.fasterxml.jackson.databind.ObjectMapper();

    /** The value types keys may hold. */
    public enum Type { STRING, BOOL, INT, LONG, LIST, CHOICE, JSON }

    static ConfigKey string(String name, String def) {
        return new ConfigKey(name, Type.STRING, def, 0, 0, List.of());
    }

    static ConfigKey bool(String name, boolean def) {
        return new ConfigKey(name, Type.BOOL, def, 0, 0, List.of());
    }

    static ConfigKey integer(String name, int def, int min, int max) {
        return new ConfigKey(name, Type.INT, def, min, max, List.of());
    }

    static ConfigKey longKey(String name, long def, long min) {
        return new ConfigKey(name, Type.LONG, def, min, Long.MAX_VALUE, List.of());
    }

    static ConfigKey list(String name) {
        return new ConfigKey(name, Type.LIST, List.of(), 0, 0, List.of());
    }

    /** A structured value kept as JSON text (a YAML list/mapping, or JSON text from env/flags). */
    static ConfigKey json(String name) {
        return new ConfigKey(name, Type.JSON, null, 0, 0, List.of());
    }

    static ConfigKey choice(String name, String def, String... choices) {
        return new ConfigKey(name, Type.CHOICE, def, 0, 0, List.of(choices));
    }

    /** {@code limits.maxFrameBytes} → {@code SWITCHBOARD_LIMITS_MAX_FRAME_BYTES}. */
    public String envName() {
        StringBuilder b = new StringBuilder("SWITCHBOARD_");
        for (char c : name.toCharArray()) {
            if (c == '.') {
                b.append('_');
            } else if (Character.isUpperCase(c)) {
                b.append('_').append(c);
            } else {
                b.append(Character.toUpperCase(c));
            }
        }
        return b.toString();
    }

    /**
     * Converts a raw value (a YAML scalar or list, or text from env/flag) to this key's type.
     *
     * @param source where the value came from, for the error message
     */
    public Object convert(Object raw, String source) {
        if (raw == null) {
            if (type == Type.STRING || type == Type.JSON) {
                return null;
            }
            throw bad(raw, source, "must not be empty");
        }
        switch (type) {
            case STRING:
                if (raw instanceof List || raw instanceof java.util.Map) {
                    throw bad(raw, source, "must be a string");
                }
                return raw.toString();
            case BOOL:
                if (raw instanceof Boolean b) {
                    return b;
                }
                String s = raw.toString().trim().toLowerCase(Locale.ROOT);
                if (s.equals("true") || s.equals("false")) {
                    return Boolean.parseBoolean(s);
                }
                throw bad(raw, source, "must be true or false");
            case INT:
            case LONG:
                long v;
                if (raw instanceof Number n && !(raw instanceof Double) && !(raw instanceof Float)) {
                    v = n.longValue();
                } else {
                    try {
                        v = Long.parseLong(raw.toString().trim());
                    } catch (NumberFormatException e) {
                        throw bad(raw, source, "must be an integer");
                    }
                }
                if (v < min || v > max) {
                    throw bad(raw, source, "must be between " + min + " and " + max);
                }
                return type == Type.INT ? (Object) (int) v : (Object) v;
            case LIST:
                List<String> out = new ArrayList<>();
                if (raw instanceof List<?> l) {
                    for (Object o : l) {
                        if (o == null || o instanceof List || o instanceof java.util.Map) {
                            throw bad(raw, source, "must be a list of strings");
                        }
                        out.add(o.toString());
                    }
                } else if (raw instanceof java.util.Map) {
                    throw bad(raw, source, "must be a list of strings");
                } else {
                    for (String part : raw.toString().split(",")) {
                        if (!part.isBlank()) {
                            out.add(part.trim());
                        }
                    }
                }
                return Collections.unmodifiableList(out);
            case CHOICE:
                String c = raw.toString().trim();
                for (String choice : choices) {
                    if (choice.equalsIgnoreCase(c)) {
                        return choice;
                    }
                }
                throw bad(raw, source, "must be one of " + String.join(", ", choices));
            case JSON:
                try {
                    if (raw instanceof List<?> l) {
                        com.fasterxml.jackson.databind.node.ArrayNode a = JSON.createArrayNode();
                        for (Object o : l) {
                            a.add(o instanceof String t && t.trim().startsWith("{") ? JSON.readTree(t) : JSON.valueToTree(o));
                        }
                        return a.toString();
                    }
                    if (raw instanceof java.util.Map<?, ?> m && m.size() == 1 && m.containsKey("object")) {
                        return JSON.readTree(m.get("object").toString()).toString();
                    }
                    return JSON.readTree(raw.toString()).toString();
                } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
                    throw bad(raw, source, "must be JSON (or a YAML list/mapping)");
                }
            default:
                throw new IllegalStateException(type.name());
        }
    }

    private ConfigException bad(Object raw, String source, String problem) {
        return new ConfigException("invalid value for configuration key '" + name + "'"
                + (source == null ? "" : " (from " + source + ")") + ": '" + raw + "' " + problem);
    }
}
