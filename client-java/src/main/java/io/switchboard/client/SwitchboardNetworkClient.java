package io.switchboard.client;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.util.concurrent.DefaultThreadFactory;
import io.switchboard.core.client.ClientSubscription;
import io.switchboard.core.client.EventListener;
import io.switchboard.core.client.SwitchboardClient;
import io.switchboard.core.client.WireEvents;
import io.switchboard.core.error.ErrorCode;
import io.switchboard.core.error.SwitchboardException;
import io.switchboard.core.json.Json;
import io.switchboard.core.model.Event;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BiConsumer;

/**
 * The {@link SwitchboardClient} over the native WebSocket protocol (SPEC section 4).
 *
 * <pre>{@code
 * SwitchboardNetworkClient client = SwitchboardNetworkClient.builder()
 *         .address("10.0.0.1", 8080).address("10.0.0.2", 8080)   // a pool
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
    private static final Logger log = LoggerFactory.getLogger(SwitchboardNetworkClient.class);
    private static final AtomicLong CLIENTS = new AtomicLong();

    private final ClientOptions options;
    private final EventLoopGroup group;
    private final boolean ownsGroup;
    private final EventDispatcher events;
    private final AtomicLong ids = new AtomicLong();
    private final CompletableFuture<SwitchboardNetworkClient> firstSession = new CompletableFuture<>();
    private final Set<NetworkSubscription> live = ConcurrentHashMap.newKeySet();
    private final Handler handler = new Handler();
    private volatile String token;

    private final Object lock = new Object();
    // Guarded by lock:
    private final AddressSelector selector;
    private final Backoff backoff;
    private final Deque<PendingRequest> waiting = new ArrayDeque<>();
    private WsConnection current;
    private boolean ready;
    private boolean started;
    private boolean closed;
    private ScheduledFuture<?> reconnectTask;
    private JsonNode session;

    SwitchboardNetworkClient(ClientOptions options) {
        this.options = options;
        long n = CLIENTS.incrementAndGet();
        this.ownsGroup = options.eventLoopGroup() == null;
        this.group = ownsGroup
                ? new MultiThreadIoEventLoopGroup(1, new DefaultThreadFactory("switchboard-client-io-" + n, true),
                NioIoHandler.newFactory())
                : options.eventLoopGroup();
        this.events = new EventDispatcher("switchboard-client-events-" + n, options.systemListener());
        this.token = options.token();
        this.selector = new AddressSelector(options.addresses(), options.strategy(),
                bound -> ThreadLocalRandom.current().nextInt(bound));
        this.backoff = new Backoff(options.backoffInitial(), options.backoffMax(),
                () -> ThreadLocalRandom.current().nextDouble());
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
        synchronized (lock) {
            if (!started && !closed) {
                started = true;
                schedule(() -> {
                    if (firstSession.completeExceptionally(SwitchboardException.unavailable(
                            "no session with " + options.addresses() + " within " + options.connectTimeout(), null))) {
                        close();
                    }
                }, options.connectTimeout().toMillis());
                attempt();
            }
        }
        return firstSession.thenApplyAsync(c -> c, options.callbackExecutor());
    }

    /** Whether a session is up right now. */
    public boolean isConnected() {
        synchronized (lock) {
            return ready;
        }
    }

    /** The server of the current session, or null while disconnected. */
    public ServerAddress connectedAddress() {
        synchronized (lock) {
            return ready && current != null ? current.address : null;
        }
    }

    /** The reply of the last {@code connect}: {@code {session, user, epoch, offset, heartbeatMs}}. */
    public JsonNode session() {
        synchronized (lock) {
            return session;
        }
    }

    @Override
    public CompletableFuture<JsonNode> request(String op, ObjectNode fields) {
        PendingRequest p = pending(op, fields, false, null, null);
        submit(p);
        return p.future;
    }

    @Override
    public CompletableFuture<ClientSubscription> subscribe(String pattern, ObjectNode options, EventListener listener) {
        NetworkSubscription sub = new NetworkSubscription(this, pattern, options, listener);
        ObjectNode f = options == null ? Json.object() : options.deepCopy();
        f.put("pattern", pattern);
        Long since = NetworkSubscription.sinceOffset(f);
        PendingRequest p = pending("subscribe", f, false, (c, r) -> {
            sub.onSubscribed(r, since);
            c.subscriptions.put(sub.id(), sub);
            live.add(sub);
        }, this::unsubscribeOrphan);
        submit(p);
        return p.future.thenApply(r -> sub);
    }

    /** Cancels a subscription: no more events, and no resubscribe after a reconnect. */
    CompletableFuture<Void> unsubscribe(NetworkSubscription sub) {
        if (!sub.cancel()) {
            return CompletableFuture.completedFuture(null);
        }
        live.remove(sub);
        synchronized (lock) {
            if (!ready || current == null) {
                return CompletableFuture.completedFuture(null); // the next session will not resubscribe it
            }
            current.subscriptions.remove(sub.id());
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
        List<PendingRequest> orphans = new ArrayList<>();
        WsConnection c;
        synchronized (lock) {
            if (closed) {
                return;
            }
            closed = true;
            ready = false;
            if (reconnectTask != null) {
                reconnectTask.cancel(false);
            }
            c = current;
            current = null;
            orphans.addAll(waiting);
            waiting.clear();
            if (c != null) {
                orphans.addAll(c.pending.values());
            }
        }
        if (c != null) {
            c.close();
        }
        SwitchboardException closedError = SwitchboardException.unavailable("client closed", null);
        orphans.forEach(p -> p.fail(closedError));
        firstSession.completeExceptionally(closedError);
        live.clear();
        events.shutdown();
        if (ownsGroup) {
            group.shutdownGracefully(0, 2, TimeUnit.SECONDS);
        }
    }

    /** Drops the current connection abruptly, as a network failure would (for tests and tools). */
    void abortConnection() {
        WsConnection c;
        synchronized (lock) {
            c = current;
        }
        if (c != null) {
            c.abort();
        }
    }

    // ---- requests

    private PendingRequest pending(String op, ObjectNode fields, boolean internal,
                                   BiConsumer<WsConnection, JsonNode> onReply,
                                   BiConsumer<WsConnection, JsonNode> onOrphan) {
        long id = ids.incrementAndGet();
        ObjectNode msg = Json.object().put("id", id).put("op", op);
        if (fields != null) {
            msg.setAll(fields.deepCopy());
            msg.put("id", id).put("op", op);
        }
        return new PendingRequest(id, op, msg, internal, internal ? null : options.callbackExecutor(), onReply, onOrphan);
    }

    /** Sends now when a session is up; otherwise a user request waits for the next session. */
    private void submit(PendingRequest p) {
        synchronized (lock) {
            if (closed) {
                p.fail(SwitchboardException.unavailable("client closed", null));
                return;
            }
            long ms = options.requestTimeout().toMillis();
            p.timeout = schedule(() -> timeout(p, ms), ms);
            if (ready && current != null) {
                sendLocked(current, p);
            } else if (!p.internal) {
                waiting.add(p);
            } else {
                p.fail(SwitchboardException.unavailable("not connected", null));
            }
        }
    }

    private void sendLocked(WsConnection c, PendingRequest p) {
        p.connection = c;
        c.pending.put(p.id, p);
        c.send(p.message);
    }

    private void timeout(PendingRequest p, long ms) {
        if (p.fail(SwitchboardException.unavailable("'" + p.op + "' got no reply within " + ms + " ms", null))) {
            synchronized (lock) {
                waiting.remove(p);
            }
            WsConnection c = p.connection;
            if (c != null) {
                c.pending.remove(p.id);
            }
        }
    }

    /** Acknowledges a delivered event on the current session; nothing to do while disconnected. */
    private void ack(long offset) {
        synchronized (lock) {
            if (ready && current != null && !closed) {
                PendingRequest p = pending("ack", Json.object().put("offset", offset), true, null, null);
                p.timeout = schedule(() -> timeout(p, options.requestTimeout().toMillis()),
                        options.requestTimeout().toMillis());
                sendLocked(current, p);
            }
        }
    }

    /** A subscribe whose reply came after its timeout: the caller gave up, so undo it. */
    private void unsubscribeOrphan(WsConnection c, JsonNode reply) {
        PendingRequest p = pending("unsubscribe", Json.object().put("sub", reply.path("sub").asText()), true, null, null);
        p.connection = c;
        c.send(p.message);
    }

    // ---- connection life cycle (the attempt runs under lock; callbacks come on the event loop)

    private void attempt() {
        synchronized (lock) {
            reconnectTask = null;
            if (closed) {
                return;
            }
            ServerAddress address = selector.next();
            log.debug("connecting to {}", address);
            WsConnection[] self = new WsConnection[1];
            self[0] = WsConnection.open(group, address, options, handler, () -> onConnectFailed(self[0]));
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
        reconnectTask = schedule(this::attempt, delay);
    }

    private ScheduledFuture<?> schedule(Runnable task, long delayMs) {
        try {
            return group.schedule(task, delayMs, TimeUnit.MILLISECONDS);
        } catch (RejectedExecutionException e) {
            return null; // the group is shutting down with the client
        }
    }

    /** Sends {@code connect} with the credentials, first message of every connection. */
    private void signIn(WsConnection c) {
        PendingRequest p = pending("connect", options.credentials(token), true, this::onSessionReady, null);
        p.future.whenComplete((r, e) -> {
            if (e == null) {
                return;
            }
            SwitchboardException se = SwitchboardException.of(e);
            boolean refused = se.code() == ErrorCode.UNAUTHENTICATED || se.code() == ErrorCode.FORBIDDEN;
            if (refused && firstSession.completeExceptionally(se)) {
                close(); // wrong credentials will not get better by retrying
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
            long ms = options.requestTimeout().toMillis();
            p.timeout = schedule(() -> timeout(p, ms), ms);
            sendLocked(c, p);
        }
    }

    /** The session is up: resubscribe, then send what waited, in that order on the wire. */
    private void onSessionReady(WsConnection c, JsonNode reply) {
        synchronized (lock) {
            if (closed || current != c) {
                c.abort();
                return;
            }
            ready = true;
            session = reply;
            backoff.reset();
            c.watchHeartbeat(reply.path("heartbeatMs").asLong(0));
            for (NetworkSubscription sub : live) {
                resubscribeLocked(c, sub);
            }
            while (!waiting.isEmpty()) {
                PendingRequest p = waiting.poll();
                if (!p.isSettled()) {
                    sendLocked(c, p);
                }
            }
        }
        log.debug("session up on {}", c.address);
        firstSession.complete(this);
    }

    private void resubscribeLocked(WsConnection c, NetworkSubscription sub) {
        ObjectNode f = sub.resubscribeFields();
        if (f == null) {
            live.remove(sub);
            return;
        }
        PendingRequest p = pending("subscribe", f, true, (conn, r) -> {
            if (sub.isCancelled()) {
                unsubscribeOrphan(conn, r);
                return;
            }
            boolean recovered = sub.onResubscribed(r);
            conn.subscriptions.put(sub.id(), sub);
            if (!recovered && options.onRecoveryFailed() != null) {
                // On the event thread, so the listener learns it before the live events that follow.
                events.run(() -> options.onRecoveryFailed().accept(sub, r));
            }
        }, this::unsubscribeOrphan);
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
        long ms = options.requestTimeout().toMillis();
        p.timeout = schedule(() -> timeout(p, ms), ms);
        sendLocked(c, p);
    }

    private void onClosed(WsConnection c) {
        List<PendingRequest> lost;
        synchronized (lock) {
            lost = new ArrayList<>(c.pending.values());
            c.pending.clear();
            c.subscriptions.clear();
            if (current == c) {
                current = null;
                ready = false;
                log.debug("connection to {} lost", c.address);
                scheduleReconnectLocked();
            }
        }
        SwitchboardException error = SwitchboardException.unavailable(
                "connection to " + c.address + " lost before the reply (the request may have been applied)", null);
        lost.forEach(p -> p.fail(error));
    }

    // ---- inbound messages (event loop)

    private void onMessage(WsConnection c, JsonNode msg) {
        if (msg.has("sub") && msg.has("event")) {
            onPush(c, msg);
        } else if (msg.has("id") && (msg.has("ok") || msg.has("result") || msg.has("error"))) {
            onReply(c, msg);
        } else if (msg.has("sys") && msg instanceof ObjectNode o) {
            if ("token".equals(o.path("sys").asText()) && o.hasNonNull("token")) {
                token = o.get("token").asText(); // a rolled token: the next reconnect signs in with it
            }
            events.system(o);
        } else {
            log.debug("unexpected message from {}: {}", c.address, msg);
        }
    }

    private void onReply(WsConnection c, JsonNode msg) {
        PendingRequest p = c.pending.remove(msg.path("id").asLong());
        if (p == null) {
            return; // timed out already, or an ack's reply nobody waits for
        }
        boolean ok = msg.has("ok") ? msg.path("ok").asBoolean() : !msg.has("error");
        if (ok) {
            p.succeed(c, msg.has("result") ? msg.get("result") : NullNode.getInstance());
        } else {
            p.fail(ServerError.of(msg.path("error")));
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

    /** Adapts connection callbacks to this client. */
    private final class Handler implements WsConnection.Listener {
        @Override
        public void onOpen(WsConnection c) {
            signIn(c);
        }

        @Override
        public void onMessage(WsConnection c, JsonNode message) {
            SwitchboardNetworkClient.this.onMessage(c, message);
        }

        @Override
        public void onClosed(WsConnection c) {
            SwitchboardNetworkClient.this.onClosed(c);
        }
    }
}
