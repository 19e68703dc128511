package io.switchboard.server.compat.hatchat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.netty.handler.codec.http.HttpMethod;
import io.switchboard.core.error.ErrorCode;
import io.switchboard.core.error.SwitchboardException;
import io.switchboard.core.json.Json;
import io.switchboard.core.security.User;
import io.switchboard.server.http.HttpExchange;
import io.switchboard.server.http.Reply;

import java.util.List;
import java.util.UUID;

import static io.switchboard.core.json.Fields.requiredText;

/**
 * {@code POST /users} (open sign-up with an RSA public key), {@code GET /users/:id} (any signed-in
 * Hatch@ user), {@code PATCH /users/:id} and {@code DELETE /users/:id} (the user themselves).
 * The users are Switchboard users of the Hatch@ tenant: no second user table.
 */
final class HatchatUsers {
    private static final int MAX_USERNAME = 200;
    private final HatchatCalls calls;

    HatchatUsers(HatchatCalls calls) {
        this.calls = calls;
    }

    void create(HttpExchange x) {
        ObjectNode body = x.bodyObject();
        String id = requiredText(body, "id");
        try {
            UUID.fromString(id);
        } catch (IllegalArgumentException e) {
            throw SwitchboardException.badRequest("id", "must be a UUID");
        }
        String publicKey = requiredText(body, "publicKey");
        try {
            if (!"RSA".equals(io.switchboard.core.security.PublicKeys.parse(publicKey).getAlgorithm())) {
                throw SwitchboardException.badRequest("publicKey", "must be an RSA public key");
            }
        } catch (IllegalArgumentException e) {
            throw SwitchboardException.badRequest("publicKey", "must be an RSA public key in PEM format");
        }
        String username = username(body);
        ObjectNode data = Json.object().put("username", username).put("publicKey", publicKey);
        User spec = new User(id, id, null, HatchatCalls.TENANT, List.of(), List.of(), data, false, List.of(publicKey), null);
        x.respond(calls.server().security().systemAdmin().createUser(spec, null, null).handle((u, err) -> {
            if (err != null) {
                SwitchboardException se = SwitchboardException.of(err);
                throw se.code() == ErrorCode.CONFLICT ? SwitchboardException.conflict("user id is taken") : se;
            }
            return Reply.ok(HatchatCalls.userJson(calls.user(id)));
        }));
    }

    void one(HttpExchange x, String id) {
        HttpMethod m = x.method();
        if (m.equals(HttpMethod.GET)) {
            x.respond(calls.caller(x).thenApply(p -> {
                User u = calls.user(id);
                if (u == null) {
                    throw SwitchboardException.notFound("user '" + id + "'");
                }
                return Reply.ok(HatchatCalls.userJson(u));
            }));
        } else if (m.equals(HttpMethod.PATCH)) {
            ObjectNode body = x.bodyObject();
            String username = username(body);
            x.respond(calls.caller(x).thenCompose(p -> {
                User u = own(p.userId(), id);
                ObjectNode data = u.data().deepCopy().put("username", username);
                User next = new User(u.id(), u.username(), u.email(), u.tenant(), u.scopes(), u.groups(), data,
                        u.revoked(), u.publicKeys(), u.permissions());
                return calls.server().security().systemAdmin().updateUser(id, next);
            }).thenApply(j -> Reply.ok(HatchatCalls.userJson(calls.user(id)))));
        } else if (m.equals(HttpMethod.DELETE)) {
            x.respond(calls.caller(x).thenCompose(p -> {
                own(p.userId(), id);
                return calls.server().security().systemAdmin().deleteUser(id);
            }).thenApply(v -> Reply.ok(Json.object().put("id", id).put("deleted", true))));
        } else {
            x.notFound();
        }
    }

    private User own(String caller, String id) {
        User u = calls.user(id);
        if (u == null) {
            throw SwitchboardException.notFound("user '" + id + "'");
        }
        if (!u.id().equals(caller)) {
            throw new SwitchboardException(ErrorCode.FORBIDDEN, "only the user themselves may change or delete it");
        }
        return u;
    }

    private static String username(JsonNode body) {
        String username = requiredText(body, "username");
        if (username.isEmpty() || username.length() > MAX_USERNAME) {
            throw SwitchboardException.badRequest("username", "must be 1 to " + MAX_USERNAME + " characters");
        }
        return username;
    }
}
