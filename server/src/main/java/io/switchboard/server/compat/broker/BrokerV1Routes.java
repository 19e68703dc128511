package io.switchboard.server.compat.broker;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.netty.handler.codec.http.HttpMethod;
import io.switchboard.core.error.ErrorCode;
import io.switchboard.core.error.SwitchboardException;
import io.switchboard.core.json.Json;
import io.switchboard.core.op.Consistency;
import io.switchboard.core.op.Credentials;
import io.switchboard.core.op.Request;
import io.switchboard.core.op.RequestParser;
import io.switchboard.core.path.Pattern;
import io.switchboard.core.result.Result;
import io.switchboard.core.security.User;
import io.switchboard.core.session.Session;
import io.switchboard.server.ServerContext;
import io.switchboard.server.http.HttpExchange;
import io.switchboard.server.http.NoReplySink;
import io.switchboard.server.http.Route;
import io.switchboard.server.http.RouteTable;

import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;

/**
 * broker generation 1 under {@code compat.broker.v1Prefix}: {@code POST /users}, {@code /login},
 * {@code /insert} (scheduled at {@code timestamp}, epoch seconds), the {@code /events} stream,
 * {@code /events/collections/{id}}, {@code /events/user} and {@code /events/{id}/cancel}.
 * Better than the original: cancel is owner-only, an unknown id is 404, and the stream resumes
 * with {@code Last-Event-ID}.
 */
final class BrokerV1Routes {
    private final ServerContext sc;
    private final BrokerUsers users;

    private BrokerV1Routes(ServerContext sc, BrokerUsers users) {
        this.sc = sc;
        this.users = users;
    }

    static void register(RouteTable t, ServerContext sc, BrokerUsers users, String p) {
        BrokerV1Routes r = new BrokerV1Routes(sc, users);
        t.add(Route.exact(p + "/users", x -> BrokerHttp.on(x, HttpMethod.POST, () -> r.createUser(x))));
        t.add(Route.exact(p + "/login", x -> BrokerHttp.on(x, HttpMethod.POST, () -> r.login(x))));
        t.add(Route.exact(p + "/insert", x -> BrokerHttp.on(x, HttpMethod.POST, () -> r.insert(x))));
        t.add(Route.exact(p + "/events", BrokerStreams.route(sc, x -> users.credentials(x, true), BrokerEvents.V1_ROOT + "/**")));
        String events = p + "/events/";
        t.add(Route.prefix(events, x -> BrokerHttp.on(x, HttpMethod.GET, () -> r.events(x, x.path().substring(events.length())))));
    }

    private CompletableFuture<JsonNode> createUser(HttpExchange x) {
        ObjectNode b = x.bodyObject(Set.of("username", "password", "collection_id"));
        String username = BrokerHttp.text(b, "username");
        String password = BrokerHttp.text(b, "password");
        String collection = uuid(BrokerHttp.text(b, "collection_id"), "collection_id");
        String id = UUID.randomUUID().toString();
        ObjectNode data = Json.object().put("collection_id", collection);
        User spec = new User(id, username, null, BrokerUsers.V1_TENANT, List.of(), List.of(), data, false, List.of(),
                BrokerUsers.v1Permissions());
        // Self-registration, as broker had it: no groups, permissions only on the collections.
        return sc.security().signUp(spec, password)
                .handle((u, err) -> {
                    if (err != null) {
                        SwitchboardException se = SwitchboardException.of(err);
                        throw se.code() == ErrorCode.CONFLICT ? SwitchboardException.badRequest("username", "already taken") : se;
                    }
                    return (JsonNode) Json.object().put("id", id);
                });
    }

    private CompletableFuture<JsonNode> login(HttpExchange x) {
        ObjectNode b = x.bodyObject(Set.of("username", "password"));
        return users.login(x, BrokerHttp.text(b, "username"), BrokerHttp.text(b, "password"), true)
                .thenApply(jwt -> Json.object().put("jwt", jwt));
    }

