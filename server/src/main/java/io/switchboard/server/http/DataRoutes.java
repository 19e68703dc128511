package io.switchboard.server.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.netty.handler.codec.http.HttpMethod;
import io.switchboard.core.error.SwitchboardException;
import io.switchboard.core.json.Json;
import io.switchboard.core.op.RequestParser;
import io.switchboard.core.wire.NativeEncoder;
import io.switchboard.server.ServerContext;

/**
 * The data API (SPEC section 5): each route builds the same message a WebSocket client sends
 * and runs it through the same parser and, as a stateless session, the same pipeline.
 */
final class DataRoutes {
    /** What a publish body may hold: the publish op's fields except the path (in the URL). */
    static final java.util.Set<String> PUBLISH_BODY =
            java.util.Set.of("data", "meta", "at", "targetSessions", "consistency", "ackTimeout");
    /** What an increment body may hold: the increment op's fields except the path (in the URL). */
    static final java.util.Set<String> INCREMENT_BODY =
            java.util.Set.of("field", "by", "meta", "targetSessions", "consistency", "ackTimeout");

    private final ServerContext sc;

    private DataRoutes(ServerContext sc) {
        this.sc = sc;
    }

    static void register(RouteTable t, ServerContext sc) {
        DataRoutes d = new DataRoutes(sc);
        t.add(Route.exact("/api/data", d::data));
        t.add(Route.prefix("/api/data/", d::data));
        t.add(Route.prefix("/api/count/", d::count));
        t.add(Route.prefix("/api/publish/", d::publish));
        t.add(Route.prefix("/api/increment/", d::increment));
        t.add(Route.prefix("/api/events/", d::cancel));
        t.add(Route.exact("/api/history", d::history));
        t.add(Route.exact("/api/ratelimit", d::rateLimit));
    }

    private void data(HttpExchange x) {
        HttpMethod m = x.method();
        String target = ApiPaths.decode(x.path().substring("/api/data".length()));
        ApiMessages a;
        if (m.equals(HttpMethod.GET)) {
            a = new ApiMessages("get", x.query()).put("path", target).json("criteria").sort().integer("limit", "skip")
                    .list("fields").bool("pathsOnly");
        } else if (m.equals(HttpMethod.PUT) || m.equals(HttpMethod.PATCH)) {
            a = new ApiMessages("set", x.query()).put("path", target).integer("ifVersion", "ackTimeout")
                    .bool("noPublish", "noStore").text("consistency").json("meta").list("targetSessions");
            JsonNode body = x.body();
            if (body != null) {
                a.set("data", body);
            }
            if (m.equals(HttpMethod.PATCH)) {
                a.set("merge", Json.MAPPER.getNodeFactory().booleanNode(true));
            }
        } else if (m.equals(HttpMethod.DELETE)) {
            a = new ApiMessages("remove", x.query()).put("path", target).integer("ackTimeout").bool("noPublish")
                    .text("consistency").json("meta").list("targetSessions");
        } else {
            x.notFound();
            return;
        }
        call(x, a.message());
    }

    private void count(HttpExchange x) {
        if (!x.method().equals(HttpMethod.GET)) {
            x.notFound();
            return;
        }
        call(x, new ApiMessages("count", x.query()).put("path", ApiPaths.decode(x.path().substring("/api/count".length())))
                .json("criteria").message());
    }

    private void publish(HttpExchange x) {
        if (!x.method().equals(HttpMethod.POST)) {
            x.notFound();
            return;
        }
        x.allowQuery();
        JsonNode body = x.body();
        if (body != null && !body.isObject()) {
            throw SwitchboardException.badRequest("body", "must be a JSON object {data, meta, at}");
        }
        io.switchboard.core.json.Fields.allowOnly(body, "", PUBLISH_BODY);
        ObjectNode msg = body == null ? Json.object() : ((ObjectNode) body).deepCopy();
        msg.put("op", "publish").put("path", ApiPaths.decode(x.path().substring("/api/publish".length())));
        call(x, msg);
    }

    /** {@code POST /api/increment/{path}} with {@code {field, by?, ...}}: the same message as the WebSocket op. */
    private void increment(HttpExchange x) {
        if (!x.method().equals(HttpMethod.POST)) {
            x.notFound();
            return;
        }
        x.allowQuery();
        JsonNode body = x.body();
        if (body == null || !body.isObject()) {
            throw SwitchboardException.badRequest("body", "must be a JSON object {field, by}");
        }
        io.switchboard.core.json.Fields.allowOnly(body, "", INCREMENT_BODY);
        ObjectNode msg = ((ObjectNode) body).deepCopy();
        msg.put("op", "increment").put("path", ApiPaths.decode(x.path().substring("/api/increment".length())));
        call(x, msg);
    }

    private void cancel(HttpExchange x) {
        String path = x.path();
        String id = path.endsWith("/cancel") ? path.substring("/api/events/".length(), path.length() - "/cancel".length()) : "";
        if (!x.method().equals(HttpMethod.POST) || id.isEmpty() || id.contains("/")) {
            x.notFound();
            return;
        }
        x.allowQuery();
        call(x, Json.object().put("op", "cancel").put("eventId", ApiPaths.decode(id).substring(1)));
    }

    private void history(HttpExchange x) {
        if (!x.method().equals(HttpMethod.GET)) {
            x.notFound();
            return;
        }
        call(x, new ApiMessages("history", x.query()).text("pattern")
                .integer("since", "until", "sinceTs", "untilTs", "limit", "wait").message());
    }

    /** {@code GET /api/ratelimit?op=...}: the caller's standing against its rate limits. */
    private void rateLimit(HttpExchange x) {
        if (!x.method().equals(HttpMethod.GET)) {
            x.notFound();
            return;
        }
        ApiMessages a = new ApiMessages("rateLimitStatus", x.query());
        String op = a.param("op");
        if (op != null) {
            a.put("forOp", op);
        }
        call(x, a.message());
    }

    /** Parses the message and runs it as one stateless session of the request's credentials. */
    private void call(HttpExchange x, ObjectNode msg) {
        var request = RequestParser.parse(msg, sc.pipeline().limits());
        x.respond(sc.pipeline().callOnce(x.credentials(), x.remote(), NoReplySink.INSTANCE, request)
                .thenApply(r -> Reply.ok(NativeEncoder.result(r))));
    }
}
