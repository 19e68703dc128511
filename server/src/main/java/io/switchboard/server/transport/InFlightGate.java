package io.switchboard.server.transport;

import io.netty.channel.Channel;

import java.util.ArrayDeque;
import java.util.concurrent.CompletionStage;
import java.util.function.Supplier;

/**
 * Flood control of one connection ({@code limits.maxInFlightPerConnection}): at most {@code max}
 * of its requests run at a time. When that many are pending the gate stops reading from the
 * socket (Netty auto-read off), so a pipelining client is held back by TCP instead of filling
 * the server's memory and the store's queue; reading resumes as requests complete. Requests
 * decoded from bytes already read wait here in arrival order; when the connection closes they
 * are dropped, never started — a gone client's backlog is not applied.
 *
 * <p>{@link #submit} and {@link #close} run on the channel's event loop; completions may come
 * from any thread and hop back to it.
 */
public final class InFlightGate {
    private final Channel channel;
    private final int max;
    private final ArrayDeque<Supplier<? extends CompletionStage<?>>> waiting = new ArrayDeque<>();
    private int running;
    private boolean closed;
    private boolean draining;
    private volatile boolean paused;

    public InFlightGate(Channel channel, int max) {
        this.channel = channel;
        this.max = max;
    }

    /** Starts {@code request} now if under the bound, else queues it; its stage completes when it was answered. */
    public void submit(Supplier<? extends CompletionStage<?>> request) {
        if (closed) {
            return;
        }
        waiting.add(request);
        drain();
        if (running >= max && !paused) {
            paused = true;
            channel.config().setAutoRead(false);
        }
    }

    private void start(Supplier<? extends CompletionStage<?>> request) {
        running++;
        CompletionStage<?> done;
        try {
            done = request.get();
        } catch (RuntimeException e) {
            done = null;
        }
        if (done == null) {
            finished();
        } else {
            done.whenComplete((x, err) -> {
                if (channel.eventLoop().inEventLoop()) {
                    finished();
                } else {
                    channel.eventLoop().execute(this::finished);
                }
            });
        }
    }

    private void finished() {
        running--;
        drain();
    }

    /** Starts waiting requests while under the bound; a loop, not recursion, when they complete at once. */
    private void drain() {
        if (draining) {
            return;
        }
        draining = true;
        try {
            while (!closed && running < max && !waiting.isEmpty()) {
                start(waiting.poll());
            }
        } finally {
            draining = false;
        }
        if (paused && running < max && waiting.isEmpty() && !closed) {
            paused = false;
            channel.config().setAutoRead(true);
        }
    }

    /** The connection is gone: requests not started yet are dropped. */
    public void close() {
        closed = true;
        waiting.clear();
    }

    /** True while reading is paused (the client's silence then is the server's doing, not the client's). */
    public boolean paused() {
        return paused;
    }

    /** Requests started and not answered yet (event loop only; for tests and metrics). */
    public int running() {
        return running;
    }
}
