package io.switchboard.core.router;

import io.switchboard.core.model.Event;
import io.switchboard.core.result.DeliveryCounts;

import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Counts the deliveries of one write's events for {@code deferred} and {@code acknowledged}
 * consistency: {@code queued} pushes attempted, {@code delivered} accepted by a connection,
 * {@code acknowledged} acked by the client, {@code failed} dropped. For acknowledged writes,
 * {@link #done()} completes when every accepted push was acked or the timeout fired.
 */
public final class DeliveryTracker {
    private final boolean needsAck;
    private final AtomicInteger queued = new AtomicInteger();
    private final AtomicInteger delivered = new AtomicInteger();
    private final AtomicInteger acknowledged = new AtomicInteger();
    private final AtomicInteger failed = new AtomicInteger();
    /** "sessionId/offset" keys still waiting for an ack. */
    private final Set<String> awaiting = ConcurrentHashMap.newKeySet();
    private final CompletableFuture<DeliveryCounts> done = new CompletableFuture<>();
    private final CompletableFuture<DeliveryCounts> sealedCounts = new CompletableFuture<>();
    private volatile boolean sealed;

    public DeliveryTracker(boolean needsAck) {
        this.needsAck = needsAck;
    }

    public boolean needsAck() {
        return needsAck;
    }

    /** Called before a push, so an ack that arrives before the push call returns is counted. */
    void expect(Event e, String sessionId) {
        queued.incrementAndGet();
        if (needsAck) {
            awaiting.add(key(sessionId, e.offset()));
        }
    }

    /** Called after the push with whether the connection accepted it. */
    void pushed(Event e, String sessionId, boolean accepted) {
        if (accepted) {
            delivered.incrementAndGet();
        } else {
            failed.incrementAndGet();
            if (needsAck) {
                awaiting.remove(key(sessionId, e.offset()));
                maybeFinish();
            }
        }
    }

    /** Records an ack; returns true when this tracker was waiting for it. */
    public boolean ack(String sessionId, long offset) {
        if (awaiting.remove(key(sessionId, offset))) {
            acknowledged.incrementAndGet();
            maybeFinish();
            return true;
        }
        return false;
    }

    /** Called once dispatch of the write's events has finished: no more deliveries come. */
    public void seal() {
        sealed = true;
        maybeFinish();
        sealedCounts.complete(counts());
    }

    /** Completes at {@link #seal()} with the counts then (acks may still be outstanding). */
    public CompletableFuture<DeliveryCounts> sealed() {
        return sealedCounts;
    }

    /** The ack timeout passed: whatever is still unacknowledged counts as failed. */
    public void timeout() {
        int missing = awaiting.size();
        awaiting.clear();
        failed.addAndGet(missing);
        done.complete(counts());
    }

    private void maybeFinish() {
        if (sealed && (!needsAck || awaiting.isEmpty())) {
            done.complete(counts());
        }
    }

    public CompletableFuture<DeliveryCounts> done() {
        return done;
    }

    /** The counts so far. */
    public DeliveryCounts counts() {
        return new DeliveryCounts(queued.get(), delivered.get(), acknowledged.get(), failed.get());
    }

    private static String key(String sessionId, long offset) {
        return sessionId + "/" + offset;
    }
}
