package io.switchboard.core.engine;

import io.switchboard.core.error.ErrorCode;
import io.switchboard.core.error.SwitchboardException;
import io.switchboard.core.session.AttributeKey;
import io.switchboard.core.session.Session;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Bounds the live subscriptions one connection and one user hold
 * ({@code limits.maxSubscriptionsPerConnection}, {@code limits.maxSubscriptionsPerUser}), so no
 * client can fill the heap and the pattern index with subscriptions. A slot is taken before a
 * subscription is registered and given back when the session drops it (unsubscribe, its count
 * reached, a failed replay, disconnect), whatever the door. An anonymous session (insecure mode)
 * counts against its client address instead of a user, as the rate limits do.
 */
final class SubscriptionQuota {
    /** The session's own count and the key it charged, fixed at its first subscription. */
    private static final class Held {
        final String userKey;
        int count;

        Held(String userKey) {
            this.userKey = userKey;
        }
    }

    private static final AttributeKey<Held> HELD = AttributeKey.of("subscription-quota", Held.class);

    private final int perConnection;
    private final int perUser;
    private final ConcurrentHashMap<String, AtomicInteger> byUser = new ConcurrentHashMap<>();

    SubscriptionQuota(int perConnection, int perUser) {
        if (perConnection < 1 || perUser < 1) {
            throw new IllegalArgumentException("subscription limits must be at least 1");
        }
        this.perConnection = perConnection;
        this.perUser = perUser;
    }

    /** Takes one slot for {@code s}, or fails with {@code RATE_LIMITED} naming the limit reached. */
    void acquire(Session s) {
        Held held = held(s);
        synchronized (held) {
            if (held.count >= perConnection) {
                throw limited("limits.maxSubscriptionsPerConnection (" + perConnection + ") reached on this connection;"
                        + " unsubscribe first");
            }
            AtomicInteger user = byUser.computeIfAbsent(held.userKey, k -> new AtomicInteger());
            if (user.incrementAndGet() > perUser) {
                release(held.userKey);
                throw limited("limits.maxSubscriptionsPerUser (" + perUser + ") reached across this user's connections;"
                        + " unsubscribe first");
            }
            held.count++;
        }
    }

    /** Gives back one slot of {@code s} (its subscription was dropped). */
    void release(Session s) {
        Held held = s.attr(HELD);
        if (held == null) {
            return;
        }
        synchronized (held) {
            if (held.count > 0) {
                held.count--;
                release(held.userKey);
            }
        }
    }

    /** Subscriptions charged to {@code userKey} now (for tests and metrics). */
    int heldBy(String userKey) {
        AtomicInteger n = byUser.get(userKey);
        return n == null ? 0 : n.get();
    }

    private void release(String userKey) {
        // Drop a user's entry at zero, so the map holds only users with subscriptions.
        byUser.computeIfPresent(userKey, (k, n) -> n.decrementAndGet() <= 0 ? null : n);
    }

    private static Held held(Session s) {
        synchronized (s) {
            Held h = s.attr(HELD);
            if (h == null) {
                String user = s.principal().userId();
                h = new Held(user != null ? "u:" + user : "ip:" + s.remoteAddress());
                s.attr(HELD, h);
            }
            return h;
        }
    }

    private static SwitchboardException limited(String message) {
        return new SwitchboardException(ErrorCode.RATE_LIMITED, message);
    }
}
