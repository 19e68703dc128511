package io.switchboard.server.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.QueryStringDecoder;
import io.netty.handler.codec.http.cookie.CookieHeaderNames;
import io.netty.handler.codec.http.cookie.DefaultCookie;
import io.netty.handler.codec.http.cookie.ServerCookieEncoder;
import io.switchboard.core.error.ErrorCode;
import io.switchboard.core.error.SwitchboardException;
import io.switchboard.core.json.Json;
import io.switchboard.core.security.HttpCredentials;
import io.switchboard.core.security.SecurityAdmin;
import io.switchboard.core.security.SecurityService;
import io.switchboard.core.security.User;
import io.switchboard.core.session.Principal;
import io.switchboard.core.session.Session;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;

/**
 * The security routes of the HTTP API: {@code /api/auth/*} (login, refresh, logout, nonce login,
 * me) and the admin API {@code /api/admin/*} (users, groups, permissions, sessions, revocations).
 * The admin API is authorized by the {@code auth.adminToken} key ({@code X-Admin-Token} or
 * {@code Authorization: Bearer <key>}) or by the credentials of a global {@code admin} user.
 * Nothing here ever returns a password or hash.
 */
final class SecurityRoutes {
    /** A response: status, JSON body, and {@code Set-Cookie} values. */
    record Reply(int status, JsonNode body, List<String> cookies) {
        static Reply ok(JsonNode body) {
            return new Reply(200, body, List.of());
        }
    }

    private final SecurityService security;
    private final long tokenTtlMs;

    SecurityRoutes(SecurityService security, long tokenTtlMs) {
        this.security = security;
        this.tokenTtlMs = tokenTtlMs;
    }

    /** The reply of a security route, or null when {@code path} is not one. */
    CompletableFuture<Reply> route(FullHttpRequest req, QueryStringDecoder qs, String path, String remote) {
        HttpMethod m = req.method();
        if (path.startsWith("/api/auth/")) {
            String what = path.substring("/api/auth/".length());
            if (m.equals(HttpMethod.GET) && what.equals("me")) {
                return security.authenticateHttp(HttpAuth.credentials(req, qs), remote, NoReplySink.INSTANCE)
                        .thenApply(s -> Reply.ok(me(s)));
            }
            if (!m.equals(HttpMethod.POST)) {
                return null;
            }
            switch (what) {
                case "login": {
                    ObjectNode b = object(req);
                    String[] ut = userAndTenant(b);
                    return security.login(ut[0], text(b, "password"), ut[1]).thenApply(this::issued);
                }
                case "refresh":
                    return security.refresh(token(req, qs)).thenApply(this::issued);
                case "logout":
                    return security.logout(token(req, qs)).thenApply(x -> new Reply(200, Json.object().put("ok", true),
                            List.of(cookie("", 0))));
                case "nonce": {
                    ObjectNode b = object(req);
                    String[] ut = userAndTenant(b);
                    return CompletableFuture.completedFuture(Reply.ok(Json.object().put("nonce", security.nonce(ut[0], ut[1]))));
                }
                case "nonce/login": {
                    ObjectNode b = object(req);
                    String[] ut = userAndTenant(b);
                    return security.loginWithNonce(ut[0], ut[1], text(b, "nonce"), text(b, "signature")).thenApply(this::issued);
                }
                default:
                    return null;
            }
        }
        if (path.startsWith("/api/admin/")) {
            List<String> seg = segments(path.substring("/api/admin/".length()));
            Function<SecurityAdmin, CompletableFuture<Reply>> op;
            try {
                op = adminOp(req, qs, m, seg);
            } catch (SwitchboardException e) {
                // bad input is reported only to an authorized caller
                op = a -> CompletableFuture.failedFuture(e);
            }
            if (op == null) {
                return null;
            }
            return admin(req, qs, remote).thenCompose(op);
        }
        return null;
    }

    // ---------------------------------------------------------------- auth

