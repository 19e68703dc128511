package io.switchboard.server.metrics;

import io.switchboard.core.engine.Engine;
import io.switchboard.core.store.Store;
import io.switchboard.server.transport.ConnectionRegistry;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The server's metrics: the Micrometer binding of {@code core}'s seam, plus the series only the
 * server can see (connections by transport, slow-consumer closes) and the ones that need a store
 * read (scheduled backlog, event-log size), which are refreshed just before each scrape rather
 * than read on the scraping thread.
 */
public final class ServerMetrics implements AutoCloseable {
    private final MicrometerMeters meters = new MicrometerMeters();
    private final AtomicLong scheduled = new AtomicLong();
    private final AtomicLong logEvents = new AtomicLong();
    private Store store;

    /** The seam {@code core} records into. */
    public MicrometerMeters meters() {
        return meters;
    }

    /** Registers the engine's, the store's and the connections' series. */
    public void bind(Engine engine, ConnectionRegistry connections) {
        this.store = engine.store();
        engine.bindMeters(meters);
        for (String transport : ConnectionRegistry.TRANSPORTS) {
            meters.gauge("connections", "Open streaming connections, by transport",
                    () -> connections.size(transport), "transport", transport);
        }
        meters.functionCounter("slow.consumer.closes", "Connections closed because their outbound queue overflowed",
                connections::slowConsumerCloses);
        meters.gauge("scheduled.backlog", "Scheduled publishes waiting to fire", scheduled::get);
        meters.gauge("event.log.events", "Events retained in the event log", logEvents::get);
        meters.gauge("event.log.last.offset", "Offset of the newest event in the log", () -> engine.store().lastOffset());
    }

    /** Refreshes the store-read gauges, then renders every series as Prometheus text. */
    public CompletableFuture<String> scrape() {
        if (store == null) {
            return CompletableFuture.completedFuture(meters.scrape());
        }
        long last = store.lastOffset();
        CompletableFuture<Void> s = store.scheduledCount().thenAccept(scheduled::set);
        CompletableFuture<Void> l = store.firstOffset().thenAccept(first -> logEvents.set(Math.max(0, last - first + 1)));
        return CompletableFuture.allOf(s, l).handle((v, err) -> meters.scrape());
    }

    @Override
    public void close() {
        meters.close();
    }
}
