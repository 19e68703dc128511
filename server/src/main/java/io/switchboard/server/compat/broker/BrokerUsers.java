package io.switchboard.server.compat.broker;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.switchboard.core.error.ErrorCode;
import io.switchboard.core.error.SwitchboardException;
import io.switchboard.core.json.Json;
import io.switchboard.core.op.Credentials;
import io.switchboard.core.security.SecurityAdmin;
import io.switchboard.core.security.SecurityDirectory;
import io.switchboard.core.security.User;
import io.switchboard.server.ServerContext;
import io.switchboard.server.http.HttpExchange;
import io.switchboard.server.http.NoReplySink;

import java.security.MessageDigest;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;

/**
 * broker's users are Switchboard users: a generation-1 user lives in the tenant
 * {@link #V1_TENANT} with its {@code collection_id} in {@code data}; a BaaS user lives in the
 * tenant named by {@code tenant_name}. broker logs in by username alone, so this class finds the
 * tenant of a username and keeps usernames unique across the broker tenants, as broker did.
 */
final class BrokerUsers {
    /** The tenant of broker generation-1 users (their events live under its paths). */
    static final String V1_TENANT = "broker-v1";

    private final ServerContext sc;
    private final SecurityDirectory dir;
    private final String adminToken;

    BrokerUsers(ServerContext sc) {
        this.sc = sc;
        this.dir = sc.security().directory();
        String own = sc.config().brokerAdminToken();
        String auth = sc.config().adminToken();
        this.adminToken = own != null ? own : (auth == null || auth.isBlank() ? null : auth);
    }

    /** The BaaS user with this username, in whichever broker tenant holds it, or null. */
    User baasUser(String username) {
        if (username == null) {
            return null;
        }
        String key = username.toLowerCase(Locale.ROOT);
        for (User u : dir.users()) {
            if (u.tenant() != null && !V1_TENANT.equals(u.tenant()) && u.username().toLowerCase(Locale.ROOT).equals(key)) {
                return u;
            }
        }
        return null;
    }

    /**
     * The request's credentials with broker's login names resolved: HTTP Basic with a bare
     * username gets the user's tenant; a bearer token is used as it is.
     */
    Credentials credentials(HttpExchange x, boolean v1) {
        Credentials c = x.credentials();
        if (c instanceof Credentials.Basic b && b.tenant() == null) {
            String tenant = v1 ? V1_TENANT : tenantOf(b.username());
            return new Credentials.Basic(b.username(), tenant, b.password());
        }
        if (c instanceof Credentials.None) {
            throw new SwitchboardException(ErrorCode.UNAUTHENTICATED, "Authorization: Bearer <jwt> or Basic is required");
        }
        return c;
    }

    /** The password login of a broker user: a token for the {@code {"jwt"}} answer. */
    CompletableFuture<String> login(HttpExchange x, String username, String password, boolean v1) {
        String tenant = v1 ? V1_TENANT : tenantOf(username);
        var s = sc.pipeline().openStateless(NoReplySink.INSTANCE, x.remote());
        return sc.pipeline().connect(s, new Credentials.Password(username, tenant, password))
                .whenComplete((c, e) -> s.close()).thenApply(c -> c.token());
    }

    /** Unknown usernames keep an (empty) tenant so a login fails like a wrong password, revealing nothing. */
    private String tenantOf(String username) {
        User u = baasUser(username);
        return u == null ? "-" : u.tenant();
    }

    /**
     * Runs {@code op} with the admin API when {@code token} is broker's admin token
     * ({@code compat.broker.adminToken}, else {@code auth.adminToken}); 401 otherwise.
     */
    <T> CompletableFuture<T> asAdmin(HttpExchange x, String token, Function<SecurityAdmin, CompletableFuture<T>> op) {
        if (adminToken == null) {
            throw new SwitchboardException(ErrorCode.UNAUTHENTICATED,
                    "no admin token is configured (set compat.broker.adminToken or auth.adminToken)");
        }
        if (token == null || !MessageDigest.isEqual(adminToken.getBytes(StandardCharsets.UTF_8), token.getBytes(StandardCharsets.UTF_8))) {
            throw new SwitchboardException(ErrorCode.UNAUTHENTICATED, "invalid admin_token");
        }
        return sc.pipeline().authenticate(new Credentials.ApiKey(adminToken), x.remote(), NoReplySink.INSTANCE)
                .thenCompose(s -> {
                    try {
                        return op.apply(sc.security().admin(s));
                    } finally {
                        s.close();
                    }
                });
    }

    /** What a BaaS user may do in its tenant: insert (publish) and read events. */
    static ObjectNode baasPermissions() {
        ObjectNode p = Json.object();
        p.putObject(BrokerEvents.BAAS_ROOT + "/*").putArray("actions").add("get").add("publish").add("subscribe");
        return p;
    }

    /** A generation-1 user reads every collection and inserts (and cancels) under its own id only. */
    static ObjectNode v1Permissions() {
        ObjectNode p = Json.object();
        p.putObject(BrokerEvents.V1_ROOT + "/**").putArray("actions").add("get").add("subscribe");
        p.putObject(BrokerEvents.V1_ROOT + "/*/{{user.id}}/*").putArray("actions").add("publish");
        return p;
    }

    /** The BaaS generation's user object: {@code {id, password: "***", revoked, tenant_name, username, email, scopes, data}}. */
    static ObjectNode baasJson(User u) {
        ObjectNode o = Json.object();
        o.put("id", u.id());
        o.put("password", "***");
        o.put("revoked", u.revoked());
        o.put("tenant_name", u.tenant());
        o.put("username", u.username());
        if (u.email() == null) {
            o.putNull("email");
        } else {
            o.put("email", u.email());
        }
        ArrayNode scopes = o.putArray("scopes");
        u.scopes().forEach(scopes::add);
        o.set("data", u.data().isEmpty() ? Json.MAPPER.nullNode() : u.data());
        return o;
    }

    /** BaaS users: every tenant user outside the generation-1 tenant, by username. */
    ArrayNode listBaas() {
        List<User> users = new ArrayList<>();
        for (User u : dir.users()) {
            if (u.tenant() != null && !V1_TENANT.equals(u.tenant())) {
                users.add(u);
            }
        }
        users.sort(java.util.Comparator.comparing(User::username));
        ArrayNode a = Json.MAPPER.createArrayNode();
        users.forEach(u -> a.add(baasJson(u)));
        return a;
    }

    /** The BaaS user named in a request, or NOT_FOUND. */
    User requiredBaas(String username) {
        User u = baasUser(username);
        if (u == null) {
            throw SwitchboardException.notFound("no user " + username);
        }
        return u;
    }

    static List<String> strings(JsonNode n, String field) {
        if (n == null || n.isNull()) {
            return List.of();
        }
        if (!n.isArray()) {
            throw SwitchboardException.badRequest(field, "must be an array of strings");
        }
        List<String> out = new ArrayList<>();
        for (JsonNode s : n) {
            if (!s.isTextual()) {
                throw SwitchboardException.badRequest(field, "must be an array of strings");
            }
            out.add(s.asText());
        }
        return out;
    }

    static ObjectNode objectOrNull(JsonNode n, String field) {
        if (n == null || n.isNull()) {
            return null;
        }
        if (!n.isObject()) {
            throw SwitchboardException.badRequest(field, "must be a JSON object");
        }
        return (ObjectNode) n;
    }
}
