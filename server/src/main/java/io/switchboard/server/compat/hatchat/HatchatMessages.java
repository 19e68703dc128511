package io.switchboard.server.compat.hatchat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.netty.handler.codec.http.HttpMethod;
import io.switchboard.core.error.SwitchboardException;
import io.switchboard.core.json.Json;
import io.switchboard.core.model.Event;
import io.switchboard.core.op.ChannelRequests;
import io.switchboard.core.result.Result;
import io.switchboard.core.security.ChannelMemberships;
import io.switchboard.server.http.HttpExchange;
import io.switchboard.server.http.Reply;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

import static io.switchboard.core.json.Fields.requiredText;

/**
 * {@code POST /messages} and the long-polled {@code GET /messages}. A message is a publish on the
 * channel's {@code /_channels/{id}/messages} in the one event log (its author is the event's
 * {@code by}, set by the server); the join notices Hatch@ shows come from the channel's
 * membership events. Reads are the native {@code history} op with a time window, so members
 * only, and with {@code wait} (30 s) when nothing matches yet.
 */
final class HatchatMessages {
    /** How long {@code GET /messages} waits for a message when none matches. */
    static final int WAIT_SECONDS = 30;
    private static final DateTimeFormatter ISO_MS =
            DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSXXX").withZone(ZoneOffset.UTC);

    private final HatchatCalls calls;

    HatchatMessages(HatchatCalls calls) {
        this.calls = calls;
    }

    void handle(HttpExchange x) {
        if (x.method().equals(HttpMethod.POST)) {
            post(x);
        } else if (x.method().equals(HttpMethod.GET)) {
            get(x);
        } else {
            x.notFound();
        }
    }

    private void post(HttpExchange x) {
        ObjectNode body = x.bodyObject();
        String channel = channelId(requiredText(body, "channelId"));
        JsonNode payload = body.get("payload");
        if (payload == null || payload.isNull()) {
            throw SwitchboardException.badRequest("payload", "is required");
        }
        ObjectNode msg = Json.object().put("op", "publish").put("path", messagesPath(channel));
        msg.set("data", payload);
        x.respond(calls.call(x, msg).thenApply(r -> Reply.ok(Json.object().put("channelId", channel)
                .put("id", ((Result.Published) r).id()))));
    }

    private void get(HttpExchange x) {
        String channel = channelId(required(x, "channelId"));
        Long since = time(x.param("since"), "since");
        Long until = time(x.param("until"), "until");
        String limitText = x.param("limit");
        ObjectNode msg = Json.object().put("op", "history").put("pattern", ChannelMemberships.ROOT + "/" + channel + "/*");
        if (since != null) {
            msg.put("sinceTs", since + 1); // since is exclusive, to the millisecond
        }
        if (until != null) {
            msg.put("untilTs", until);
        }
        if (limitText != null) {
            try {
                msg.put("limit", Integer.parseInt(limitText.trim()));
            } catch (NumberFormatException e) {
                throw SwitchboardException.badRequest("limit", "must be an integer");
            }
        }
        long now = System.currentTimeMillis();
        if (until == null || until >= now) {
            msg.put("wait", WAIT_SECONDS);
        }
        x.respond(calls.call(x, msg).thenApply(r -> Reply.ok(messages((Result.History) r))));
    }

    /** Events to Hatch@ messages, ascending by createdAt; membership joins as system notices. */
    private ArrayNode messages(Result.History h) {
        List<Event> events = new ArrayList<>(h.events());
        events.sort(Comparator.comparingLong(Event::ts)); // stable: equal times stay in log order
        ArrayNode out = Json.MAPPER.createArrayNode();
        for (Event e : events) {
            String leaf = e.path().substring(e.path().lastIndexOf('/') + 1);
            ObjectNode m = Json.object().put("createdAt", ISO_MS.format(Instant.ofEpochMilli(e.ts())));
            if (leaf.equals("messages")) {
                String from = e.by();
                m.put("fromUserId", from).put("username", HatchatCalls.username(calls.user(from)));
                m.set("payload", e.data());
            } else if (leaf.equals(ChannelMemberships.MEMBERS_SEGMENT)) {
                String change = e.data().path("change").asText();
                if (!change.equals("joined") && !change.equals("invited")) {
                    continue;
                }
                m.put("fromUserId", HatchatCalls.SYSTEM_USER).putNull("username");
                m.set("payload", Json.object().put("message", "user " + e.data().path("user").asText()
                        + " has joined the channel"));
            } else {
                continue;
            }
            out.add(m);
        }
        return out;
    }

    private static String required(HttpExchange x, String name) {
        String v = x.param(name);
        if (v == null) {
            throw SwitchboardException.badRequest(name, "is required");
        }
        return v;
    }

    private static String channelId(String id) {
        ChannelRequests.checkId(id, "channelId");
        return id;
    }

    static String messagesPath(String channel) {
        return ChannelMemberships.ROOT + "/" + channel + "/messages";
    }

    /** An ISO timestamp, epoch ms, or -infinity/infinity (null: unbounded) in epoch ms. */
    static Long time(String text, String field) {
        if (text == null || text.isEmpty()) {
            return null;
        }
        String t = text.trim();
        if (t.equals("-infinity") || t.equals("infinity")) {
            return null;
        }
        try {
            return Long.parseLong(t);
        } catch (NumberFormatException ignored) {
            // an ISO time
        }
        try {
            return OffsetDateTime.parse(t).toInstant().toEpochMilli();
        } catch (RuntimeException e) {
            try {
                return Instant.parse(t).toEpochMilli();
            } catch (RuntimeException e2) {
                throw SwitchboardException.badRequest(field, "must be an ISO timestamp, -infinity or infinity");
            }
        }
    }
}
