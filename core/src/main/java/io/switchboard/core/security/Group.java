package io.switchboard.core.security;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.switchboard.core.json.Json;

/**
 * A group as stored at {@code /_system/groups/{name}}: a name and permissions
 * {@code {pattern: {actions: [...], prohibit: [...]}}}. The group {@code admin} always holds
 * {@code *} on everything, whatever its document says.
 */
public record Group(String name, ObjectNode permissions) {
    public static final String ADMIN = "admin";

    public Group {
        permissions = permissions == null ? Json.object() : permissions;
    }

    public ObjectNode toJson() {
        ObjectNode o = Json.object();
        o.put("name", name);
        o.set("permissions", permissions);
        return o;
    }

    public static Group fromJson(JsonNode o) {
        return new Group(User.text(o, "name"), o.get("permissions") instanceof ObjectNode p ? p : null);
    }
}
