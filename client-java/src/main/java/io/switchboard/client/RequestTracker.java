package io.switchboard.client;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.switchboard.core.error.SwitchboardException;
import io.switchboard.core.json.Json;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BiConsumer;

/**
 * Issues requests and matches replies to them by id. A user request goes out at once on the
 * connection of the live session or, while there is none, waits in a queue for the next session;
 * the client's own requests (sign in, resubscribe, ack) go on the connection the caller names and
 * never wait, since they belong to that connection. Each request has one timer on the event loop,
 * and whichever of reply, timer, connection loss or close comes first settles it
 * ({@link PendingRequest}).
 *
 * <p>Locking: {@code waiting}, {@code session} and {@code closed} are guarded by the client's one
 * lock, which {@link Reconnector} shares; a method named {@code ...Locked} expects its caller to
 * hold it. It is one lock and not one each because "send now or queue" must be atomic with
 * "session up: flush the queue" and with "close: drain the queue" (see SwitchboardNetworkClient).
 */
final class RequestTracker {
    private final Object lock;
    private final Scheduler scheduler;
    private final long timeoutMs;
    /** Where user futures complete: never the event loop, so a user callback cannot stall it. */
    private final Executor callbacks;
    private final AtomicLong ids = new AtomicLong();

    // Guarded by lock:
    private final Deque<PendingRequest> waiting = new ArrayDeque<>();
    /** The connection of the live (signed-in) session, null while disconnected. */
    private WsConnection session;
    private boolean closed;

    RequestTracker(Object lock, Scheduler scheduler, Duration timeout, Executor callbacks) {
        this.lock = lock;
        this.scheduler = scheduler;
        this.timeoutMs = timeout.toMillis();
        this.callbacks = callbacks;
    }

    static SwitchboardException clientClosed() {
        return SwitchboardException.unavailable("client closed", null);
    }

    /** A request of the user; its future completes on the callback executor. */
    PendingRequest user(String op, ObjectNode fields, BiConsumer<WsConnection, JsonNode> onReply,
                        BiConsumer<WsConnection, JsonNode> onOrphan) {
        return create(op, fields, false, onReply, onOrphan);
    }

    /**
     * A request of the client itself; its future completes on the thread that settles it (the
     * event loop, mostly), so its callbacks must be short and must not block.
     */
    PendingRequest internal(String op, ObjectNode fields, BiConsumer<WsConnection, JsonNode> onReply,
                            BiConsumer<WsConnection, JsonNode> onOrphan) {
        return create(op, fields, true, onReply, onOrphan);
    }

    private PendingRequest create(String op, ObjectNode fields, boolean internal,
                                  BiConsumer<WsConnection, JsonNode> onReply,
                                  BiConsumer<WsConnection, JsonNode> onOrphan) {
        long id = ids.incrementAndGet();
        ObjectNode msg = Json.object().put("id", id).put("op", op);
        if (fields != null) {
            msg.setAll(fields.deepCopy());
            msg.put("id", id).put("op", op); // the caller's fields may not override them
        }
        return new PendingRequest(id, op, msg, internal, internal ? null : callbacks, onReply, onOrphan);
    }

    /** Sends now when a session is up; otherwise a user request waits for the next session. */
    void submit(PendingRequest p) {
        synchronized (lock) {
            if (closed) {
                p.fail(clientClosed());
                return;
            }
            armTimeout(p);
            if (session != null) {
                send(session, p);
            } else if (!p.internal) {
                waiting.add(p);
            } else {
                p.fail(SwitchboardException.unavailable("not connected", null));
            }
        }
    }

    /** Sends {@code p} on {@code c} with its timer; the caller holds the lock and knows c is current. */
    void sendLocked(WsConnection c, PendingRequest p) {
        armTimeout(p);
        send(c, p);
    }

    /**
     * An internal request for the live session alone, dropped while disconnected: an ack is
     * worth nothing on another connection (the next session replays what was not acknowledged).
     */
    void sendOnSession(String op, ObjectNode fields) {
        synchronized (lock) {
            if (session != null) {
                sendLocked(session, internal(op, fields, null, null));
            }
        }
    }

    /** A subscribe whose reply came after its caller gave up (or cancelled): undo it on {@code c}. */
    void unsubscribeOrphan(WsConnection c, JsonNode subscribeReply) {
        PendingRequest p = internal("unsubscribe", Json.object().put("sub", subscribeReply.path("sub").asText()),
                null, null);
        p.connection = c;
        c.send(p.message); // untracked: nobody waits for the answer
    }

    /** Settles the request {@code reply} answers; on the event loop, in the connection's order. */
    void onReply(WsConnection c, JsonNode reply) {
        PendingRequest p = c.pending.remove(reply.path("id").asLong());
        if (p == null) {
            return; // timed out already, or an ack's reply nobody waits for
        }
        boolean ok = reply.has("ok") ? reply.path("ok").asBoolean() : !reply.has("error");
        if (ok) {
            p.succeed(c, reply.has("result") ? reply.get("result") : NullNode.getInstance());
        } else {
            p.fail(ServerError.of(reply.path("error")));
        }
    }

    /**
     * The session on {@code c} is up: what waited goes out now, after whatever the caller sent
     * before this call (the resubscribes), and later requests go straight to {@code c}.
     */
    void sessionUpLocked(WsConnection c) {
        session = c;
        while (!waiting.isEmpty()) {
            PendingRequest p = waiting.poll();
            if (!p.isSettled()) {
                send(c, p);
            }
        }
    }

    /**
     * {@code c} closed: requests wait again if it carried the session, and the ones in flight on
     * it are returned for {@link #failLost}, to be failed outside the lock.
     */
    List<PendingRequest> connectionClosedLocked(WsConnection c) {
        List<PendingRequest> lost = new ArrayList<>(c.pending.values());
        c.pending.clear();
        if (session == c) {
            session = null;
        }
        return lost;
    }

    /** In flight when the connection dropped: they may or may not have been applied, so they fail. */
    static void failLost(WsConnection c, List<PendingRequest> lost) {
        SwitchboardException error = SwitchboardException.unavailable(
                "connection to " + c.address + " lost before the reply (the request may have been applied)", null);
        lost.forEach(p -> p.fail(error));
    }

    /**
     * No more requests: returns what waited and what is in flight on {@code current} (the
     * connection being signed in or carrying the session), for the caller to fail outside the lock.
     */
    List<PendingRequest> closeLocked(WsConnection current) {
        closed = true;
        session = null;
        List<PendingRequest> orphans = new ArrayList<>(waiting);
        waiting.clear();
        if (current != null) {
            orphans.addAll(current.pending.values());
        }
        return orphans;
    }

    /** The connection of the live session, or null while disconnected. */
    WsConnection sessionConnection() {
        synchronized (lock) {
            return session;
        }
    }

    private void armTimeout(PendingRequest p) {
        p.timeout = scheduler.schedule(() -> timeout(p), timeoutMs);
    }

    private void send(WsConnection c, PendingRequest p) {
        p.connection = c;
        c.pending.put(p.id, p);
        c.send(p.message);
    }

    private void timeout(PendingRequest p) {
        if (p.fail(SwitchboardException.unavailable("'" + p.op + "' got no reply within " + timeoutMs + " ms", null))) {
            synchronized (lock) {
                waiting.remove(p);
            }
            WsConnection c = p.connection;
            if (c != null) {
                c.pending.remove(p.id);
            }
        }
    }
}
