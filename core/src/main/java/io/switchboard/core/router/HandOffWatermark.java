package io.switchboard.core.router;

import java.util.ArrayDeque;
import java.util.PriorityQueue;
import java.util.concurrent.CompletableFuture;

/**
 * The newest offset whose events have been handed to every subscriber's queue, and the writes
 * waiting for it. Fan-out runs one task per event loop, so batches may finish out of order; the
 * watermark only moves over a contiguous run of finished batches. "transactional" consistency
 * means a write's reply waits here ({@link #await}) until its last event is handed off.
 */
public final class HandOffWatermark {
    private static final class Batch {
        final long last;
        boolean done;

        Batch(long last) {
            this.last = last;
        }
    }

    private record Waiter(long offset, CompletableFuture<Void> future) { }

    private final ArrayDeque<Batch> inFlight = new ArrayDeque<>();
    private final PriorityQueue<Waiter> waiters = new PriorityQueue<>((a, b) -> Long.compare(a.offset, b.offset));
    private long handedOff;

    public HandOffWatermark(long start) {
        this.handedOff = start;
    }

    /** The newest offset handed off. */
    public synchronized long handedOff() {
        return handedOff;
    }

    /** Completes once every event up to {@code offset} was handed off (at once if it was). */
    public CompletableFuture<Void> await(long offset) {
        synchronized (this) {
            if (offset > handedOff) {
                CompletableFuture<Void> f = new CompletableFuture<>();
                waiters.add(new Waiter(offset, f));
                return f;
            }
        }
        return CompletableFuture.completedFuture(null);
    }

    /** A batch ending at {@code last} starts its hand-off (called in offset order). */
    synchronized Object begin(long last) {
        Batch b = new Batch(last);
        inFlight.add(b);
        return b;
    }

    /** The batch returned by {@link #begin} was handed off to every queue. */
    void finish(Object token) {
        java.util.List<Waiter> ready = null;
        synchronized (this) {
            ((Batch) token).done = true;
            while (!inFlight.isEmpty() && inFlight.peek().done) {
                handedOff = inFlight.poll().last;
            }
            while (!waiters.isEmpty() && waiters.peek().offset <= handedOff) {
                if (ready == null) {
                    ready = new java.util.ArrayList<>();
                }
                ready.add(waiters.poll());
            }
        }
        if (ready != null) {
            for (Waiter w : ready) {
                w.future.complete(null);
            }
        }
    }
}
