package io.switchboard.client;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.util.concurrent.DefaultThreadFactory;
import io.switchboard.core.client.ClientSubscription;
import io.switchboard.core.client.EventListener;
import io.switchboard.core.client.SwitchboardClient;
import io.switchboard.core.error.ErrorCode;
import io.switchboard.core.error.SwitchboardException;
import io.switchboard.core.json.Json;

import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The {@link SwitchboardClient} over the native WebSocket protocol (SPEC section 4).
 *
 * <pre>{@code
 * SwitchboardNetworkClient client = SwitchboardNetworkClient.builder()
 *         .address("10.0.0.1", 8080).address("10.0.0.2", 8080)   // a pool; or .url("wss://host:8443")
 *                                                                  // with .trustCertificate(pemPath)
 *         .strategy(AddressStrategy.ORDERED)                       // failover in list order
 *         .token("...")                                            // or .credentials(user, pass)
 *         .requestTimeout(Duration.ofSeconds(30))
 *         .build()
 *         .connect();                                              // blocks until the session is up
 * client.set("/a/b", data).join();
 * ClientSubscription s = client.subscribe("/a/*", null, event -> ...).join();
 * }</pre>
 *
 * <p>Behaviour: replies are matched to requests by id; request futures complete on the callback
 * executor (common pool by default), never on the Netty event loop. Events of every subscription
 * and system messages go, in order, to one serial thread per client, so a listener may block. A
 * push flagged {@code ack} is acknowledged after its listener returns.
 *
 * <p>When the connection drops (not on {@link #close()}), the client reconnects with exponential
 * backoff and jitter, choosing the server per {@link AddressStrategy}, signs in again and
 * resubscribes every live subscription with {@code since: {epoch, offset}} from the last event
 * delivered, so no event is lost or duplicated (a replayed event at or below that offset is
 * dropped). If the server cannot replay ({@code recovered: false}), the subscription continues
 * live and {@link ClientOptions#onRecoveryFailed()} is told. Requests issued while disconnected
 * wait for the next session, up to the request timeout; requests in flight when the connection
 * drops fail with {@code UNAVAILABLE}, since they may or may not have been applied.
 */
public final class SwitchboardNetworkClient implements SwitchboardClient {
    private static final AtomicLong CLIENTS = new AtomicLong();

    /*
     * Who owns what. The three jobs of the client are three classes:
     *   RequestTracker  issues requests, matches replies by id, times them out, and keeps the
     *                   requests issued while disconnected until the next session;
     *   Reconnector     the connection life cycle: attempt, sign in, resubscribe, backoff, close;
     *   InboundMessages splits frames and routes replies, pushes and sys messages.
     * This class wires them together and keeps the public API.
     *
     * Threads: callers (request, subscribe, unsubscribe, close); the Netty event loop (connection
     * callbacks, every inbound frame, and every timer: request timeouts, reconnect delays, the
     * connect deadline); the event thread of EventDispatcher (listeners, and the acks after
     * them); the callback executor (user futures complete there).
     *
     * One lock, as before the split. `lock` guards the session state, which now lives in two
     * classes: Reconnector's current connection, started/closed flags, reconnect task, session
     * reply, address selector and backoff; RequestTracker's waiting queue, session connection and
     * closed flag. The split moved fields, not locks: both classes synchronize on this one monitor
     * (and so does unsubscribe below, to forget a subscription id on the session's connection),
     * and each decision that touches both runs in one critical section, so no interleaving exists
     * that did not exist before:
     *   - session up (Reconnector.onSessionReady): resubscribes are written, then the tracker
     *     flushes the queue and opens itself to direct sends; a concurrent submit either queued
     *     before (and is flushed after the resubscribes) or sends after;
     *   - connection lost (Reconnector.onClosed): the tracker takes the in-flight requests and
     *     forgets the session, and the next attempt is scheduled, in one step; a submit after it
     *     queues instead of writing to the dead channel;
     *   - close: both closed flags, the reconnect task and the drain of queue and in-flight
     *     requests, in one step; a submit after it fails, none slips in after the drain.
     * With a lock per class, a request could be queued just after the flush (and sit until its
     * timeout) or after close drained the queue (and never be failed by close).
     *
     * Outside the lock, each with its own reason: a request's outcome (PendingRequest's atomic
     * flag: the first of reply, timeout, loss and close wins); the per-connection maps of requests
     * in flight and subscription ids (concurrent maps that die with their WsConnection); the
     * subscription's own routing state (NetworkSubscription's monitor, which may be taken while
     * holding `lock`, never the other way round); `live` (a concurrent set); the rolled token
     * (volatile). Requests are failed after the lock is released, with one case kept from
     * before: aborting a channel under the lock on the event loop may run onClosed at once, on the
     * same thread; the monitor is reentrant, and only internal futures complete inline (their
     * callbacks abort or close), while user futures complete on the callback executor, so no user
     * code runs under the lock.
     */
    private final Object lock = new Object();
    private final ClientOptions options;
    private final EventLoopGroup group;
    private final boolean ownsGroup;
    private final EventDispatcher events;
    /** Subscriptions to restore after a reconnect: added on the subscribe reply, removed when they end. */
    private final Set<NetworkSubscription> live = ConcurrentHashMap.newKeySet();
    private final RequestTracker requests;
    private final Reconnector reconnector;
    private final InboundMessages inbound;

    SwitchboardNetworkClient(ClientOptions options) {
        this.options = options;
        long n = CLIENTS.incrementAndGet();
        this.ownsGroup = options.eventLoopGroup() == null;
        this.group = ownsGroup
                ? new MultiThreadIoEventLoopGroup(1, new DefaultThreadFactory("switchboard-client-io-" + n, true),
                NioIoHandler.newFactory())
                : options.eventLoopGroup();
        this.events = new EventDispatcher("switchboard-client-events-" + n, options.systemListener());
        Scheduler scheduler = Scheduler.on(group);
        this.requests = new RequestTracker(lock, scheduler, options.requestTimeout(), options.callbackExecutor());
        this.reconnector = new Reconnector(lock, options, group, scheduler, requests, events, live,
                new ConnectionCallbacks(), this::close);
        this.inbound = new InboundMessages(requests, events, live, reconnector::useToken);
    }

    /** A builder of options; {@code .build()} gives an unconnected client. */
    public static ClientOptions.Builder builder() {
        return new ClientOptions.Builder();
    }

    /** Connects and waits for the first session; on failure the client is closed. */
    public SwitchboardNetworkClient connect() {
        try {
            return connectAsync().get();
        } catch (ExecutionException e) {
            throw SwitchboardException.of(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            close();
            throw SwitchboardException.unavailable("interrupted while connecting", e);
        }
    }

    /**
     * Starts connecting (trying the pool's servers with backoff) and completes when the first
     * session is up; fails after the connect timeout, or at once when the credentials are refused.
     */
    public CompletableFuture<SwitchboardNetworkClient> connectAsync() {
        return reconnector.start().thenApplyAsync(v -> this, options.callbackExecutor());
    }

    /** Whether a session is up right now. */
    public boolean isConnected() {
        return requests.sessionConnection() != null;
    }

    /** The server of the current session, or null while disconnected. */
    public ServerAddress connectedAddress() {
        return reconnector.connectedAddress();
    }

    /** The reply of the last {@code connect}: {@code {session, user, epoch, offset, heartbeatMs}}. */
    public JsonNode session() {
        return reconnector.session();
    }

    @Override
    public CompletableFuture<JsonNode> request(String op, ObjectNode fields) {
        PendingRequest p = requests.user(op, fields, null, null);
        requests.submit(p);
        return p.future;
    }

    @Override
    public CompletableFuture<ClientSubscription> subscribe(String pattern, ObjectNode options, EventListener listener) {
        NetworkSubscription sub = new NetworkSubscription(this, pattern, options, listener);
        ObjectNode f = options == null ? Json.object() : options.deepCopy();
        f.put("pattern", pattern);
        Long since = NetworkSubscription.sinceOffset(f);
        PendingRequest p = requests.user("subscribe", f, (c, r) -> {
            sub.onSubscribed(r, since);
            c.subscriptions.put(sub.id(), sub);
            live.add(sub);
        }, requests::unsubscribeOrphan);
        requests.submit(p);
        return p.future.thenApply(r -> sub);
    }

    /** Cancels a subscription: no more events, and no resubscribe after a reconnect. */
    CompletableFuture<Void> unsubscribe(NetworkSubscription sub) {
        if (!sub.cancel()) {
            return CompletableFuture.completedFuture(null);
        }
        live.remove(sub);
        synchronized (lock) {
            WsConnection c = requests.sessionConnection();
            if (c == null) {
                return CompletableFuture.completedFuture(null); // the next session will not resubscribe it
            }
            c.subscriptions.remove(sub.id());
        }
        // NOT_FOUND: a resubscribe was in flight under a new id; its reply will unsubscribe that one.
        return request("unsubscribe", Json.object().put("sub", sub.id())).handle((r, e) -> {
            if (e != null && SwitchboardException.of(e).code() != ErrorCode.NOT_FOUND) {
                throw SwitchboardException.of(e);
            }
            return null;
        });
    }

    @Override
    public void close() {
        if (!reconnector.close()) {
            return;
        }
        live.clear();
        events.shutdown();
        if (ownsGroup) {
            group.shutdownGracefully(0, 2, TimeUnit.SECONDS);
        }
    }

    /** Drops the current connection abruptly, as a network failure would (for tests and tools). */
    void abortConnection() {
        reconnector.abortConnection();
    }

    /** Life cycle to the reconnector, frames to the inbound reader; all on the event loop. */
    private final class ConnectionCallbacks implements WsConnection.Listener {
        @Override
        public void onOpen(WsConnection c) {
            reconnector.onOpen(c);
        }

        @Override
        public void onFrame(WsConnection c, String text) {
            inbound.onFrame(c, text);
        }

        @Override
        public void onClosed(WsConnection c) {
            reconnector.onClosed(c);
        }
    }
}
