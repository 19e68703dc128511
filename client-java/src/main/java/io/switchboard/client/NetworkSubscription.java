package io.switchboard.client;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.switchboard.core.client.ClientSubscription;
import io.switchboard.core.client.EventListener;
import io.switchboard.core.json.Json;
import io.switchboard.core.model.Event;

import java.util.concurrent.CompletableFuture;

/**
 * A subscription of the network client that survives reconnects. It remembers what it needs to
 * resubscribe without loss or duplicates: the epoch of its last subscribe reply and the offset of
 * the last event handed to its listener's queue. Routing runs on the event loop under this
 * object's lock; delivery runs on the client's serial event thread.
 */
final class NetworkSubscription implements ClientSubscription {
    private final SwitchboardNetworkClient client;
    private final String pattern;
    /** The user's options less {@code since}, {@code initial} and {@code count}, which resubscribe recomputes. */
    private final ObjectNode baseOptions;
    private final Long countLimit;
    final EventListener listener;

    private String id;
    private String epoch;
    private JsonNode reply;
    /** Highest offset routed to the listener's queue: the resume point and the duplicate filter. */
    private long lastRouted;
    private long routedCount;
    private boolean exhausted;
    private volatile boolean cancelled;
    private volatile long lastDelivered;

    NetworkSubscription(SwitchboardNetworkClient client, String pattern, ObjectNode options, EventListener listener) {
        this.client = client;
        this.pattern = pattern;
        this.listener = listener;
        this.baseOptions = options == null ? Json.object() : options.deepCopy();
        this.countLimit = baseOptions.hasNonNull("count") ? baseOptions.get("count").asLong() : null;
        baseOptions.remove(java.util.List.of("since", "initial", "count", "pattern", "id", "op"));
    }

    /** The {@code since} offset of a subscribe request, or null. */
    static Long sinceOffset(JsonNode request) {
        JsonNode s = request == null ? null : request.get("since");
        if (s == null || s.isNull()) {
            return null;
        }
        return s.isObject() ? s.path("offset").asLong() : s.asLong();
    }

    /** First subscribe reply: with a recovered {@code since}, replayed events after it are expected. */
    synchronized void onSubscribed(JsonNode r, Long since) {
        adopt(r);
        lastRouted = since != null && r.path("recovered").asBoolean(false) ? since : r.path("offset").asLong();
        lastDelivered = lastRouted;
    }

    /**
     * Resubscribe reply after a reconnect; returns whether the server could replay from where we
     * were. When it could not, events continue live from the reply's offset (some were missed).
     */
    synchronized boolean onResubscribed(JsonNode r) {
        adopt(r);
        boolean recovered = r.path("recovered").asBoolean(false);
        if (!recovered) {
            lastRouted = r.path("offset").asLong();
        }
        return recovered;
    }

    private void adopt(JsonNode r) {
        id = r.path("sub").asText();
        epoch = r.hasNonNull("epoch") ? r.get("epoch").asText() : null;
        reply = r;
    }

    /**
     * The wire fields to resubscribe with after a reconnect, or null when the subscription is
     * over (cancelled or its {@code count} used up).
     */
    synchronized ObjectNode resubscribeFields() {
        if (cancelled || exhausted) {
            return null;
        }
        ObjectNode f = baseOptions.deepCopy();
        f.put("pattern", pattern);
        ObjectNode since = f.putObject("since");
        if (epoch != null) {
            since.put("epoch", epoch);
        }
        since.put("offset", lastRouted);
        if (countLimit != null) {
            f.put("count", countLimit - routedCount);
        }
        return f;
    }

    /** Whether {@code e} is new and goes to the listener; a replayed duplicate is dropped. */
    synchronized boolean route(Event e) {
        if (cancelled || exhausted || e.offset() <= lastRouted) {
            return false;
        }
        lastRouted = e.offset();
        routedCount++;
        if (countLimit != null && routedCount >= countLimit) {
            exhausted = true; // the server unsubscribed it by itself
        }
        return true;
    }

    synchronized boolean isOver() {
        return cancelled || exhausted;
    }

    boolean isCancelled() {
        return cancelled;
    }

    /** Marks it cancelled by the user; false when it already was. */
    synchronized boolean cancel() {
        boolean was = cancelled;
        cancelled = true;
        return !was;
    }

    void delivered(long offset) {
        lastDelivered = offset;
    }

    @Override
    public synchronized String id() {
        return id;
    }

    @Override
    public String pattern() {
        return pattern;
    }

    @Override
    public long lastOffset() {
        return lastDelivered;
    }

    @Override
    public synchronized JsonNode reply() {
        return reply;
    }

    synchronized String epoch() {
        return epoch;
    }

    @Override
    public CompletableFuture<Void> unsubscribe() {
        return client.unsubscribe(this);
    }

    @Override
    public String toString() {
        return "Subscription{" + id() + " " + pattern + "}";
    }
}
