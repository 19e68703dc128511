package io.switchboard.core.session;

import io.switchboard.core.result.DisconnectReason;
import io.switchboard.core.router.Subscription;

import java.util.Collection;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

/**
 * One client connection (stateful) or one HTTP request (stateless): its identity, where its
 * messages go, its subscriptions and typed attributes (security state, adapters' state). Kept
 * small: thousands live at once. Sessions are opened by the pipeline only.
 */
public final class Session {
    private final String id;
    private final SessionType type;
    private final SessionSink sink;
    private final String remoteAddress;
    private final long createdAt;
    private final Consumer<Session> onClose;
    private final Attributes attributes = new Attributes();
    private volatile Principal principal;
    private volatile long lastActiveAt;
    private final AtomicLong subSeq = new AtomicLong();
    private final AtomicLong usage = new AtomicLong();
    private final Map<String, Subscription> subscriptions = new ConcurrentHashMap<>(4);
    private final AtomicBoolean ended = new AtomicBoolean();
    private final AtomicBoolean closed = new AtomicBoolean();
    private volatile boolean connected;
    private volatile long heartbeatMs;
    /** The {@code connect} in progress, so ops the client pipelined behind it wait for it. */
    private volatile CompletableFuture<?> connecting;
    /** Told of every subscription the session drops (the engine gives back its quota slot). */
    private volatile Consumer<Subscription> onSubscriptionRemoved = sub -> { };

    /**
     * @param onClose drops the session's subscriptions and registrations (called once, on
     *                {@link #close()} or {@link #end})
     */
    public Session(String id, SessionType type, Principal principal, SessionSink sink, String remoteAddress, long now,
                   Consumer<Session> onClose) {
        this.id = id;
        this.type = type;
        this.principal = principal;
        this.sink = sink;
        this.remoteAddress = remoteAddress;
        this.createdAt = now;
        this.lastActiveAt = now;
        this.onClose = onClose;
    }

    public String id() { return id; }
    public SessionType type() { return type; }
    public SessionSink sink() { return sink; }
    public String remoteAddress() { return remoteAddress; }
    public long createdAt() { return createdAt; }
    public Principal principal() { return principal; }
    public long lastActiveAt() { return lastActiveAt; }
    public boolean isClosed() { return closed.get(); }

    /** Set when {@code connect} authenticates the session. */
    public void principal(Principal p) { this.principal = p; }

    public <T> T attr(AttributeKey<T> key) { return attributes.get(key); }

    public <T> void attr(AttributeKey<T> key, T value) { attributes.set(key, value); }

    /** Records one operation; returns the number of operations so far. */
    public long touch(long now) {
        lastActiveAt = now;
        return usage.incrementAndGet();
    }

    /** The next subscription id of this session: s1, s2, ... */
    public String nextSubscriptionId() {
        return "s" + subSeq.incrementAndGet();
    }

    public Subscription subscription(String subId) { return subscriptions.get(subId); }
    public Collection<Subscription> subscriptions() { return subscriptions.values(); }
    public void addSubscription(Subscription s) { subscriptions.put(s.id(), s); }

    /** Drops the subscription {@code subId}; returns it, or null when the session had none by that id. */
    public Subscription removeSubscription(String subId) {
        Subscription s = subscriptions.remove(subId);
        if (s != null) {
            onSubscriptionRemoved.accept(s);
        }
        return s;
    }

    /** Who is told when a subscription is dropped (set once by the engine when it opens the session). */
    public void onSubscriptionRemoved(Consumer<Subscription> hook) { onSubscriptionRemoved = hook; }

    public int subscriptionCount() { return subscriptions.size(); }

    /** True once {@code connect} succeeded. */
    public boolean isConnected() { return connected; }

    public void markConnected() { connected = true; }

    /** The connect in flight, or null. */
    public CompletableFuture<?> connecting() { return connecting; }

    public void connecting(CompletableFuture<?> f) { connecting = f; }

    /** The transport's heartbeat interval, reported in the connect reply (0 = none). */
    public long heartbeatMs() { return heartbeatMs; }

    public void heartbeatMs(long ms) { heartbeatMs = ms; }

    /** Operations so far (for usage limits). */
    public long usage() { return usage.get(); }

    /**
     * Ends the session for {@code reason}: the client is told once ({@link SessionSink#close}),
     * then the session is closed. Later calls, and calls after {@link #close()}, do nothing.
     */
    public void end(DisconnectReason reason) {
        if (ended.compareAndSet(false, true) && !closed.get()) {
            try {
                sink.close(reason);
            } finally {
                close();
            }
        }
    }

    /** Closes without telling the client (its connection is already gone). Idempotent. */
    public void close() {
        if (closed.compareAndSet(false, true)) {
            ended.set(true);
            onClose.accept(this);
        }
    }
}