    private Reply issued(ObjectNode tokenAndUser) {
        return new Reply(200, tokenAndUser, List.of(cookie(tokenAndUser.get("token").asText(), tokenTtlMs / 1000)));
    }

    private static String cookie(String value, long maxAgeSeconds) {
        DefaultCookie c = new DefaultCookie(HttpAuth.COOKIE, value);
        c.setHttpOnly(true);
        c.setPath("/");
        c.setSameSite(CookieHeaderNames.SameSite.Lax);
        c.setMaxAge(maxAgeSeconds);
        return ServerCookieEncoder.STRICT.encode(c);
    }

    /** The token to refresh or log out: the request's credentials, else the body's {@code token}. */
    private static String token(FullHttpRequest req, QueryStringDecoder qs) {
        String t = HttpAuth.credentials(req, qs).token();
        if (t == null && req.content().readableBytes() > 0) {
            t = text(object(req), "token");
        }
        if (t == null) {
            throw new SwitchboardException(ErrorCode.UNAUTHENTICATED, "credentials required");
        }
        return t;
    }

    /** {@code username} and {@code tenant}; {@code "acme/ann"} without a tenant means tenant acme. */
    private static String[] userAndTenant(ObjectNode b) {
        String user = text(b, "username");
        String tenant = text(b, "tenant");
        if (user != null && tenant == null) {
            int slash = user.indexOf('/');
            if (slash > 0) {
                tenant = user.substring(0, slash);
                user = user.substring(slash + 1);
            }
        }
        return new String[] {user, tenant};
    }

    private static ObjectNode me(Session s) {
        Principal p = s.principal();
        ObjectNode u = Json.object();
        u.put("id", p.userId());
        u.put("username", p.username());
        u.put("tenant", p.tenant());
        ArrayNode g = u.putArray("groups");
        p.groups().forEach(g::add);
        ArrayNode sc = u.putArray("scopes");
        p.scopes().forEach(sc::add);
        ObjectNode o = Json.object();
        o.set("user", u);
        return o;
    }

    // ---------------------------------------------------------------- admin

    /** Authorizes the admin API: API key (header or bearer), else an admin user's credentials. */
    private CompletableFuture<SecurityAdmin> admin(FullHttpRequest req, QueryStringDecoder qs, String remote) {
        String key = req.headers().get("X-Admin-Token");
        if (key != null) {
            return CompletableFuture.completedFuture(security.admin(key));
        }
        HttpCredentials creds = HttpAuth.credentials(req, qs);
        if (creds.bearer() != null && security.config().adminToken() != null) {
            try {
                return CompletableFuture.completedFuture(security.admin(creds.bearer()));
            } catch (SwitchboardException e) {
                // not the API key: a user's token, checked below
            }
        }
        return security.authenticateHttp(creds, remote, NoReplySink.INSTANCE).thenApply(security::admin);
    }

