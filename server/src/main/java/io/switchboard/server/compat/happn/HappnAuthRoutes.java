package io.switchboard.server.compat.happn;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.switchboard.core.error.ErrorCode;
import io.switchboard.core.error.SwitchboardException;
import io.switchboard.core.json.Json;
import io.switchboard.core.op.Credentials;
import io.switchboard.core.security.SecurityService;
import io.switchboard.core.session.Session;
import io.switchboard.server.ServerContext;
import io.switchboard.server.http.HttpAuth;
import io.switchboard.server.http.HttpExchange;
import io.switchboard.server.http.NoReplySink;
import io.switchboard.server.http.Reply;
import io.switchboard.server.http.Route;
import io.switchboard.server.http.RouteTable;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * happn-3's HTTP auth routes (its connect security middleware): {@code /auth/login} by password,
 * token or digest, {@code /auth/request-nonce} and {@code /auth/logout}. Answers have happn's
 * shape, {@code {"message", "data", "error"}}: 200 with the token (or nonce), 401 for refused
 * credentials, 500 otherwise. Query names are happn's, aliases included ({@code u}/{@code user},
 * {@code p}/{@code pwd}/{@code pass}, {@code t}/{@code happn_token}, {@code pk}/{@code key}...).
 * A nonce asked for over HTTP is remembered by its public key (happn-3 keeps one per key) for
 * the core's nonce lifetime, at most {@link #MAX_PENDING_NONCES} keys.
 */
final class HappnAuthRoutes {
    /** Public keys with an HTTP nonce outstanding, at most (the least recent go first). */
    static final int MAX_PENDING_NONCES = 10_000;

    private final ServerContext sc;
    private final HttpAuth tokens;
    private final Cache<String, String> nonceByKey = Caffeine.newBuilder().maximumSize(MAX_PENDING_NONCES)
            .expireAfterWrite(Duration.ofMillis(SecurityService.NONCE_TTL_MS)).build();

    private HappnAuthRoutes(ServerContext sc) {
        this.sc = sc;
        this.tokens = sc.httpAuth().withHappn();
    }

    static void register(RouteTable t, ServerContext sc, String prefix) {
        HappnAuthRoutes r = new HappnAuthRoutes(sc);
        t.add(Route.exact(prefix + "/auth/login", r::login));
        t.add(Route.exact(prefix + "/auth/request-nonce", r::requestNonce));
        t.add(Route.exact(prefix + "/auth/logout", r::logout));
    }

    private void login(HttpExchange x) {
        String token = first(x, "token", "happn_token", "t");
        String user = first(x, "username", "user", "u");
        String key = first(x, "publicKey", "public_key", "public", "key", "public-key", "pk");
        String digest = first(x, "digest");
        Credentials c;
        if (token != null) {
            c = new Credentials.Token(token);
        } else if (digest != null) {
            c = new Credentials.SignedNonce(HappnLogin.username(user), null, key == null ? null : nonceByKey.asMap().remove(key),
                    digest, key, Credentials.NonceBytes.BASE64);
        } else {
            String pw = first(x, "password", "pwd", "pass", "p");
            c = new Credentials.Password(HappnLogin.username(user), null, pw == null ? "" : pw);
        }
        Session s = sc.pipeline().openStateless(NoReplySink.INSTANCE, x.remote());
        x.respond(sc.pipeline().connect(s, c).whenComplete((ok, err) -> s.close())
                .handle((ok, err) -> err == null ? answer(200, "login successful", TextNode.valueOf(ok.token()), null)
                        : failed("login failed", err)));
    }

    private void requestNonce(HttpExchange x) {
        String key = first(x, "publicKey", "public_key", "public", "key", "public-key");
        if (key == null) {
            x.respond(CompletableFuture.completedFuture(failed("nonce failed",
                    SwitchboardException.badRequest("publicKey", "no public key with request"))));
            return;
        }
        SecurityService security = sc.security();
        if (security == null || !security.enabled()) {
            x.respond(CompletableFuture.completedFuture(failed("nonce failed",
                    new SwitchboardException(ErrorCode.UNAVAILABLE, "security is off: there is nothing to log in to"))));
            return;
        }
        String nonce = security.nonceForKey(key);
        nonceByKey.put(key, nonce);
        x.respond(CompletableFuture.completedFuture(answer(200, "nonce generated", TextNode.valueOf(nonce), null)));
    }

    /** Revokes the request's token when {@code compat.happn.allowLogoutOverHttp}; else 403, as happn-3's default. */
    private void logout(HttpExchange x) {
        String token = tokens.token(x.request(), x.query());
        if (token == null) {
            x.respond(CompletableFuture.completedFuture(failed("logout failed",
                    new SwitchboardException(ErrorCode.UNAUTHENTICATED, "invalid token format or null token"))));
            return;
        }
        if (sc.security() == null || !sc.security().enabled()) {
            x.notFound();
            return;
        }
        if (!sc.config().happnAllowLogoutOverHttp()) {
            x.respond(CompletableFuture.completedFuture(failed("logout failed",
                    new SwitchboardException(ErrorCode.FORBIDDEN, "logouts over http are not allowed"))));
            return;
        }
        x.respond(sc.security().logout(token)
                .handle((v, err) -> err == null ? answer(200, "logout successful", TextNode.valueOf(token), null)
                        : failed("logout failed", err)));
    }

    private static Reply failed(String message, Throwable err) {
        SwitchboardException e = SwitchboardException.of(err);
        int status = switch (e.code()) {
            case UNAUTHENTICATED -> 401;
            case FORBIDDEN -> 403;
            case BAD_REQUEST, RATE_LIMITED -> e.code().httpStatus();
            default -> 500;
        };
        ObjectNode error = Json.object();
        error.put("name", status == 401 ? "InvalidCredentials" : status == 403 ? "AccessDenied" : "Error");
        error.put("code", status);
        error.put("message", e.getMessage());
        return answer(status, message, null, error);
    }

    private static Reply answer(int status, String message, JsonNode data, ObjectNode error) {
        ObjectNode o = Json.object();
        o.put("message", message);
        o.set("data", data == null ? NullNode.getInstance() : data);
        o.set("error", error == null ? NullNode.getInstance() : error);
        return new Reply(status, o, List.of());
    }

    /** The first query parameter of {@code names} that is present and not empty. */
    private static String first(HttpExchange x, String... names) {
        for (String n : names) {
            String v = x.param(n);
            if (v != null && !v.isEmpty()) {
                return v;
            }
        }
        return null;
    }
}
