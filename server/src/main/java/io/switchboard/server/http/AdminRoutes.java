package io.switchboard.server.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.netty.handler.codec.http.HttpMethod;
import io.switchboard.core.error.ErrorCode;
import io.switchboard.core.error.SwitchboardException;
import io.switchboard.core.json.Json;
import io.switchboard.core.op.Credentials;
import io.switchboard.core.security.Group;
import io.switchboard.core.security.SecurityAdmin;
import io.switchboard.core.security.SecurityService;
import io.switchboard.core.security.User;
import io.switchboard.server.ServerContext;

import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;

import static io.switchboard.core.json.Fields.text;

/**
 * The admin API {@code /api/admin/*}: users, groups, permissions, sessions, revocations, rules
 * ({@link AdminRuleRoutes}). It is
 * authorized by the {@code auth.adminToken} key ({@code X-Admin-Token} or
 * {@code Authorization: Bearer <key>}) or by the credentials of a global {@code admin} user —
 * either way authenticated by the pipeline, like every other door. Nothing here ever returns a
 * password or hash.
 */
final class AdminRoutes {
    /** A user as {@code GET /api/admin/users/{id}} shows it: what PUT and PATCH take. */
    static final Set<String> USER_FIELDS = Set.of("id", "username", "email", "tenant", "scopes", "groups", "data",
            "revoked", "publicKeys", "permissions", "pathSyntax");
    /** What creating a user takes: a user plus its password (or an imported hash). */
    static final Set<String> NEW_USER_FIELDS = union(USER_FIELDS, "password", "passwordHash");
    static final Set<String> GROUP_FIELDS = Set.of("name", "permissions", "pathSyntax");

    private final ServerContext sc;
    private final SecurityService security;

    private AdminRoutes(ServerContext sc) {
        this.sc = sc;
        this.security = sc.security();
    }

    static void register(RouteTable t, ServerContext sc) {
        t.add(Route.prefix("/api/admin/", new AdminRoutes(sc)::route));
    }

    private void route(HttpExchange x) {
        List<String> seg = ApiPaths.segments(x.path().substring("/api/admin/".length()));
        Function<SecurityAdmin, CompletableFuture<Reply>> op;
        try {
            op = seg.size() > 0 && seg.get(0).equals("rules") ? AdminRuleRoutes.op(x, seg, sc.rules()) : adminOp(x, seg);
        } catch (SwitchboardException e) {
            // bad input is reported only to an authorized caller
            op = a -> CompletableFuture.failedFuture(e);
        }
        if (op == null) {
            x.notFound();
            return;
        }
        if (!sc.secure()) {
            throw new SwitchboardException(ErrorCode.BAD_REQUEST, "security is disabled");
        }
        Function<SecurityAdmin, CompletableFuture<Reply>> run = op;
        x.respond(sc.pipeline().authenticate(credentials(x), x.remote(), NoReplySink.INSTANCE).thenCompose(s -> {
            try {
                return run.apply(security.admin(s));
            } finally {
                s.close();
            }
        }));
    }

    /** The API key (header, or a bearer equal to it), else the request's credentials. */
    private Credentials credentials(HttpExchange x) {
        String key = x.request().headers().get("X-Admin-Token");
        if (key != null) {
            return new Credentials.ApiKey(key);
        }
        Credentials c = x.credentials();
        if (c instanceof Credentials.Token t && security.isAdminKey(t.token())) {
            return new Credentials.ApiKey(t.token());
        }
        return c;
    }

