package io.switchboard.core.ratelimit;

import io.github.bucket4j.Bucket;
import io.switchboard.core.session.AttributeKey;
import io.switchboard.core.session.Principal;
import io.switchboard.core.session.Session;

import java.util.HashMap;
import java.util.Map;
import java.util.function.Supplier;

/**
 * The buckets a session used last, per op, so that a busy connection does not build a key and
 * look its bucket up in the shared map on every call (that lookup was most of the rate-limit
 * stage's cost in the gateway bench's profile). A remembered bucket is used only while it is
 * still the map's bucket for the key (one the map dropped is marked retired) and for at most
 * {@link RateLimit#memoNanos()}, after which the map is asked again; that refreshes the map's
 * idle timer long before it could drop a bucket in use, so every session and door of a key keeps
 * draining the same bucket. A changed principal (a login on the connection) looks up again.
 */
final class SessionBuckets {
    static final AttributeKey<SessionBuckets> KEY = AttributeKey.of("rate-limit-buckets", SessionBuckets.class);

    private record Slot(BucketMap.Held held, Principal principal, RateLimit limit, long refreshAt) { }

    private final Map<String, Slot> byOp = new HashMap<>(4);

    /** The session's remembered table, made on first use. */
    static SessionBuckets of(Session s) {
        SessionBuckets b = s.attr(KEY);
        if (b == null) {
            b = new SessionBuckets();
            s.attr(KEY, b);
        }
        return b;
    }

    /** The bucket for {@code op}: the remembered one while valid, else {@code lookup}'s (remembered). */
    synchronized Bucket bucket(String op, RateLimit limit, Principal principal, long nowNanos,
                               Supplier<BucketMap.Held> lookup) {
        Slot s = byOp.get(op);
        if (s != null && !s.held().retired() && s.principal() == principal && s.limit() == limit
                && nowNanos - s.refreshAt() < 0) {
            return s.held().bucket();
        }
        BucketMap.Held h = lookup.get();
        byOp.put(op, new Slot(h, principal, limit, nowNanos + limit.memoNanos()));
        return h.bucket();
    }
}
