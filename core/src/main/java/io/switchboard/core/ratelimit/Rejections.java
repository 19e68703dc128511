package io.switchboard.core.ratelimit;

import io.switchboard.core.error.ErrorCode;
import io.switchboard.core.error.SwitchboardException;
import io.switchboard.core.metrics.Meters;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** Counts refused calls per op ({@code ratelimit.rejections}) and builds the RATE_LIMITED error. */
final class Rejections {
    private final Meters meters;
    private final Map<String, Meters.Counter> byOp = new ConcurrentHashMap<>();

    Rejections(Meters meters) {
        this.meters = meters;
    }

    Meters.Counter of(String op) {
        return byOp.computeIfAbsent(op, o -> meters.counter("ratelimit.rejections",
                "Calls refused with RATE_LIMITED (op connect: failed-login limits)", "op", o));
    }

    /** Whole milliseconds, rounded up, never 0 (a retry sooner would be refused again). */
    static long millis(long nanos) {
        return Math.max(1, (nanos + 999_999) / 1_000_000);
    }

    static SwitchboardException limited(String message, long retryAfterMs) {
        return new SwitchboardException(ErrorCode.RATE_LIMITED, message, retryAfterMs, null);
    }
}
