package io.switchboard.server.http;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.cookie.CookieHeaderNames;
import io.netty.handler.codec.http.cookie.DefaultCookie;
import io.netty.handler.codec.http.cookie.ServerCookieEncoder;
import io.switchboard.core.error.ErrorCode;
import io.switchboard.core.error.SwitchboardException;
import io.switchboard.core.json.Json;
import io.switchboard.core.op.Credentials;
import io.switchboard.core.security.SecurityService;
import io.switchboard.core.security.TokenGrant;
import io.switchboard.core.session.Principal;
import io.switchboard.core.wire.NativeEncoder;
import io.switchboard.server.ServerContext;

import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

import static io.switchboard.core.json.Fields.text;

/**
 * {@code /api/auth/*}: login (password or signed nonce — each a {@code connect} of a stateless
 * session through the pipeline), refresh, logout, nonce, and {@code GET me}. Logins and refreshes
 * set the {@code sb_token} cookie.
 */
final class AuthRoutes {
    private final ServerContext sc;
    private final SecurityService security;
    private final long tokenTtlMs;

    private AuthRoutes(ServerContext sc) {
        this.sc = sc;
        this.security = sc.security();
        this.tokenTtlMs = sc.config().tokenTtlMs();
    }

    static void register(RouteTable t, ServerContext sc) {
        t.add(Route.prefix("/api/auth/", new AuthRoutes(sc)::route));
    }

    private void route(HttpExchange x) {
        String what = x.path().substring("/api/auth/".length());
        HttpMethod m = x.method();
        CompletableFuture<Reply> r;
        x.allowQuery();
        if (m.equals(HttpMethod.GET) && what.equals("me")) {
            requireEnabled();
            r = sc.pipeline().authenticate(x.credentials(), x.remote(), NoReplySink.INSTANCE).thenApply(s -> {
                try {
                    return Reply.ok(me(s.principal()));
                } finally {
                    s.close();
                }
            });
        } else if (!m.equals(HttpMethod.POST)) {
            x.notFound();
            return;
        } else {
            r = switch (what) {
                case "login" -> {
                    ObjectNode b = x.bodyObject(Set.of("username", "tenant", "password"));
                    Credentials.TenantUser tu = tenantUser(b);
                    yield login(x, new Credentials.Password(tu.username(), tu.tenant(), text(b, "password")));
                }
                case "refresh" -> {
                    requireEnabled();
                    yield security.refresh(token(x)).thenApply(this::issued);
                }
                case "logout" -> {
                    requireEnabled();
                    yield security.logout(token(x)).thenApply(v -> new Reply(200, Json.object().put("ok", true),
                            List.of(cookie("", 0))));
                }
                case "nonce" -> {
                    requireEnabled();
                    Credentials.TenantUser tu = tenantUser(x.bodyObject(Set.of("username", "tenant")));
                    yield CompletableFuture.completedFuture(Reply.ok(Json.object()
                            .put("nonce", security.nonce(tu.username(), tu.tenant()))));
                }
                case "nonce/login" -> {
                    ObjectNode b = x.bodyObject(Set.of("username", "tenant", "nonce", "signature"));
                    Credentials.TenantUser tu = tenantUser(b);
                    yield login(x, new Credentials.SignedNonce(tu.username(), tu.tenant(), text(b, "nonce"), text(b, "signature")));
                }
                default -> null;
            };
            if (r == null) {
                x.notFound();
                return;
            }
        }
        x.respond(r);
    }

    /** A login is a connect of a stateless session: the same stage authenticates every door. */
    private CompletableFuture<Reply> login(HttpExchange x, Credentials c) {
        requireEnabled();
        var s = sc.pipeline().openStateless(NoReplySink.INSTANCE, x.remote());
        return sc.pipeline().connect(s, c).whenComplete((k, e) -> s.close())
                .thenApply(k -> issued(new TokenGrant(k.token(), k.user())));
    }

    private Reply issued(TokenGrant g) {
        ObjectNode o = Json.object().put("token", g.token());
        o.set("user", NativeEncoder.user(g.user()));
        return new Reply(200, o, List.of(cookie(g.token(), tokenTtlMs / 1000)));
    }

    private static ObjectNode me(Principal p) {
        ObjectNode o = Json.object();
        o.set("user", NativeEncoder.user(p));
        return o;
    }

    /** The token cookie ({@code auth.tokenCookie}); {@code Secure} under TLS, so a browser never sends it over plain HTTP. */
    private String cookie(String value, long maxAgeSeconds) {
        DefaultCookie c = new DefaultCookie(sc.httpAuth().cookieName(), value);
        c.setHttpOnly(true);
        c.setSecure(sc.tls() != null);
        c.setPath("/");
        c.setSameSite(CookieHeaderNames.SameSite.Lax);
        c.setMaxAge(maxAgeSeconds);
        return ServerCookieEncoder.STRICT.encode(c);
    }

    /** The token to refresh or log out: the request's credentials, else the body's {@code token}. */
    private static String token(HttpExchange x) {
        HttpAuth auth = x.server().httpAuth();
        if (auth.byCookie(x.request(), x.query())) {
            CookieGuard.check(x.request(), x.server().cors(), auth.cookieName());
        }
        String t = auth.token(x.request(), x.query());
        if (t == null && x.full().content().readableBytes() > 0) {
            t = text(x.bodyObject(Set.of("token")), "token");
        }
        if (t == null) {
            throw new SwitchboardException(ErrorCode.UNAUTHENTICATED, "credentials required");
        }
        return t;
    }

    /** {@code username} and {@code tenant}; {@code "acme/ann"} without a tenant means tenant acme. */
    private static Credentials.TenantUser tenantUser(ObjectNode b) {
        String user = text(b, "username");
        String tenant = text(b, "tenant");
        return tenant == null ? Credentials.TenantUser.parse(user) : new Credentials.TenantUser(tenant, user);
    }

    private void requireEnabled() {
        if (!sc.secure()) {
            throw new SwitchboardException(ErrorCode.BAD_REQUEST, "security is disabled");
        }
    }
}
