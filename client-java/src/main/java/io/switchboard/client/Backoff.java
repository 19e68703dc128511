package io.switchboard.client;

import java.time.Duration;
import java.util.function.DoubleSupplier;

/**
 * Exponential reconnect delays: {@code initial}, doubling up to {@code max}, each with "equal
 * jitter" (a random value between half the delay and the delay) so that many clients dropped by
 * the same server restart do not all come back in the same millisecond. Not thread-safe.
 */
final class Backoff {
    private final long initialMs;
    private final long maxMs;
    private final DoubleSupplier random;
    private int attempt;

    Backoff(Duration initial, Duration max, DoubleSupplier random) {
        this.initialMs = Math.max(1, initial.toMillis());
        this.maxMs = Math.max(initialMs, max.toMillis());
        this.random = random;
    }

    /** The delay before the next attempt; each call counts one more failed attempt. */
    long nextDelayMs() {
        long ceiling = attempt >= 30 ? maxMs : Math.min(maxMs, initialMs << attempt);
        attempt++;
        long half = ceiling / 2;
        return half + (long) (random.getAsDouble() * (ceiling - half + 1));
    }

    /** A connection succeeded: the next drop starts again from the initial delay. */
    void reset() {
        attempt = 0;
    }
}
