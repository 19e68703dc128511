package io.switchboard.server.compat.hatchat;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.netty.handler.codec.http.HttpMethod;
import io.switchboard.core.json.Json;
import io.switchboard.core.result.Result;
import io.switchboard.server.http.HttpExchange;
import io.switchboard.server.http.Reply;

import static io.switchboard.core.json.Fields.requiredText;

/**
 * Hatch@'s channels on the native channel ops: {@code POST /channels}, {@code GET /channels},
 * {@code GET|PATCH|DELETE /channels/:id} and {@code POST /channels/invite} (also {@code /invite}).
 * Who may do what is the native channel model's decision; this class only translates shapes.
 */
final class HatchatChannels {
    private final HatchatCalls calls;

    HatchatChannels(HatchatCalls calls) {
        this.calls = calls;
    }

    void root(HttpExchange x) {
        if (x.method().equals(HttpMethod.POST)) {
            ObjectNode body = x.bodyObject();
            ObjectNode msg = Json.object().put("op", "channelCreate").put("channel", id(requiredText(body, "id"), "id"));
            if (body.hasNonNull("inviteModel")) {
                msg.set("inviteModel", body.get("inviteModel"));
            }
            x.respond(calls.call(x, msg).thenApply(r -> Reply.ok(channel((Result.ChannelInfo) r))));
        } else if (x.method().equals(HttpMethod.GET)) {
            x.respond(calls.call(x, Json.object().put("op", "channelList")).thenApply(r -> {
                ArrayNode out = Json.MAPPER.createArrayNode();
                ((Result.ChannelList) r).channels().forEach(c -> out.add(channel(c)));
                return Reply.ok(out);
            }));
        } else {
            x.notFound();
        }
    }

    void one(HttpExchange x, String id) {
        HttpMethod m = x.method();
        if (m.equals(HttpMethod.GET)) {
            x.respond(calls.call(x, op("channelGet", id)).thenApply(r -> {
                Result.ChannelInfo c = (Result.ChannelInfo) r;
                ObjectNode o = channel(c);
                ArrayNode members = o.putArray("members");
                for (Result.ChannelInfo.Member mem : c.members()) {
                    var u = calls.user(mem.id());
                    if (u != null) {
                        members.add(HatchatCalls.userJson(u));
                    }
                }
                return Reply.ok(o);
            }));
        } else if (m.equals(HttpMethod.PATCH)) {
            ObjectNode body = x.bodyObject();
            if (!body.hasNonNull("inviteModel")) {
                throw io.switchboard.core.error.SwitchboardException.badRequest("inviteModel", "is required");
            }
            ObjectNode msg = op("channelUpdate", id);
            msg.set("inviteModel", body.get("inviteModel"));
            x.respond(calls.call(x, msg).thenApply(r -> Reply.ok(channel((Result.ChannelInfo) r))));
        } else if (m.equals(HttpMethod.DELETE)) {
            x.respond(calls.call(x, op("channelDelete", id)).thenApply(r -> Reply.ok(Json.object().put("id", id)
                    .put("deleted", true))));
        } else {
            x.notFound();
        }
    }

    /** {@code POST /channels/invite {channelId, userId}}: as the invite model allows; idempotent. */
    void invite(HttpExchange x) {
        if (!x.method().equals(HttpMethod.POST)) {
            x.notFound();
            return;
        }
        ObjectNode body = x.bodyObject();
        String channel = id(requiredText(body, "channelId"), "channelId");
        String user = requiredText(body, "userId");
        x.respond(calls.call(x, op("channelInvite", channel).put("user", user)).thenApply(r ->
                Reply.ok(Json.object().put("channelId", channel).put("userId", user))));
    }

    /** A channel id checked under the name the Hatch@ client used for it. */
    private static String id(String id, String field) {
        io.switchboard.core.op.ChannelRequests.checkId(id, field);
        return id;
    }

    private static ObjectNode op(String op, String channel) {
        return Json.object().put("op", op).put("channel", channel);
    }

    private static ObjectNode channel(Result.ChannelInfo c) {
        return Json.object().put("id", c.id()).put("ownerId", c.owner()).put("inviteModel", c.inviteModel());
    }
}
