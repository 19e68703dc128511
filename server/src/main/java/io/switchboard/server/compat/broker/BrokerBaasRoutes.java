package io.switchboard.server.compat.broker;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.netty.handler.codec.http.HttpMethod;
import io.switchboard.core.error.SwitchboardException;
import io.switchboard.core.json.Json;
import io.switchboard.core.op.Consistency;
import io.switchboard.core.op.Request;
import io.switchboard.core.op.RequestParser;
import io.switchboard.core.path.Pattern;
import io.switchboard.core.result.Result;
import io.switchboard.core.security.User;
import io.switchboard.server.ServerContext;
import io.switchboard.server.http.HttpExchange;
import io.switchboard.server.http.NoReplySink;
import io.switchboard.server.http.Route;
import io.switchboard.server.http.RouteTable;

import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

/**
 * broker's "real-time BaaS" generation under {@code compat.broker.prefix}: users in tenants with
 * scopes and data managed with the admin token, login, {@code /sse}, {@code /insert},
 * {@code /verify}, and {@code GET|HEAD /} as health.
 */
final class BrokerBaasRoutes {
    private static final Set<String> CREATE = Set.of("username", "password", "admin_token", "tenant_name", "email", "scopes", "data");
    private static final Set<String> UPDATE = Set.of("username", "password", "admin_token", "tenant_name", "email", "scopes", "data");
    private static final Set<String> BY_NAME = Set.of("admin_token", "username");

    private final ServerContext sc;
    private final BrokerUsers users;

    private BrokerBaasRoutes(ServerContext sc, BrokerUsers users) {
        this.sc = sc;
        this.users = users;
    }

    static void register(RouteTable t, ServerContext sc, BrokerUsers users, String p) {
        BrokerBaasRoutes r = new BrokerBaasRoutes(sc, users);
        t.add(Route.exact(p + "/create_user", x -> BrokerHttp.on(x, HttpMethod.POST, () -> r.createUser(x))));
        t.add(Route.exact(p + "/login", x -> BrokerHttp.on(x, HttpMethod.POST, () -> r.login(x))));
        t.add(Route.exact(p + "/insert", x -> BrokerHttp.on(x, HttpMethod.POST, () -> r.insert(x))));
        t.add(Route.exact(p + "/revoke_user", x -> BrokerHttp.on(x, HttpMethod.POST, () -> r.revoke(x, true))));
        t.add(Route.exact(p + "/unrevoke_user", x -> BrokerHttp.on(x, HttpMethod.POST, () -> r.revoke(x, false))));
        t.add(Route.exact(p + "/list_users", x -> BrokerHttp.on(x, HttpMethod.POST, () -> r.listUsers(x))));
        t.add(Route.exact(p + "/get_user", x -> BrokerHttp.on(x, HttpMethod.POST, () -> r.getUser(x))));
        t.add(Route.exact(p + "/update_user", x -> BrokerHttp.on(x, HttpMethod.POST, () -> r.updateUser(x))));
        t.add(Route.exact(p + "/verify", x -> BrokerHttp.on(x, HttpMethod.GET, () -> r.verify(x))));
        t.add(Route.exact(p + "/sse", BrokerStreams.route(sc, x -> users.credentials(x, false), BrokerEvents.BAAS_ROOT + "/*")));
        if (!p.isEmpty()) {
            // With an empty prefix the server's own GET / (and HEAD) already answers 200.
            Route.Handler health = x -> {
                if (x.method().equals(HttpMethod.GET) || x.method().equals(HttpMethod.HEAD)) {
                    x.json(200, Json.object().put("status", "ok"));
                } else {
                    BrokerHttp.respond(x, () -> CompletableFuture.failedFuture(BrokerHttp.notFound(x)));
                }
            };
            t.add(Route.exact(p, health));
            t.add(Route.exact(p + "/", health));
        }
    }

    private CompletableFuture<JsonNode> createUser(HttpExchange x) {
        ObjectNode b = x.bodyObject(CREATE);
        String username = BrokerHttp.text(b, "username");
        String password = BrokerHttp.text(b, "password");
        String tenant = BrokerEvents.segment(BrokerHttp.text(b, "tenant_name"), "tenant_name");
        if (BrokerUsers.V1_TENANT.equals(tenant)) {
            throw SwitchboardException.badRequest("tenant_name", "'" + tenant + "' is reserved for broker generation 1");
        }
        User spec = new User(null, username, BrokerHttp.optionalText(b, "email"), tenant,
                BrokerUsers.strings(b.get("scopes"), "scopes"), List.of(), BrokerUsers.objectOrNull(b.get("data"), "data"),
                false, List.of(), BrokerUsers.baasPermissions());
        return users.asAdmin(x, BrokerHttp.optionalText(b, "admin_token"), admin -> {
            if (users.baasUser(username) != null) {
                throw SwitchboardException.badRequest("username", "already taken");
            }
            return admin.createUser(spec, password, null).thenApply(u -> (JsonNode) BrokerUsers.baasJson(User.fromJson(u)));
        });
    }

