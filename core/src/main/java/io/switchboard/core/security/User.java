package io.switchboard.core.security;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.switchboard.core.json.Json;
import io.switchboard.core.path.PathMatcher;

import java.util.ArrayList;
import java.util.List;

/**
 * A user as stored at {@code /_system/users/{id}} (SPEC section 6). It never carries a password
 * or hash: credentials live in a separate document, so returning a user is always safe.
 * {@code permissions} holds the user's own rules in the group format
 * {@code {pattern: {actions: [...], prohibit: [...]}}}, its paths read in {@code pathSyntax}
 * (segment patterns by default, or globs: see {@link Group}).
 */
public record User(String id, String username, String email, String tenant, List<String> scopes,
                   List<String> groups, ObjectNode data, boolean revoked, List<String> publicKeys,
                   ObjectNode permissions, PathMatcher.Mode pathSyntax) {
    public User {
        pathSyntax = pathSyntax == null ? PathMatcher.Mode.SEGMENT : pathSyntax;
        scopes = scopes == null ? List.of() : List.copyOf(scopes);
        groups = groups == null ? List.of() : List.copyOf(groups);
        publicKeys = publicKeys == null ? List.of() : List.copyOf(publicKeys);
        data = data == null ? Json.object() : data;
        permissions = permissions == null ? Json.object() : permissions;
    }

    /** A user whose own permission paths are segment patterns. */
    public User(String id, String username, String email, String tenant, List<String> scopes,
                List<String> groups, ObjectNode data, boolean revoked, List<String> publicKeys,
                ObjectNode permissions) {
        this(id, username, email, tenant, scopes, groups, data, revoked, publicKeys, permissions, null);
    }

    /** The same user with other own permissions (and the syntax their paths are written in). */
    public User withPermissions(ObjectNode perms, PathMatcher.Mode syntax) {
        return new User(id, username, email, tenant, scopes, groups, data, revoked, publicKeys, perms, syntax);
    }

    public boolean inGroup(String group) {
        return groups.contains(group);
    }

    public User withRevoked(boolean r) {
        return new User(id, username, email, tenant, scopes, groups, data, r, publicKeys, permissions, pathSyntax);
    }

    public User withPublicKeys(List<String> keys) {
        return new User(id, username, email, tenant, scopes, groups, data, revoked, keys, permissions, pathSyntax);
    }

    public ObjectNode toJson() {
        ObjectNode o = Json.object();
        o.put("id", id);
        o.put("username", username);
        if (email != null) {
            o.put("email", email);
        }
        if (tenant != null) {
            o.put("tenant", tenant);
        }
        o.set("scopes", array(scopes));
        o.set("groups", array(groups));
        o.set("data", data);
        o.put("revoked", revoked);
        o.set("publicKeys", array(publicKeys));
        o.set("permissions", permissions);
        Group.putSyntax(o, pathSyntax);
        return o;
    }

    public static User fromJson(JsonNode o) {
        return new User(text(o, "id"), text(o, "username"), text(o, "email"), text(o, "tenant"),
                strings(o.get("scopes")), strings(o.get("groups")),
                o.get("data") instanceof ObjectNode d ? d : null, o.path("revoked").asBoolean(false),
                strings(o.get("publicKeys")), o.get("permissions") instanceof ObjectNode p ? p : null,
                Group.pathSyntax(o.get("pathSyntax")));
    }

    static String text(JsonNode o, String f) {
        JsonNode n = o.get(f);
        return n == null || n.isNull() ? null : n.asText();
    }

    static List<String> strings(JsonNode n) {
        List<String> out = new ArrayList<>();
        if (n != null && n.isArray()) {
            n.forEach(x -> out.add(x.asText()));
        }
        return out;
    }

    static ArrayNode array(List<String> xs) {
        ArrayNode a = Json.MAPPER.createArrayNode();
        xs.forEach(a::add);
        return a;
    }
}
