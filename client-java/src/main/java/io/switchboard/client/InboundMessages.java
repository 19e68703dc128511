package io.switchboard.client;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.switchboard.core.client.WireEvents;
import io.switchboard.core.json.Json;
import io.switchboard.core.model.Event;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Set;
import java.util.function.Consumer;

/**
 * Reads what the server sends: splits each text frame into its messages (the server batches
 * several, one per line) and hands each on by kind: a reply to the {@link RequestTracker}, a push
 * to its subscription and then to the event thread, a {@code sys} message to the system listener
 * (a rolled token also to whoever signs in next).
 *
 * <p>Runs on the connection's event loop, frame after frame and message after message, and takes
 * no lock of the client: the order of the wire is kept, which is what registers a subscription
 * (in its subscribe reply) before the first push for it, even when both come in one frame.
 */
final class InboundMessages {
    private static final Logger log = LoggerFactory.getLogger(InboundMessages.class);

    private final RequestTracker requests;
    private final EventDispatcher events;
    /** The subscriptions to restore after a reconnect: one whose {@code count} is used up leaves it. */
    private final Set<NetworkSubscription> live;
    private final Consumer<String> onRolledToken;

    InboundMessages(RequestTracker requests, EventDispatcher events, Set<NetworkSubscription> live,
                    Consumer<String> onRolledToken) {
        this.requests = requests;
        this.events = events;
        this.live = live;
        this.onRolledToken = onRolledToken;
    }

    /** One text frame of {@code c}; an unparsable message is logged and skipped, the rest still count. */
    void onFrame(WsConnection c, String frame) {
        for (String line : Frames.split(frame)) {
            JsonNode msg;
            try {
                msg = Json.parse(line);
            } catch (Exception e) {
                log.warn("unparsable message from {}: {}", c.address, e.toString());
                continue;
            }
            onMessage(c, msg);
        }
    }

    private void onMessage(WsConnection c, JsonNode msg) {
        if (msg.has("sub") && msg.has("event")) {
            onPush(c, msg);
        } else if (msg.has("id") && (msg.has("ok") || msg.has("result") || msg.has("error"))) {
            requests.onReply(c, msg);
        } else if (msg.has("sys") && msg instanceof ObjectNode o) {
            if ("token".equals(o.path("sys").asText()) && o.hasNonNull("token")) {
                onRolledToken.accept(o.get("token").asText()); // the next reconnect signs in with it
            }
            events.system(o);
        } else {
            log.debug("unexpected message from {}: {}", c.address, msg);
        }
    }

    private void onPush(WsConnection c, JsonNode msg) {
        NetworkSubscription sub = c.subscriptions.get(msg.path("sub").asText());
        boolean needsAck = msg.path("ack").asBoolean(false);
        if (sub == null) {
            return; // unsubscribed meanwhile
        }
        Event e = WireEvents.event(msg.get("event"));
        if (!sub.route(e)) {
            if (needsAck) {
                ack(e.offset()); // a replayed duplicate: already delivered, but the server waits for it
            }
            return;
        }
        if (sub.isOver()) {
            live.remove(sub);
            c.subscriptions.remove(sub.id());
        }
        events.deliver(sub, e, needsAck, this::ack);
    }

    /** Acknowledges a delivered event on the current session; nothing to do while disconnected. */
    private void ack(long offset) {
        requests.sendOnSession("ack", Json.object().put("offset", offset));
    }
}
