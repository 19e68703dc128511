package io.switchboard.core.session;

import io.switchboard.core.router.Subscription;

import java.util.Collection;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One client connection (stateful) or one HTTP request (stateless): its identity, where its
 * messages go and its subscriptions. Kept small: thousands live at once.
 */
public final class Session {
    private final String id;
    private final SessionType type;
    private final SessionSink sink;
    private final String remoteAddress;
    private final long createdAt;
    private volatile Principal principal;
    private volatile long lastActiveAt;
    private final AtomicLong subSeq = new AtomicLong();
    private final AtomicLong usage = new AtomicLong();
    private final Map<String, Subscription> subscriptions = new ConcurrentHashMap<>(4);
    private volatile boolean closed;
    private volatile boolean connected;
    private volatile long heartbeatMs;
    private volatile Object security;

    public Session(String id, SessionType type, Principal principal, SessionSink sink, String remoteAddress, long now) {
        this.id = id;
        this.type = type;
        this.principal = principal;
        this.sink = sink;
        this.remoteAddress = remoteAddress;
        this.createdAt = now;
        this.lastActiveAt = now;
    }

    public String id() { return id; }
    public SessionType type() { return type; }
    public SessionSink sink() { return sink; }
    public String remoteAddress() { return remoteAddress; }
    public long createdAt() { return createdAt; }
    public Principal principal() { return principal; }
    public long lastActiveAt() { return lastActiveAt; }
    public boolean isClosed() { return closed; }

    /** Set when {@code connect} authenticates the connection. */
    public void principal(Principal p) { this.principal = p; }

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
    public Subscription removeSubscription(String subId) { return subscriptions.remove(subId); }

    /** True once {@code connect} succeeded (stateless sessions are connected at creation). */
    public boolean isConnected() { return connected; }

    public void markConnected() { connected = true; }

    /** The transport's heartbeat interval, reported in the connect reply (0 = none). */
    public long heartbeatMs() { return heartbeatMs; }

    public void heartbeatMs(long ms) { heartbeatMs = ms; }

    /** The security layer's state for this session (its token, profile, permissions); null when none. */
    public Object security() { return security; }

    public void security(Object state) { security = state; }

    /** Operations so far (for usage limits). */
    public long usage() { return usage.get(); }

    /** Marks the session closed; the engine drops its subscriptions. */
    public void markClosed() { closed = true; }
}