    private static Function<SecurityAdmin, CompletableFuture<Reply>> adminOp(HttpExchange x, List<String> seg) {
        HttpMethod m = x.method();
        if (seg.isEmpty()) {
            return null;
        }
        boolean get = m.equals(HttpMethod.GET);
        boolean post = m.equals(HttpMethod.POST);
        boolean put = m.equals(HttpMethod.PUT);
        boolean patch = m.equals(HttpMethod.PATCH);
        boolean delete = m.equals(HttpMethod.DELETE);
        int n = seg.size();
        if (!(n == 1 && get && seg.get(0).equals("users"))) {
            x.allowQuery();
        }
        switch (seg.get(0)) {
            case "users":
                if (n == 1 && get) {
                    x.allowQuery("tenant");
                    String tenant = x.param("tenant");
                    return a -> done(list(a.listUsers(tenant)));
                }
                if (n == 1 && post) {
                    ObjectNode b = x.bodyObject(NEW_USER_FIELDS);
                    return a -> a.createUser(User.fromJson(b), text(b, "password"), text(b, "passwordHash"))
                            .thenApply(u -> new Reply(201, u, List.of()));
                }
                if (n == 2) {
                    String id = seg.get(1);
                    if (get) {
                        return a -> done(a.getUser(id));
                    }
                    if (put || patch) {
                        ObjectNode b = x.bodyObject(USER_FIELDS);
                        return a -> {
                            ObjectNode spec = patch ? a.getUser(id) : Json.object();
                            spec.setAll(b);
                            return a.updateUser(id, User.fromJson(spec)).thenApply(Reply::ok);
                        };
                    }
                    if (delete) {
                        return a -> a.deleteUser(id).thenApply(v -> Reply.ok(Json.object().put("deleted", true)));
                    }
                }
                if (n == 3) {
                    String id = seg.get(1);
                    switch (seg.get(2)) {
                        case "password":
                            if (put || post) {
                                ObjectNode b = x.bodyObject(Set.of("password"));
                                return a -> a.setPassword(id, text(b, "password")).thenApply(v -> Reply.ok(Json.object().put("ok", true)));
                            }
                            return null;
                        case "revoke":
                            return post ? a -> a.revokeUser(id, true).thenApply(Reply::ok) : null;
                        case "unrevoke":
                            return post ? a -> a.revokeUser(id, false).thenApply(Reply::ok) : null;
                        case "keys":
                            if (post) {
                                ObjectNode b = x.bodyObject(Set.of("key"));
                                JsonNode k = b.get("key");
                                if (k == null || k.isNull()) {
                                    throw SwitchboardException.badRequest("key", "is required (PEM text or a JWK object)");
                                }
                                String key = k.isTextual() ? k.asText() : k.toString();
                                return a -> a.addPublicKey(id, key).thenApply(Reply::ok);
                            }
                            return null;
                        case "permissions":
                            if (get) {
                                return a -> done(a.getUser(id).get("permissions"));
                            }
                            if (put) {
                                ObjectNode b = x.bodyObject();
                                return a -> a.setUserPermissions(id, b).thenApply(u -> Reply.ok(u.get("permissions")));
                            }
                            return null;
                        default:
                            return null;
                    }
                }
                return null;
            case "groups":
                if (n == 1 && get) {
                    return a -> done(list(a.listGroups()));
                }
                if (n == 1 && post) {
                    ObjectNode b = x.bodyObject(GROUP_FIELDS);
                    var syntax = Group.pathSyntax(b.get("pathSyntax"));
                    return a -> a.createGroup(text(b, "name"), permissions(b), syntax).thenApply(g -> new Reply(201, g, List.of()));
                }
                if (n == 2) {
                    String name = seg.get(1);
                    if (get) {
                        return a -> done(a.getGroup(name));
                    }
                    if (put) {
                        ObjectNode b = x.bodyObject(GROUP_FIELDS);
                        String named = text(b, "name");
                        if (named != null && !named.equals(name)) {
                            throw SwitchboardException.badRequest("name", "must match the group in the URL (groups are not renamed)");
                        }
                        var syntax = Group.pathSyntax(b.get("pathSyntax"));
                        return a -> a.putGroup(name, permissions(b), syntax).thenApply(Reply::ok);
                    }
                    if (delete) {
                        return a -> a.deleteGroup(name).thenApply(v -> Reply.ok(Json.object().put("deleted", true)));
                    }
                }
                return null;
            case "sessions":
                if (n == 1 && get) {
                    return a -> done(list(a.listSessions()));
                }
                if (n == 2 && delete || n == 3 && post && seg.get(2).equals("revoke")) {
                    String id = seg.get(1);
                    return a -> a.revokeSession(id).thenApply(v -> Reply.ok(Json.object().put("revoked", true)));
                }
                return null;
            case "revocations":
                if (n == 1 && post) {
                    ObjectNode b = x.bodyObject(Set.of("id"));
                    return a -> a.revokeToken(text(b, "id")).thenApply(v -> Reply.ok(Json.object().put("revoked", true)));
                }
                return null;
            default:
                return null;
        }
    }

    private static Set<String> union(Set<String> a, String... more) {
        java.util.HashSet<String> s = new java.util.HashSet<>(a);
        s.addAll(List.of(more));
        return Set.copyOf(s);
    }

    private static CompletableFuture<Reply> done(JsonNode body) {
        return CompletableFuture.completedFuture(Reply.ok(body));
    }

    private static ObjectNode list(ArrayNode items) {
        ObjectNode o = Json.object();
        o.set("items", items);
        o.put("total", items.size());
        return o;
    }

    private static ObjectNode permissions(ObjectNode b) {
        JsonNode p = b.get("permissions");
        if (p == null || p.isNull()) {
            return Json.object();
        }
        if (!p.isObject()) {
            throw SwitchboardException.badRequest("permissions", "must be an object {pattern: {actions, prohibit}}");
        }
        return (ObjectNode) p;
    }
}
