package io.switchboard.server.compat.hatchat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.switchboard.core.error.SwitchboardException;
import io.switchboard.core.json.Json;
import io.switchboard.core.op.Credentials;
import io.switchboard.core.op.RequestParser;
import io.switchboard.core.result.Result;
import io.switchboard.core.security.SessionAuth;
import io.switchboard.core.security.User;
import io.switchboard.core.session.Principal;
import io.switchboard.server.ServerContext;
import io.switchboard.server.http.HttpExchange;
import io.switchboard.server.http.NoReplySink;

import java.util.concurrent.CompletableFuture;

/**
 * What every Hatch@ route shares: the caller's credentials (its self-signed token), native ops
 * run through the one pipeline as that caller, and the Hatch@ view of a Switchboard user (a
 * Hatch@ user is a Switchboard user of the adapter's tenant whose username is its id; the
 * Hatch@ username and the PEM as registered are kept in its {@code data}).
 */
final class HatchatCalls {
    /** The tenant Hatch@ users belong to, so their channels and names never meet native ones. */
    static final String TENANT = "hatchat";
    /** The author of the messages the server writes itself (join notices). */
    static final String SYSTEM_USER = "00000000-0000-0000-0000-000000000000";

    private final ServerContext sc;

    HatchatCalls(ServerContext sc) {
        this.sc = sc;
    }

    ServerContext server() {
        return sc;
    }

    static Credentials credentials(HttpExchange x) {
        return HatchatToken.parse(x.request().headers().get(HttpHeaderNames.AUTHORIZATION));
    }

    /** Runs native {@code msg} as the caller (validated by the native parser). */
    CompletableFuture<Result> call(HttpExchange x, ObjectNode msg) {
        Credentials c = credentials(x);
        var request = RequestParser.parse(msg, sc.pipeline().limits());
        return sc.pipeline().callOnce(c, x.remote(), NoReplySink.INSTANCE, request);
    }

    /** The caller's identity (a stateless session authenticated and closed again). */
    CompletableFuture<Principal> caller(HttpExchange x) {
        return sc.pipeline().authenticate(credentials(x), x.remote(), NoReplySink.INSTANCE).thenApply(s -> {
            try {
                SessionAuth a = SessionAuth.of(s);
                if (a == null || a.principal().userId() == null || !TENANT.equals(a.principal().tenant())) {
                    throw new SwitchboardException(io.switchboard.core.error.ErrorCode.FORBIDDEN, "not a Hatch@ user");
                }
                return a.principal();
            } finally {
                s.close();
            }
        });
    }

    /** The Hatch@ user with this id, or null. */
    User user(String id) {
        User u = id == null ? null : sc.security().directory().user(id);
        return u != null && TENANT.equals(u.tenant()) ? u : null;
    }

    /** {@code {id, username, publicKey}}. */
    static ObjectNode userJson(User u) {
        return Json.object().put("id", u.id()).put("username", username(u))
                .put("publicKey", u.data().path("publicKey").asText(u.publicKeys().isEmpty() ? "" : u.publicKeys().get(0)));
    }

    /** The Hatch@ username of {@code u} (null for none). */
    static String username(User u) {
        JsonNode n = u == null ? null : u.data().get("username");
        return n == null || n.isNull() ? null : n.asText();
    }
}