    private CompletableFuture<JsonNode> login(HttpExchange x) {
        ObjectNode b = x.bodyObject(Set.of("username", "password"));
        return users.login(x, BrokerHttp.text(b, "username"), BrokerHttp.text(b, "password"), false)
                .thenApply(jwt -> Json.object().put("jwt", jwt));
    }

    private CompletableFuture<JsonNode> insert(HttpExchange x) {
        ObjectNode b = x.bodyObject(Set.of("event", "data"));
        String event = BrokerEvents.segment(BrokerHttp.text(b, "event"), "event");
        JsonNode data = b.has("data") ? b.get("data") : Json.MAPPER.nullNode();
        ObjectNode meta = Json.object().put("event", event);
        Request.Publish p = new Request.Publish(BrokerEvents.BAAS_ROOT + "/" + event, data, meta, null, null,
                Consistency.TRANSACTIONAL, RequestParser.DEFAULT_ACK_TIMEOUT_MS);
        return sc.pipeline().callOnce(users.credentials(x, false), x.remote(), NoReplySink.INSTANCE, p).thenApply(r -> {
            Result.Published pub = (Result.Published) r;
            ObjectNode o = Json.object();
            ObjectNode e = o.putObject("event");
            e.put("id", pub.id());
            e.put("event", event);
            e.set("data", data);
            e.put("published", true);
            return o;
        });
    }

    private CompletableFuture<JsonNode> verify(HttpExchange x) {
        return sc.pipeline().authenticate(users.credentials(x, false), x.remote(), NoReplySink.INSTANCE).thenApply(s -> {
            s.close();
            return Json.object().put("verified", true);
        });
    }

    private CompletableFuture<JsonNode> revoke(HttpExchange x, boolean revoked) {
        ObjectNode b = x.bodyObject(BY_NAME);
        String username = BrokerHttp.text(b, "username");
        return users.asAdmin(x, BrokerHttp.optionalText(b, "admin_token"), admin ->
                admin.revokeUser(users.requiredBaas(username).id(), revoked)
                        .thenApply(u -> (JsonNode) BrokerUsers.baasJson(User.fromJson(u))));
    }

    private CompletableFuture<JsonNode> listUsers(HttpExchange x) {
        ObjectNode b = x.bodyObject(Set.of("admin_token"));
        return users.asAdmin(x, BrokerHttp.optionalText(b, "admin_token"),
                admin -> CompletableFuture.completedFuture((JsonNode) users.listBaas()));
    }

    private CompletableFuture<JsonNode> getUser(HttpExchange x) {
        ObjectNode b = x.bodyObject(BY_NAME);
        String username = BrokerHttp.text(b, "username");
        return users.asAdmin(x, BrokerHttp.optionalText(b, "admin_token"),
                admin -> CompletableFuture.completedFuture((JsonNode) BrokerUsers.baasJson(users.requiredBaas(username))));
    }

    /** Changes the fields given; a user cannot move to another tenant (its events stay where they are). */
    private CompletableFuture<JsonNode> updateUser(HttpExchange x) {
        ObjectNode b = x.bodyObject(UPDATE);
        String username = BrokerHttp.text(b, "username");
        return users.asAdmin(x, BrokerHttp.optionalText(b, "admin_token"), admin -> {
            User u = users.requiredBaas(username);
            String tenant = BrokerHttp.optionalText(b, "tenant_name");
            if (tenant != null && !tenant.equals(u.tenant())) {
                throw SwitchboardException.badRequest("tenant_name", "cannot change: a user stays in its tenant");
            }
            User spec = new User(u.id(), u.username(), b.has("email") ? BrokerHttp.optionalText(b, "email") : u.email(),
                    u.tenant(), b.has("scopes") ? BrokerUsers.strings(b.get("scopes"), "scopes") : u.scopes(), u.groups(),
                    b.has("data") ? BrokerUsers.objectOrNull(b.get("data"), "data") : u.data(), u.revoked(),
                    u.publicKeys(), u.permissions());
            String password = BrokerHttp.optionalText(b, "password");
            CompletableFuture<Void> pw = password == null ? CompletableFuture.completedFuture(null)
                    : admin.setPassword(u.id(), password);
            return pw.thenCompose(v -> admin.updateUser(u.id(), spec))
                    .thenApply(o -> (JsonNode) BrokerUsers.baasJson(User.fromJson(o)));
        });
    }
}
