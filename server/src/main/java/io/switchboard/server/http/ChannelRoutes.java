package io.switchboard.server.http;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.netty.handler.codec.http.HttpMethod;
import io.switchboard.core.json.Json;
import io.switchboard.core.op.RequestParser;
import io.switchboard.core.security.ChannelMemberships;
import io.switchboard.core.wire.NativeEncoder;
import io.switchboard.server.ServerContext;

import java.util.List;
import java.util.Set;

/**
 * The channel API under {@code /api/channels}: each route builds the native channel op (or, for
 * messages, the publish/history op on {@code /_channels/{id}/messages}) a WebSocket client
 * would send, so the parser and the pipeline check HTTP and WebSocket alike.
 */
final class ChannelRoutes {
    private static final Set<String> CREATE_BODY = Set.of("channel", "name", "inviteModel");
    private static final Set<String> UPDATE_BODY = Set.of("name", "inviteModel");
    private static final Set<String> INVITE_BODY = Set.of("user");
    private static final Set<String> MESSAGE_BODY = Set.of("data", "meta");

    private final ServerContext sc;

    private ChannelRoutes(ServerContext sc) {
        this.sc = sc;
    }

    static void register(RouteTable t, ServerContext sc) {
        ChannelRoutes r = new ChannelRoutes(sc);
        t.add(Route.exact("/api/channels", r::root));
        t.add(Route.prefix("/api/channels/", r::channel));
    }

    private void root(HttpExchange x) {
        x.allowQuery();
        if (x.method().equals(HttpMethod.GET)) {
            call(x, Json.object().put("op", "channelList"));
        } else if (x.method().equals(HttpMethod.POST)) {
            ObjectNode msg = x.bodyObject(CREATE_BODY).deepCopy();
            call(x, msg.put("op", "channelCreate"));
        } else {
            x.notFound();
        }
    }

    private void channel(HttpExchange x) {
        List<String> segs = ApiPaths.segments(x.path().substring("/api/channels".length()));
        HttpMethod m = x.method();
        if (segs.isEmpty()) {
            x.notFound();
            return;
        }
        String id = segs.get(0);
        String sub = segs.size() > 1 ? segs.get(1) : null;
        if (segs.size() == 1) {
            x.allowQuery();
            if (m.equals(HttpMethod.GET)) {
                call(x, op("channelGet", id));
            } else if (m.equals(HttpMethod.PATCH)) {
                call(x, x.bodyObject(UPDATE_BODY).deepCopy().put("op", "channelUpdate").put("channel", id));
            } else if (m.equals(HttpMethod.DELETE)) {
                call(x, op("channelDelete", id));
            } else {
                x.notFound();
            }
        } else if (segs.size() == 2 && m.equals(HttpMethod.POST) && sub.equals("invite")) {
            x.allowQuery();
            call(x, x.bodyObject(INVITE_BODY).deepCopy().put("op", "channelInvite").put("channel", id));
        } else if (segs.size() == 2 && m.equals(HttpMethod.POST) && (sub.equals("join") || sub.equals("leave"))) {
            x.allowQuery();
            x.bodyObject(Set.of());
            call(x, op(sub.equals("join") ? "channelJoin" : "channelLeave", id));
        } else if (segs.size() == 3 && m.equals(HttpMethod.DELETE) && sub.equals("members")) {
            x.allowQuery();
            call(x, op("channelRemove", id).put("user", segs.get(2)));
        } else if (segs.size() == 2 && sub.equals("messages")) {
            messages(x, id);
        } else {
            x.notFound();
        }
    }

    /** {@code POST}: publish a message; {@code GET}: history of the channel's messages (long-polls with {@code wait}). */
    private void messages(HttpExchange x, String id) {
        io.switchboard.core.op.ChannelRequests.checkId(id, "channel");
        String path = ChannelMemberships.ROOT + "/" + id + "/messages";
        if (x.method().equals(HttpMethod.POST)) {
            x.allowQuery();
            ObjectNode msg = x.bodyObject(MESSAGE_BODY).deepCopy();
            call(x, msg.put("op", "publish").put("path", path));
        } else if (x.method().equals(HttpMethod.GET)) {
            call(x, new ApiMessages("history", x.query()).put("pattern", path)
                    .integer("since", "until", "sinceTs", "untilTs", "limit", "wait").message());
        } else {
            x.notFound();
        }
    }

    private static ObjectNode op(String op, String channel) {
        return Json.object().put("op", op).put("channel", channel);
    }

    private void call(HttpExchange x, ObjectNode msg) {
        var request = RequestParser.parse(msg, sc.pipeline().limits());
        x.respond(sc.pipeline().callOnce(x.credentials(), x.remote(), NoReplySink.INSTANCE, request)
                .thenApply(r -> Reply.ok(NativeEncoder.result(r))));
    }
}
