package io.switchboard.core.security;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.switchboard.core.engine.Ids;
import io.switchboard.core.error.SwitchboardException;
import io.switchboard.core.json.Json;
import io.switchboard.core.path.PathMatcher;
import io.switchboard.core.session.Session;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * Administration of users, groups, permissions, sessions and revocations, for the admin HTTP API.
 * Obtain it through {@link SecurityService#admin(Session)} or {@link SecurityService#admin(String)},
 * which authorize the caller. Results are JSON objects that never contain a password or hash;
 * every change is a store write, so it applies on every node at once.
 */
public final class SecurityAdmin {
    private static final java.util.regex.Pattern NAME = java.util.regex.Pattern.compile("[A-Za-z0-9_@+\\-][A-Za-z0-9._@+\\-]{0,63}");
    private static final java.util.regex.Pattern TENANT = java.util.regex.Pattern.compile("[A-Za-z0-9_\\-]{1,64}");

    private final SecurityDirectory dir;
    private final SecurityService service;

    SecurityAdmin(SecurityDirectory dir, SecurityService service) {
        this.dir = dir;
        this.service = service;
    }

    // ---- users

    /** Users, optionally of one tenant ({@code null} = all), sorted by username. */
    public ArrayNode listUsers(String tenant) {
        ArrayNode a = Json.MAPPER.createArrayNode();
        dir.users().stream().filter(u -> tenant == null || tenant.equals(u.tenant()))
                .sorted(Comparator.comparing(User::username)).forEach(u -> a.add(u.toJson()));
        return a;
    }

    public ObjectNode getUser(String id) {
        return required(id).toJson();
    }

    /**
     * Creates a user; {@code id} null = generated. Give a {@code password} (hashed with argon2id)
     * or an imported {@code passwordHash} (bcrypt or argon2). Duplicate username in the tenant:
     * CONFLICT.
     */
    public CompletableFuture<ObjectNode> createUser(User spec, String password, String passwordHash) {
        validate(spec);
        if (password != null) {
            checkPassword(password);
        }
        if (passwordHash != null && !Passwords.isImportable(passwordHash)) {
            throw SwitchboardException.badRequest("passwordHash", "must be a bcrypt or argon2 hash");
        }
        String id = spec.id() != null ? spec.id() : Ids.random(16);
        if (!NAME.matcher(id).matches()) {
            throw SwitchboardException.badRequest("id", "must be 1-64 letters, digits or ._@+-");
        }
        if (dir.user(id) != null) {
            throw SwitchboardException.conflict("user id is taken");
        }
        User u = new User(id, spec.username(), spec.email(), spec.tenant(), spec.scopes(), spec.groups(), spec.data(),
                spec.revoked(), checkedKeys(spec.publicKeys()), spec.permissions(), spec.pathSyntax());
        String hash = password != null ? Passwords.hash(password) : passwordHash;
        return dir.reserveName(u.username(), u.tenant(), id)
                .thenCompose(x -> hash == null ? CompletableFuture.completedFuture(null) : dir.putCredential(id, hash))
                .thenCompose(x -> dir.putUser(u))
                .thenApply(x -> u.toJson());
    }

    /**
     * Replaces a user's fields (id and tenant stay). Renaming reserves the new username first.
     * Revoking ({@code revoked: true}) closes the user's sessions at once.
     */
    public CompletableFuture<ObjectNode> updateUser(String id, User spec) {
        User old = required(id);
        User u = new User(id, spec.username() == null ? old.username() : spec.username(), spec.email(), old.tenant(),
                spec.scopes(), spec.groups(), spec.data(), spec.revoked(), checkedKeys(spec.publicKeys()), spec.permissions(),
                spec.pathSyntax());
        validate(u);
        boolean renamed = !SecurityDirectory.nameKey(u.username(), u.tenant()).equals(SecurityDirectory.nameKey(old.username(), old.tenant()));
        CompletableFuture<Void> name = renamed ? dir.reserveName(u.username(), u.tenant(), id) : CompletableFuture.completedFuture(null);
        return name.thenCompose(x -> dir.putUser(u))
                .thenCompose(x -> renamed ? dir.releaseName(old.username(), old.tenant()) : CompletableFuture.completedFuture(null))
                .thenApply(x -> u.toJson());
    }

    public CompletableFuture<Void> deleteUser(String id) {
        User u = required(id);
        return dir.deleteUser(id).thenCompose(x -> dir.releaseName(u.username(), u.tenant()))
                .thenRun(() -> service.endSessionsOf(id, io.switchboard.core.result.DisconnectReason.USER_REVOKED));
    }

    public CompletableFuture<Void> setPassword(String id, String password) {
        required(id);
        if (password == null || password.isEmpty()) {
            throw SwitchboardException.badRequest("password", "is required");
        }
        checkPassword(password);
        return dir.putCredential(id, Passwords.hash(password));
    }

    /** Revokes a user: they cannot log in and their sessions close at once. */
    public CompletableFuture<ObjectNode> revokeUser(String id, boolean revoked) {
        User u = required(id);
        return dir.putUser(u.withRevoked(revoked)).thenApply(x -> {
            if (revoked) {
                service.endSessionsOf(id, io.switchboard.core.result.DisconnectReason.USER_REVOKED);
            }
            return u.withRevoked(revoked).toJson();
        });
    }

    /** Registers a public key (PEM or JWK) for client-signed tokens and nonce login. */
    public CompletableFuture<ObjectNode> addPublicKey(String id, String key) {
        User u = required(id);
        List<String> keys = new ArrayList<>(u.publicKeys());
        keys.add(key);
        User nu = u.withPublicKeys(checkedKeys(keys));
        return dir.putUser(nu).thenApply(x -> nu.toJson());
    }

    /** Sets the user's own permissions {@code {pattern: {actions, prohibit}}}. */
    public CompletableFuture<ObjectNode> setUserPermissions(String id, ObjectNode permissions) {
        checkPermissions(permissions, "permissions");
        User u = required(id);
        User nu = u.withPermissions(permissions, u.pathSyntax());
        return dir.putUser(nu).thenApply(x -> nu.toJson());
    }

    // ---- groups

    public ArrayNode listGroups() {
        ArrayNode a = Json.MAPPER.createArrayNode();
        dir.groups().stream().sorted(Comparator.comparing(Group::name)).forEach(g -> a.add(g.toJson()));
        return a;
    }

    public ObjectNode getGroup(String name) {
        Group g = dir.group(name);
        if (g == null) {
            throw SwitchboardException.notFound("no such group");
        }
        return g.toJson();
    }

    /** Creates a group; CONFLICT when one of that name exists (replacing is {@link #putGroup}). */
    public CompletableFuture<ObjectNode> createGroup(String name, ObjectNode permissions) {
        return createGroup(name, permissions, PathMatcher.Mode.SEGMENT);
    }

    /** As above, its permission paths written in {@code pathSyntax} (segment patterns or globs). */
    public CompletableFuture<ObjectNode> createGroup(String name, ObjectNode permissions, PathMatcher.Mode pathSyntax) {
        if (name != null && dir.group(name) != null) {
            throw SwitchboardException.conflict("group '" + name + "' exists; replace it with PUT /api/admin/groups/" + name);
        }
        return putGroup(name, permissions, pathSyntax);
    }

    /** Creates or replaces a group; members' permissions change at once. */
    public CompletableFuture<ObjectNode> putGroup(String name, ObjectNode permissions) {
        return putGroup(name, permissions, PathMatcher.Mode.SEGMENT);
    }

    /** As above, its permission paths written in {@code pathSyntax} (segment patterns or globs). */
    public CompletableFuture<ObjectNode> putGroup(String name, ObjectNode permissions, PathMatcher.Mode pathSyntax) {
        if (name == null || !NAME.matcher(name).matches()) {
            throw SwitchboardException.badRequest("name", "must be 1-64 letters, digits or ._@+-");
        }
        checkPermissions(permissions, "permissions");
        Group g = new Group(name, permissions, pathSyntax);
        return dir.putGroup(g).thenApply(x -> g.toJson());
    }

    public CompletableFuture<Void> deleteGroup(String name) {
        getGroup(name);
        return dir.deleteGroup(name);
    }

    // ---- sessions and revocation

    /** Live stateful sessions: {@code {id, userId, username, tenant, type, remoteAddress, createdAt}}. */
    public ArrayNode listSessions() {
        ArrayNode a = Json.MAPPER.createArrayNode();
        for (Session s : service.engine().sessions()) {
            SessionAuth au = SessionAuth.of(s);
            if (au == null) {
                continue;
            }
            ObjectNode o = Json.object();
            o.put("id", s.id());
            o.put("userId", au.principal().userId());
            o.put("username", au.principal().username());
            o.put("tenant", au.principal().tenant());
            o.put("type", s.type().name().toLowerCase(java.util.Locale.ROOT));
            o.put("remoteAddress", s.remoteAddress());
            o.put("createdAt", s.createdAt());
            a.add(o);
        }
        return a;
    }

    /** Revokes a live session's login (its token and refreshed successors); it closes at once. */
    public CompletableFuture<Void> revokeSession(String sessionId) {
        Session s = service.engine().session(sessionId);
        SessionAuth a = s == null ? null : SessionAuth.of(s);
        if (a == null) {
            throw SwitchboardException.notFound("no such session");
        }
        if (a.sid == null) {
            service.end(s, io.switchboard.core.result.DisconnectReason.TOKEN_REVOKED);
            return CompletableFuture.completedFuture(null);
        }
        return dir.revoke(a.sid, a.expiresAt == 0 ? Long.MAX_VALUE : a.expiresAt);
    }

    /** Revokes a token by {@code jti} or a login session by {@code sid}, on every node. */
    public CompletableFuture<Void> revokeToken(String jtiOrSid) {
        if (jtiOrSid == null || !NAME.matcher(jtiOrSid).matches()) {
            throw SwitchboardException.badRequest("id", "is not a token id");
        }
        return dir.revoke(jtiOrSid, Long.MAX_VALUE);
    }

    // ---- helpers

    private User required(String id) {
        User u = dir.user(id);
        if (u == null) {
            throw SwitchboardException.notFound("no such user");
        }
        return u;
    }

    /**
     * {@code {pattern: {actions: [...], prohibit: [...]}}}: every entry an object of those two
     * lists of known actions, so a misspelled key or action is refused rather than granting
     * nothing (or, for {@code prohibit}, silently allowing).
     */
    static void checkPermissions(com.fasterxml.jackson.databind.JsonNode perms, String field) {
        if (perms == null || perms.isNull()) {
            return;
        }
        if (!perms.isObject()) {
            throw SwitchboardException.badRequest(field, "must be an object {pattern: {actions, prohibit}}");
        }
        var it = perms.fields();
        while (it.hasNext()) {
            var e = it.next();
            String name = field + "." + e.getKey();
            if (!e.getValue().isObject()) {
                throw SwitchboardException.badRequest(name, "must be an object {actions, prohibit}");
            }
            io.switchboard.core.json.Fields.allowOnly(e.getValue(), name + ".", java.util.Set.of("actions", "prohibit"));
            for (String list : List.of("actions", "prohibit")) {
                var a = e.getValue().get(list);
                if (a == null || a.isNull()) {
                    continue;
                }
                if (!a.isArray()) {
                    throw SwitchboardException.badRequest(name + "." + list, "must be a list of actions");
                }
                boolean http = Action.isHttpPattern(e.getKey());
                for (var act : a) {
                    if (!act.isTextual() || Action.bitsOf(act.asText(), e.getKey()) == 0) {
                        throw SwitchboardException.badRequest(name + "." + list, "has " + act
                                + ", not one of *, get, set, remove, publish, subscribe (or on, for subscribe)"
                                + (http ? ", head, post, put, patch, delete, options"
                                        : " (HTTP verbs only on patterns under " + Action.HTTP_ROOT + "/)"));
                    }
                }
            }
        }
    }

    private void checkPassword(String password) {
        int min = service.config().minPasswordLength();
        if (password.codePointCount(0, password.length()) < min) {
            throw SwitchboardException.badRequest("password", "must have at least " + min
                    + " characters (auth.minPasswordLength)");
        }
    }

    private void validate(User u) {
        checkPermissions(u.permissions(), "permissions");
        for (String g : u.groups()) {
            if (dir.group(g) == null) {
                throw SwitchboardException.badRequest("groups", "'" + g + "' is not a group; create it first"
                        + " (POST /api/admin/groups)");
            }
        }
        validateFields(u);
    }

    private static void validateFields(User u) {
        if (u.username() == null || !NAME.matcher(u.username()).matches()) {
            throw SwitchboardException.badRequest("username", "must be 1-64 letters, digits or ._@+-");
        }
        if (u.tenant() != null && !TENANT.matcher(u.tenant()).matches()) {
            throw SwitchboardException.badRequest("tenant", "must be 1-64 letters, digits, _ or -");
        }
        for (String s : u.scopes()) {
            if (PermissionCompiler.scopeRule(s) == null) {
                throw SwitchboardException.badRequest("scopes", "must look like 'path:action'");
            }
        }
    }

    private static List<String> checkedKeys(List<String> keys) {
        for (String k : keys) {
            try {
                PublicKeys.parse(k);
            } catch (IllegalArgumentException e) {
                throw SwitchboardException.badRequest("publicKeys", e.getMessage());
            }
        }
        return keys;
    }
}
