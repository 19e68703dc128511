package io.switchboard.core.engine;

import io.switchboard.core.store.RetentionPolicy;

import java.util.function.LongSupplier;

/**
 * Engine tuning. {@code maxQueryLimit} caps a page of a pattern get (and a snapshot);
 * {@code maxCatchUpBuffer} caps the live events one subscription buffers while it replays.
 */
public record EngineOptions(RetentionPolicy retention, long retentionIntervalMs, int maxQueryLimit,
                            int maxCatchUpBuffer, LongSupplier clock) {
    public static EngineOptions defaults() {
        return new EngineOptions(RetentionPolicy.DEFAULT, 60_000, 10_000, 100_000, System::currentTimeMillis);
    }

    public EngineOptions withRetention(RetentionPolicy r) {
        return new EngineOptions(r, retentionIntervalMs, maxQueryLimit, maxCatchUpBuffer, clock);
    }
}
