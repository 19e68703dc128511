package io.switchboard.server.transport;

import io.netty.channel.EventLoopGroup;
import io.netty.util.concurrent.ScheduledFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Every open streaming connection, and the ONE periodic sweep that drives heartbeats and
 * keepalives for all of them. There are no per-connection timers: thousands of idle sockets
 * cost one scheduled task, not thousands.
 */
public final class ConnectionRegistry {
    private static final Logger LOG = LoggerFactory.getLogger(ConnectionRegistry.class);

    private final Set<Connection> connections = ConcurrentHashMap.newKeySet();
    private final AtomicLong slowConsumerCloses = new AtomicLong();
    private ScheduledFuture<?> sweep;

    /** Starts the sweep on one event loop of {@code group}, every {@code tickMs}. */
    public void start(EventLoopGroup group, long tickMs) {
        sweep = group.next().scheduleAtFixedRate(this::sweepAll, tickMs, tickMs, TimeUnit.MILLISECONDS);
    }

    private void sweepAll() {
        long now = System.currentTimeMillis();
        for (Connection c : connections) {
            try {
                if (c.isClosed()) {
                    connections.remove(c);
                } else {
                    c.sweep(now);
                }
            } catch (RuntimeException e) {
                LOG.warn("sweep failed for a connection", e);
            }
        }
    }

    public void add(Connection c) {
        connections.add(c);
    }

    public void remove(Connection c) {
        connections.remove(c);
    }

    public int size() {
        return connections.size();
    }

    /** The transports a connection may report (see {@link Connection#transport()}). */
    public static final java.util.List<String> TRANSPORTS = java.util.List.of("ws", "sse");

    /** Open connections of one transport (walks the set: for scrapes, not hot paths). */
    public int size(String transport) {
        int n = 0;
        for (Connection c : connections) {
            if (!c.isClosed() && c.transport().equals(transport)) {
                n++;
            }
        }
        return n;
    }

    /** Counts a connection closed because its outbound queue overflowed. */
    public void countSlowConsumer() {
        slowConsumerCloses.incrementAndGet();
    }

    public long slowConsumerCloses() {
        return slowConsumerCloses.get();
    }

    /** Stops the sweep and asks every connection to go away. */
    public void shutdown() {
        if (sweep != null) {
            sweep.cancel(false);
        }
        for (Connection c : connections) {
            c.shutdown();
        }
    }

    /** True when every connection has closed. */
    public boolean allClosed() {
        connections.removeIf(Connection::isClosed);
        return connections.isEmpty();
    }
}
