package io.switchboard.core.security;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.switchboard.core.error.SwitchboardException;
import io.switchboard.core.json.Json;
import io.switchboard.core.path.PathMatcher;

import java.util.Locale;

/**
 * A group as stored at {@code /_system/groups/{name}}: a name and permissions
 * {@code {pattern: {actions: [...], prohibit: [...]}}}, whose paths are read in
 * {@code pathSyntax}: segment patterns (the default) or globs, where {@code *} matches any
 * characters, {@code /} included (happn's form). The group {@code admin} always holds {@code *}
 * on everything, whatever its document says.
 */
public record Group(String name, ObjectNode permissions, PathMatcher.Mode pathSyntax) {
    public static final String ADMIN = "admin";

    public Group {
        permissions = permissions == null ? Json.object() : permissions;
        pathSyntax = pathSyntax == null ? PathMatcher.Mode.SEGMENT : pathSyntax;
    }

    /** A group whose paths are segment patterns. */
    public Group(String name, ObjectNode permissions) {
        this(name, permissions, PathMatcher.Mode.SEGMENT);
    }

    public ObjectNode toJson() {
        ObjectNode o = Json.object();
        o.put("name", name);
        o.set("permissions", permissions);
        putSyntax(o, pathSyntax);
        return o;
    }

    public static Group fromJson(JsonNode o) {
        return new Group(User.text(o, "name"), o.get("permissions") instanceof ObjectNode p ? p : null,
                pathSyntax(o.get("pathSyntax")));
    }

    /**
     * {@code "segment"} (or absent) or {@code "glob"}; anything else is BAD_REQUEST naming
     * {@code pathSyntax}.
     */
    public static PathMatcher.Mode pathSyntax(JsonNode n) {
        if (n == null || n.isNull()) {
            return PathMatcher.Mode.SEGMENT;
        }
        String v = n.isTextual() ? n.asText().toLowerCase(Locale.ROOT) : "";
        return switch (v) {
            case "segment" -> PathMatcher.Mode.SEGMENT;
            case "glob" -> PathMatcher.Mode.GLOB;
            default -> throw SwitchboardException.badRequest("pathSyntax", "must be \"segment\" or \"glob\"");
        };
    }

    /** Writes {@code pathSyntax} only when it is not the default, so native documents stay as they were. */
    static void putSyntax(ObjectNode o, PathMatcher.Mode m) {
        if (m == PathMatcher.Mode.GLOB) {
            o.put("pathSyntax", "glob");
        }
    }
}
