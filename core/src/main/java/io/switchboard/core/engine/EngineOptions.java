package io.switchboard.core.engine;

import io.switchboard.core.store.RetentionPolicy;

import java.util.function.LongSupplier;

/**
 * Engine tuning. {@code maxQueryLimit} caps a page of a pattern get (and a snapshot);
 * {@code maxCatchUpBuffer} caps the live events one subscription buffers while it replays;
 * {@code maxReplyBytes} bounds the documents or events one reply carries (a history page ends
 * early with {@code more}, a get or snapshot over it fails with {@code PAYLOAD_TOO_LARGE});
 * {@code maxSubscriptionsPerConnection} and {@code maxSubscriptionsPerUser} bound the live
 * subscriptions one session and one user (anonymous: one client address) hold.
 */
public record EngineOptions(RetentionPolicy retention, long retentionIntervalMs, int maxQueryLimit,
                            int maxCatchUpBuffer, LongSupplier clock, long maxReplyBytes,
                            int maxSubscriptionsPerConnection, int maxSubscriptionsPerUser) {
    /** Default for {@code maxReplyBytes}: 16 MiB. */
    public static final long DEFAULT_MAX_REPLY_BYTES = 16L << 20;
    /** Default for {@code maxSubscriptionsPerConnection}. */
    public static final int DEFAULT_MAX_SUBSCRIPTIONS_PER_CONNECTION = 1000;
    /** Default for {@code maxSubscriptionsPerUser}. */
    public static final int DEFAULT_MAX_SUBSCRIPTIONS_PER_USER = 10_000;

    public EngineOptions(RetentionPolicy retention, long retentionIntervalMs, int maxQueryLimit,
                         int maxCatchUpBuffer, LongSupplier clock) {
        this(retention, retentionIntervalMs, maxQueryLimit, maxCatchUpBuffer, clock, DEFAULT_MAX_REPLY_BYTES,
                DEFAULT_MAX_SUBSCRIPTIONS_PER_CONNECTION, DEFAULT_MAX_SUBSCRIPTIONS_PER_USER);
    }

    public static EngineOptions defaults() {
        return new EngineOptions(RetentionPolicy.DEFAULT, 60_000, 10_000, 100_000, System::currentTimeMillis);
    }

    public EngineOptions withRetention(RetentionPolicy r) {
        return new EngineOptions(r, retentionIntervalMs, maxQueryLimit, maxCatchUpBuffer, clock, maxReplyBytes,
                maxSubscriptionsPerConnection, maxSubscriptionsPerUser);
    }

    public EngineOptions withMaxReplyBytes(long bytes) {
        return new EngineOptions(retention, retentionIntervalMs, maxQueryLimit, maxCatchUpBuffer, clock, bytes,
                maxSubscriptionsPerConnection, maxSubscriptionsPerUser);
    }

    /** Bounds of live subscriptions per session and per user (each at least 1). */
    public EngineOptions withMaxSubscriptions(int perConnection, int perUser) {
        return new EngineOptions(retention, retentionIntervalMs, maxQueryLimit, maxCatchUpBuffer, clock, maxReplyBytes,
                perConnection, perUser);
    }
}
