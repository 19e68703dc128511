package io.switchboard.core.ratelimit;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.bucket4j.Bucket;
import io.switchboard.core.error.SwitchboardException;
import io.switchboard.core.json.Fields;

import java.time.Duration;
import java.util.Set;

/**
 * One token-bucket limit in hapta's form {@code {limit, every, maxUses}}: {@code limit} calls
 * per {@code every} milliseconds, refilled smoothly, with bursts of up to {@code maxUses} calls
 * (0: bursts of {@code limit}).
 */
public record RateLimit(long limit, long everyMs, long maxUses) {
    private static final Set<String> FIELDS = Set.of("limit", "every", "maxUses");

    public RateLimit {
        if (limit < 1) {
            throw new IllegalArgumentException("limit must be at least 1");
        }
        if (everyMs < 1) {
            throw new IllegalArgumentException("every must be at least 1 (milliseconds)");
        }
        if (maxUses < 0) {
            throw new IllegalArgumentException("maxUses must not be negative");
        }
    }

    /** The most calls a full bucket allows at once. */
    public long capacity() {
        return maxUses > 0 ? maxUses : limit;
    }

    /**
     * How long a session may use a bucket it remembers before asking the shared map again: a
     * quarter of the refill time (so the map's idle timer, which is the refill time, is renewed
     * well before it could drop a bucket in use), at most 100 ms.
     */
    public long memoNanos() {
        return java.util.concurrent.TimeUnit.MILLISECONDS.toNanos(Math.min(100, Math.max(1, fullRefillMs() / 4)));
    }

    /** How long an empty bucket takes to fill up again; an idle bucket older than this is a fresh one. */
    public long fullRefillMs() {
        return Math.max(1, (long) Math.ceil((double) capacity() * everyMs / limit));
    }

    /** A new, full bucket of this limit. */
    Bucket newBucket() {
        return Bucket.builder()
                .addLimit(l -> l.capacity(capacity()).refillGreedy(limit, Duration.ofMillis(everyMs)))
                .build();
    }

    /**
     * Reads {@code {limit, every, maxUses}} ({@code maxUses} optional); anything else is
     * BAD_REQUEST naming {@code field}.
     */
    public static RateLimit parse(JsonNode node, String field) {
        if (node == null || !node.isObject()) {
            throw SwitchboardException.badRequest(field, "must be an object {limit, every, maxUses}");
        }
        Fields.allowOnly(node, field + ".", FIELDS);
        long limit = whole(node, field, "limit", true);
        long every = whole(node, field, "every", true);
        long maxUses = whole(node, field, "maxUses", false);
        try {
            return new RateLimit(limit, every, maxUses);
        } catch (IllegalArgumentException e) {
            throw SwitchboardException.badRequest(field, e.getMessage());
        }
    }

    private static long whole(JsonNode node, String field, String name, boolean required) {
        JsonNode v = node.get(name);
        if (v == null || v.isNull()) {
            if (required) {
                throw SwitchboardException.badRequest(field + "." + name, "is required");
            }
            return 0;
        }
        if (!v.isIntegralNumber() || !v.canConvertToLong()) {
            throw SwitchboardException.badRequest(field + "." + name, "must be a whole number");
        }
        return v.asLong();
    }
}
