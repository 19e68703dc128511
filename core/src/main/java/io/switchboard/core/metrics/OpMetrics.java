package io.switchboard.core.metrics;

import io.switchboard.core.error.SwitchboardException;

import java.util.Locale;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/**
 * Counts and times every op the pipeline runs, by op and by status ({@code ok} or the error
 * code in lower case). One timer per (op, status) pair, looked up in a map; there are a few
 * dozen pairs at most, since ops and codes are closed sets.
 */
public final class OpMetrics {
    private final Meters meters;
    private final ConcurrentMap<String, Meters.Timer> timers = new ConcurrentHashMap<>();
    private final ConcurrentMap<String, Meters.Counter> counters = new ConcurrentHashMap<>();

    public OpMetrics(Meters meters) {
        this.meters = meters;
    }

    /** Records one op that took {@code nanos} and ended with {@code error} (null: it succeeded). */
    public void record(String op, Throwable error, long nanos) {
        String status = error == null ? "ok" : SwitchboardException.of(error).code().name().toLowerCase(Locale.ROOT);
        String key = op + '|' + status;
        counters.computeIfAbsent(key, k -> meters.counter("ops", "Ops answered, by op and status", "op", op, "status", status))
                .increment();
        timers.computeIfAbsent(key, k -> meters.timer("op", "Op latency from the door to the reply", "op", op, "status", status))
                .recordNanos(nanos);
    }
}
