package io.switchboard.server.transport;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Counts open connections, in total and per client address, against {@code limits.maxConnections}
 * and {@code limits.maxConnectionsPerIp}, so no one client (and no crowd) can take every file
 * descriptor. One instance per server; {@link ConnectionGate} acquires and releases.
 */
public final class ConnectionLimiter {
    /** Why a connection was refused, or {@code null} when it was admitted. */
    public enum Refusal { TOTAL, PER_IP }

    private final int maxTotal;
    private final int maxPerIp;
    private final AtomicInteger total = new AtomicInteger();
    private final ConcurrentHashMap<String, AtomicInteger> perIp = new ConcurrentHashMap<>();
    private final AtomicLong refused = new AtomicLong();

    public ConnectionLimiter(int maxTotal, int maxPerIp) {
        this.maxTotal = maxTotal;
        this.maxPerIp = maxPerIp;
    }

    /** Counts a new connection from {@code ip}; returns why it is refused (nothing counted then), or null. */
    public Refusal acquire(String ip) {
        if (total.incrementAndGet() > maxTotal) {
            total.decrementAndGet();
            refused.incrementAndGet();
            return Refusal.TOTAL;
        }
        AtomicInteger n = perIp.computeIfAbsent(ip, k -> new AtomicInteger());
        if (n.incrementAndGet() > maxPerIp) {
            release(ip);
            refused.incrementAndGet();
            return Refusal.PER_IP;
        }
        return null;
    }

    /** Releases a connection {@link #acquire} admitted. */
    public void release(String ip) {
        total.decrementAndGet();
        perIp.computeIfPresent(ip, (k, n) -> n.decrementAndGet() <= 0 ? null : n);
    }

    public int maxTotal() { return maxTotal; }
    public int maxPerIp() { return maxPerIp; }
    public int open() { return total.get(); }
    public long refused() { return refused.get(); }
}
