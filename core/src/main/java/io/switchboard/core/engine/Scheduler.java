package io.switchboard.core.engine;

import io.switchboard.core.store.SchedulerLead;
import io.switchboard.core.store.WriteOp;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.OptionalLong;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

/**
 * Fires scheduled publishes when they come due. Holds one timer for the earliest due time
 * (never one per event); the store is the source of truth, so what came due while the server
 * was down fires at the first check after start. Of several nodes sharing a store only the one
 * that holds the store's {@link SchedulerLead} fires; it re-reads the next due time at least
 * every {@link SchedulerLead#pollMs()}, since schedules made on other nodes reach it only through
 * the store, and the others check that often whether the lead has passed to them.
 */
final class Scheduler {
    private static final Logger LOG = LoggerFactory.getLogger(Scheduler.class);
    private static final int BATCH = 500;

    private final Engine engine;
    private final ScheduledExecutorService timers;
    private final LongSupplier clock;
    private ScheduledFuture<?> pending;
    private long pendingAt = Long.MAX_VALUE;
    private volatile boolean stopped;

    Scheduler(Engine engine, ScheduledExecutorService timers, LongSupplier clock) {
        this.engine = engine;
        this.timers = timers;
        this.clock = clock;
    }

    void start() {
        wakeAt(clock.getAsLong());
    }

    void stop() {
        stopped = true;
        synchronized (this) {
            if (pending != null) {
                pending.cancel(false);
            }
        }
    }

    /** A publish was scheduled at {@code at}: make sure the timer fires by then. */
    synchronized void wakeAt(long at) {
        if (stopped || at >= pendingAt) {
            return;
        }
        if (pending != null) {
            pending.cancel(false);
        }
        pendingAt = at;
        long delay = Math.max(0, at - clock.getAsLong());
        pending = timers.schedule(this::fire, delay, TimeUnit.MILLISECONDS);
    }

    private void fire() {
        synchronized (this) {
            pending = null;
            pendingAt = Long.MAX_VALUE;
        }
        if (stopped) {
            return;
        }
        long now = clock.getAsLong();
        SchedulerLead lead = engine.store().schedulerLead();
        if (!lead.leads()) {
            wakeAt(now + lead.pollMs());
            return;
        }
        long maxSleep = lead.pollMs();
        engine.store().write(new WriteOp.FireDue(now, BATCH))
                .thenCompose(r -> r.events().size() >= BATCH
                        ? java.util.concurrent.CompletableFuture.completedFuture(OptionalLong.of(now))
                        : engine.store().nextScheduledAt())
                .whenComplete((next, err) -> {
                    if (err != null) {
                        LOG.warn("firing scheduled events failed; retrying", err);
                        wakeAt(clock.getAsLong() + 1000);
                    } else {
                        long n = clock.getAsLong();
                        wakeAt(next.isPresent() ? Math.min(next.getAsLong(), n + maxSleep) : n + maxSleep);
                    }
                });
    }
}
