package io.switchboard.client;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.switchboard.core.error.SwitchboardException;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BiConsumer;

/**
 * A request waiting to be sent or answered. Exactly one of reply, error reply, timeout, connection
 * loss or client close settles it; whoever loses does nothing, so a late reply after a timeout
 * cannot run {@code onReply} (it goes to {@code onOrphan} instead, to undo a late subscribe).
 *
 * <p>{@code onReply} runs on the event loop before any later message of the connection is read:
 * that is how a subscription is registered before its first push. The future itself is completed
 * on {@code completer}, so user callbacks never run on (and never block) the event loop.
 */
final class PendingRequest {
    final long id;
    final String op;
    /** The full wire message, {@code id} and {@code op} included. */
    final ObjectNode message;
    final CompletableFuture<JsonNode> future = new CompletableFuture<>();
    /** Client's own requests (connect, resubscribe, ack) are never queued while disconnected. */
    final boolean internal;
    private final Executor completer;
    private final BiConsumer<WsConnection, JsonNode> onReply;
    private final BiConsumer<WsConnection, JsonNode> onOrphan;
    private final AtomicBoolean settled = new AtomicBoolean();
    volatile ScheduledFuture<?> timeout;
    /** The connection it was sent on, null while queued. */
    volatile WsConnection connection;

    PendingRequest(long id, String op, ObjectNode message, boolean internal, Executor completer,
                   BiConsumer<WsConnection, JsonNode> onReply, BiConsumer<WsConnection, JsonNode> onOrphan) {
        this.id = id;
        this.op = op;
        this.message = message;
        this.internal = internal;
        this.completer = completer;
        this.onReply = onReply;
        this.onOrphan = onOrphan;
    }

    /** A successful reply arrived on {@code c}. */
    void succeed(WsConnection c, JsonNode result) {
        if (!settled.compareAndSet(false, true)) {
            if (onOrphan != null) {
                onOrphan.accept(c, result);
            }
            return;
        }
        cancelTimeout();
        if (onReply != null) {
            onReply.accept(c, result);
        }
        complete(() -> future.complete(result));
    }

    /** Settles with an error; false when something else settled it first. */
    boolean fail(SwitchboardException error) {
        if (!settled.compareAndSet(false, true)) {
            return false;
        }
        cancelTimeout();
        complete(() -> future.completeExceptionally(error));
        return true;
    }

    boolean isSettled() {
        return settled.get();
    }

    private void cancelTimeout() {
        ScheduledFuture<?> t = timeout;
        if (t != null) {
            t.cancel(false);
        }
    }

    private void complete(Runnable r) {
        if (completer == null) {
            r.run();
            return;
        }
        try {
            completer.execute(r);
        } catch (RejectedExecutionException e) {
            r.run();
        }
    }
}