    private static Function<SecurityAdmin, CompletableFuture<Reply>> adminOp(FullHttpRequest req, QueryStringDecoder qs,
                                                                            HttpMethod m, List<String> seg) {
        if (seg.isEmpty()) {
            return null;
        }
        boolean get = m.equals(HttpMethod.GET);
        boolean post = m.equals(HttpMethod.POST);
        boolean put = m.equals(HttpMethod.PUT);
        boolean patch = m.equals(HttpMethod.PATCH);
        boolean delete = m.equals(HttpMethod.DELETE);
        int n = seg.size();
        switch (seg.get(0)) {
            case "users":
                if (n == 1 && get) {
                    String tenant = first(qs, "tenant");
                    return a -> done(list(a.listUsers(tenant)));
                }
                if (n == 1 && post) {
                    ObjectNode b = object(req);
                    return a -> a.createUser(User.fromJson(b), text(b, "password"), text(b, "passwordHash"))
                            .thenApply(u -> new Reply(201, u, List.of()));
                }
                if (n == 2) {
                    String id = seg.get(1);
                    if (get) {
                        return a -> done(a.getUser(id));
                    }
                    if (put || patch) {
                        ObjectNode b = object(req);
                        return a -> {
                            ObjectNode spec = patch ? a.getUser(id) : Json.object();
                            spec.setAll(b);
                            return a.updateUser(id, User.fromJson(spec)).thenApply(Reply::ok);
                        };
                    }
                    if (delete) {
                        return a -> a.deleteUser(id).thenApply(x -> Reply.ok(Json.object().put("deleted", true)));
                    }
                }
                if (n == 3) {
                    String id = seg.get(1);
                    switch (seg.get(2)) {
                        case "password":
                            if (put || post) {
                                ObjectNode b = object(req);
                                return a -> a.setPassword(id, text(b, "password")).thenApply(x -> Reply.ok(Json.object().put("ok", true)));
                            }
                            return null;
                        case "revoke":
                            return post ? a -> a.revokeUser(id, true).thenApply(Reply::ok) : null;
                        case "unrevoke":
                            return post ? a -> a.revokeUser(id, false).thenApply(Reply::ok) : null;
                        case "keys":
                            if (post) {
                                ObjectNode b = object(req);
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
                                ObjectNode b = object(req);
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
                    ObjectNode b = object(req);
                    return a -> a.putGroup(text(b, "name"), permissions(b)).thenApply(g -> new Reply(201, g, List.of()));
                }
                if (n == 2) {
                    String name = seg.get(1);
                    if (get) {
                        return a -> done(a.getGroup(name));
                    }
                    if (put) {
                        ObjectNode b = object(req);
                        return a -> a.putGroup(name, permissions(b)).thenApply(Reply::ok);
                    }
                    if (delete) {
                        return a -> a.deleteGroup(name).thenApply(x -> Reply.ok(Json.object().put("deleted", true)));
                    }
                }
                return null;
            case "sessions":
                if (n == 1 && get) {
                    return a -> done(list(a.listSessions()));
                }
                if (n == 2 && delete || n == 3 && post && seg.get(2).equals("revoke")) {
                    String id = seg.get(1);
                    return a -> a.revokeSession(id).thenApply(x -> Reply.ok(Json.object().put("revoked", true)));
                }
                return null;
            case "revocations":
                if (n == 1 && post) {
                    ObjectNode b = object(req);
                    return a -> a.revokeToken(text(b, "id")).thenApply(x -> Reply.ok(Json.object().put("revoked", true)));
                }
                return null;
            default:
                return null;
        }
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

    // ---------------------------------------------------------------- input

    private static ObjectNode object(FullHttpRequest req) {
        if (req.content().readableBytes() == 0) {
            return Json.object();
        }
        JsonNode n = ApiMessages.parse(req.content().toString(StandardCharsets.UTF_8), "body");
        if (!n.isObject()) {
            throw SwitchboardException.badRequest("body", "must be a JSON object");
        }
        return (ObjectNode) n;
    }

    private static String text(ObjectNode b, String field) {
        JsonNode n = b.get(field);
        if (n == null || n.isNull()) {
            return null;
        }
        if (!n.isTextual()) {
            throw SwitchboardException.badRequest(field, "must be a string");
        }
        return n.asText();
    }

    private static String first(QueryStringDecoder qs, String name) {
        List<String> v = qs.parameters().get(name);
        return v == null || v.isEmpty() ? null : v.get(0);
    }

    /** Percent-decoded segments; an encoded '/' or a dot segment is refused. */
    private static List<String> segments(String rest) {
        List<String> out = new ArrayList<>();
        for (String s : rest.split("/", -1)) {
            if (s.isEmpty()) {
                continue;
            }
            String d;
            try {
                d = QueryStringDecoder.decodeComponent(s.replace("+", "%2B"));
            } catch (IllegalArgumentException e) {
                throw SwitchboardException.badRequest("path", "has a malformed percent-escape");
            }
            if (d.contains("/") || d.equals(".") || d.equals("..")) {
                throw SwitchboardException.badRequest("path", "must not contain '/', '.' or '..' segments");
            }
            out.add(d);
        }
        return out;
    }
}
