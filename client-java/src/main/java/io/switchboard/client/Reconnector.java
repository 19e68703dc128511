package io.switchboard.client;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.netty.channel.EventLoopGroup;
import io.switchboard.core.error.ErrorCode;
import io.switchboard.core.error.SwitchboardException;
import io.switchboard.core.json.Json;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The reconnect state machine: keeps one session up until the client closes. An attempt connects
 * to the server the {@link AddressSelector} picks; on open it signs in (with the token the server
 * last rolled to, if any); once signed in it resubscribes every live subscription with
 * {@code since: {epoch, offset}} and only then lets the waiting requests go, so they reach the
 * wire after the resubscribes. A failed connect or a dropped connection schedules the next attempt
 * after a {@link Backoff} delay with jitter. Refused credentials end it all (the client closes):
 * retrying would not make them right.
 *
 * <p>Locking: {@code current}, {@code started}, {@code closed}, {@code reconnectTask},
 * {@code session}, the selector and the backoff are guarded by the client's one lock, shared with
 * {@link RequestTracker}. "Is a session up" is not a field here: it is the tracker's session
 * connection, set and cleared from this class under that lock, so the two cannot disagree.
 * Attempts run on the event loop (as timer tasks) or on the caller of {@link #start()};
 * connection callbacks come on the event loop.
 */
final class Reconnector {
    private static final Logger log = LoggerFactory.getLogger(Reconnector.class);

    private final Object lock;
    private final ClientOptions options;
    private final EventLoopGroup group;
    private final Scheduler scheduler;
    private final RequestTracker requests;
    private final EventDispatcher events;
    /** The subscriptions to restore after a reconnect; a concurrent set, read here under the lock. */
    private final Set<NetworkSubscription> live;
    private final WsConnection.Listener connectionListener;
    /** Closes the whole client: when the connect deadline passes or the credentials are refused. */
    private final Runnable closeClient;
    private final CompletableFuture<Void> firstSession = new CompletableFuture<>();
    /** Written on the event loop when the server rolls it, read at the next sign in. */
    private volatile String token;

    // Guarded by lock:
    private final AddressSelector selector;
    private final Backoff backoff;
    /** The connection being opened, signed in, or carrying the session; null between attempts. */
    private WsConnection current;
    private boolean started;
    private boolean closed;
    private ScheduledFuture<?> reconnectTask;
    private JsonNode session;

    Reconnector(Object lock, ClientOptions options, EventLoopGroup group, Scheduler scheduler,
                RequestTracker requests, EventDispatcher events, Set<NetworkSubscription> live,
                WsConnection.Listener connectionListener, Runnable closeClient) {
        this.lock = lock;
        this.options = options;
        this.group = group;
        this.scheduler = scheduler;
        this.requests = requests;
        this.events = events;
        this.live = live;
        this.connectionListener = connectionListener;
        this.closeClient = closeClient;
        this.token = options.token();
        this.selector = new AddressSelector(options.addresses(), options.strategy(),
                bound -> ThreadLocalRandom.current().nextInt(bound));
        this.backoff = new Backoff(options.backoffInitial(), options.backoffMax(),
                () -> ThreadLocalRandom.current().nextDouble());
    }

    /**
     * Starts the first attempt (once) and the connect deadline; completes when the first session
     * is up, fails when the deadline passes or the credentials are refused.
     */
    CompletableFuture<Void> start() {
        synchronized (lock) {
            if (!started && !closed) {
                started = true;
                scheduler.schedule(() -> {
                    if (firstSession.completeExceptionally(SwitchboardException.unavailable(
                            "no session with " + options.addresses() + " within " + options.connectTimeout(), null))) {
                        closeClient.run();
                    }
                }, options.connectTimeout().toMillis());
                attempt();
            }
        }
        return firstSession;
    }

    /** The server rolled the session's token: sign in with it from now on. */
    void useToken(String rolled) {
        token = rolled;
    }

    /** The server of the current session, or null while disconnected. */
    ServerAddress connectedAddress() {
        WsConnection c = requests.sessionConnection();
        return c != null ? c.address : null;
    }

    /** The reply of the last {@code connect}. */
    JsonNode session() {
        synchronized (lock) {
            return session;
        }
    }

    /** Drops the current connection abruptly, as a network failure would. */
    void abortConnection() {
        WsConnection c;
        synchronized (lock) {
            c = current;
        }
        if (c != null) {
            c.abort();
        }
    }

    /**
     * Stops for good: no more attempts, the connection closed politely, every waiting or in-flight
     * request failed. False when it was closed already.
     */
    boolean close() {
        List<PendingRequest> orphans;
        WsConnection c;
        synchronized (lock) {
            if (closed) {
                return false;
            }
            closed = true;
            if (reconnectTask != null) {
                reconnectTask.cancel(false);
            }
            c = current;
            current = null;
            orphans = requests.closeLocked(c);
        }
        if (c != null) {
            c.close();
        }
        SwitchboardException closedError = RequestTracker.clientClosed();
        orphans.forEach(p -> p.fail(closedError));
        firstSession.completeExceptionally(closedError);
        return true;
    }

    // ---- attempts (under lock)

    private void attempt() {
        synchronized (lock) {
            reconnectTask = null;
            if (closed) {
                return;
            }
            ServerAddress address = selector.next();
            log.debug("connecting to {}", address);
            WsConnection[] self = new WsConnection[1];
            self[0] = WsConnection.open(group, address, options, connectionListener, () -> onConnectFailed(self[0]));
            current = self[0];
        }
    }

    private void onConnectFailed(WsConnection c) {
        synchronized (lock) {
            if (current == c) {
                current = null;
                scheduleReconnectLocked();
            }
        }
    }

    private void scheduleReconnectLocked() {
        if (closed || reconnectTask != null) {
            return;
        }
        long delay = backoff.nextDelayMs();
        log.debug("reconnecting in {} ms", delay);
        reconnectTask = scheduler.schedule(this::attempt, delay);
    }

    // ---- connection callbacks (event loop)

    /** The WebSocket handshake is done: sign in, first message of every connection. */
    void onOpen(WsConnection c) {
        PendingRequest p = requests.internal("connect", options.credentials(token), this::onSessionReady, null);
        p.future.whenComplete((r, e) -> {
            if (e == null) {
                return;
            }
            SwitchboardException se = SwitchboardException.of(e);
            boolean refused = se.code() == ErrorCode.UNAUTHENTICATED || se.code() == ErrorCode.FORBIDDEN;
            if (refused && firstSession.completeExceptionally(se)) {
                closeClient.run(); // wrong credentials will not get better by retrying
            } else {
                log.debug("connect on {} failed: {}", c.address, se.getMessage());
                c.abort();
            }
        });
        synchronized (lock) {
            if (closed || current != c) {
                c.abort();
                return;
            }
            requests.sendLocked(c, p);
        }
    }

    /** Signed in: resubscribe, then send what waited, in that order on the wire. */
    private void onSessionReady(WsConnection c, JsonNode reply) {
        synchronized (lock) {
            if (closed || current != c) {
                c.abort();
                return;
            }
            session = reply;
            backoff.reset();
            c.watchHeartbeat(reply.path("heartbeatMs").asLong(0));
            for (NetworkSubscription sub : live) {
                resubscribeLocked(c, sub);
            }
            requests.sessionUpLocked(c);
        }
        log.debug("session up on {}", c.address);
        firstSession.complete(null);
    }

    private void resubscribeLocked(WsConnection c, NetworkSubscription sub) {
        ObjectNode f = sub.resubscribeFields();
        if (f == null) {
            live.remove(sub);
            return;
        }
        PendingRequest p = requests.internal("subscribe", f, (conn, r) -> {
            if (sub.isCancelled()) {
                requests.unsubscribeOrphan(conn, r);
                return;
            }
            boolean recovered = sub.onResubscribed(r);
            conn.subscriptions.put(sub.id(), sub);
            if (!recovered && options.onRecoveryFailed() != null) {
                // On the event thread, so the listener learns it before the live events that follow.
                events.run(() -> options.onRecoveryFailed().accept(sub, r));
            }
        }, requests::unsubscribeOrphan);
        p.future.whenComplete((r, e) -> {
            if (e instanceof ServerError se) {
                // The server refuses it now (rules changed?): stop, and say so on the system channel.
                live.remove(sub);
                sub.cancel();
                ObjectNode m = Json.object().put("sys", "subscription-failed").put("pattern", sub.pattern());
                m.putObject("error").put("code", se.code().name()).put("message", se.getMessage());
                events.system(m);
            }
        });
        requests.sendLocked(c, p);
    }

    /** The connection is gone: fail what was in flight on it and, if it was ours, try again. */
    void onClosed(WsConnection c) {
        List<PendingRequest> lost;
        synchronized (lock) {
            lost = requests.connectionClosedLocked(c);
            c.subscriptions.clear();
            if (current == c) {
                current = null;
                log.debug("connection to {} lost", c.address);
                scheduleReconnectLocked();
            }
        }
        RequestTracker.failLost(c, lost);
    }
}