    /** A publish at {@code timestamp} (now when past) on the collection, under the user's own id. */
    private CompletableFuture<JsonNode> insert(HttpExchange x) {
        ObjectNode b = x.bodyObject(Set.of("event", "collection_id", "timestamp", "data"));
        String event = BrokerEvents.segment(BrokerHttp.text(b, "event"), "event");
        String collection = uuid(BrokerHttp.text(b, "collection_id"), "collection_id");
        JsonNode ts = b.get("timestamp");
        if (ts == null || !ts.isNumber() || ts.asDouble() < 0 || ts.asDouble() > 1e11) {
            throw SwitchboardException.badRequest("timestamp", "must be epoch seconds (a non-negative number)");
        }
        JsonNode data = b.has("data") ? b.get("data") : Json.MAPPER.nullNode();
        long at = (long) (ts.asDouble() * 1000);
        return withSession(x, s -> {
            String userId = s.principal().userId();
            ObjectNode meta = Json.object().put("event", event).put("collection_id", collection).put("user_id", userId);
            meta.set("timestamp", ts);
            Request.Publish p = new Request.Publish(BrokerEvents.V1_ROOT + "/" + collection + "/" + userId + "/" + event,
                    data, meta, at, null, Consistency.TRANSACTIONAL, RequestParser.DEFAULT_ACK_TIMEOUT_MS);
            return sc.pipeline().call(s, p).thenApply(r -> {
                ObjectNode e = Json.object();
                e.put("id", r instanceof Result.Scheduled sch ? sch.id() : ((Result.Published) r).id());
                e.put("user_id", userId);
                e.put("collection_id", collection);
                e.put("event", event);
                e.set("timestamp", ts);
                e.put("published", r instanceof Result.Published);
                e.put("cancelled", false);
                e.set("data", data);
                ObjectNode o = Json.object();
                o.set("event", e);
                return o;
            });
        });
    }

    /** {@code collections/{id}}, {@code user}, or {@code {id}/cancel}. */
    private CompletableFuture<JsonNode> events(HttpExchange x, String rest) {
        String[] seg = rest.split("/", -1);
        if (seg.length == 2 && seg[0].equals("collections")) {
            String collection = uuid(seg[1], "collection_id");
            return withSession(x, s -> BrokerEvents.scan(sc.pipeline(), s,
                    Pattern.compile(BrokerEvents.V1_ROOT + "/" + collection + "/**", "pattern")).thenApply(scan -> {
                ObjectNode o = Json.object();
                o.set("events", array(scan.v1Sorted(e -> true)));
                return o;
            }));
        }
        if (seg.length == 1 && seg[0].equals("user")) {
            return withSession(x, s -> {
                String userId = s.principal().userId();
                User u = sc.security().directory().user(userId);
                String collection = u == null ? null : u.data().path("collection_id").asText(null);
                return BrokerEvents.scan(sc.pipeline(), s, Pattern.compile(BrokerEvents.V1_ROOT + "/**", "pattern")).thenApply(scan -> {
                    ObjectNode o = Json.object();
                    o.set("info", array(scan.v1Sorted(e -> collection != null
                            && collection.equals(e.meta() == null ? null : e.meta().path("collection_id").asText(null)))));
                    o.set("events", array(scan.v1Sorted(e -> e.meta() != null && userId.equals(e.meta().path("user_id").asText(null)))));
                    return o;
                });
            });
        }
        if (seg.length == 2 && seg[1].equals("cancel") && !seg[0].isEmpty()) {
            String id = seg[0];
            return withSession(x, s -> sc.pipeline().call(s, new Request.Cancel(id)).handle((r, err) -> {
                if (err != null) {
                    SwitchboardException se = SwitchboardException.of(err);
                    if (se.code() == ErrorCode.FORBIDDEN || se.code() == ErrorCode.NOT_FOUND) {
                        // Someone else's event is as unknown as a missing one: nothing to learn from the answer.
                        throw SwitchboardException.notFound("no pending event " + id + " of yours");
                    }
                    if (se.code() == ErrorCode.CONFLICT) {
                        throw SwitchboardException.conflict("event " + id + " is already published");
                    }
                    throw se;
                }
                ObjectNode e = Json.object().put("id", id).put("published", false).put("cancelled", true);
                ObjectNode o = Json.object();
                o.set("event", e);
                return o;
            }));
        }
        throw BrokerHttp.notFound(x);
    }

    private <T> CompletableFuture<T> withSession(HttpExchange x, Function<Session, CompletableFuture<T>> f) {
        return sc.pipeline().authenticate(users.credentials(x, true), x.remote(), NoReplySink.INSTANCE)
                .thenCompose(s -> f.apply(s).whenComplete((r, e) -> s.close()));
    }

    private static ArrayNode array(List<ObjectNode> items) {
        ArrayNode a = Json.MAPPER.createArrayNode();
        items.forEach(a::add);
        return a;
    }

    private static String uuid(String v, String field) {
        try {
            return UUID.fromString(v).toString();
        } catch (IllegalArgumentException e) {
            throw SwitchboardException.badRequest(field, "must be a UUID");
        }
    }
}
