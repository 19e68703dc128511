package io.switchboard.core.ratelimit;

import io.github.bucket4j.Bucket;
import io.switchboard.core.session.Principal;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

class SessionBucketsTest {
    final RateLimit limit = new RateLimit(10, 60_000, 0);
    final Principal ann = new Principal("u1", "ann", null, List.of(), List.of());
    final BucketMap map = new BucketMap(100);
    final AtomicInteger lookups = new AtomicInteger();

    private Bucket bucket(SessionBuckets s, Principal p, long now, String key) {
        return s.bucket("get", limit, p, now, () -> {
            lookups.incrementAndGet();
            return map.hold(new BucketMap.Key("get", key, limit));
        });
    }

    @Test
    void aRememberedBucketIsTheMapsBucketSoEveryDoorDrainsTheSameOne() {
        SessionBuckets ws = new SessionBuckets();
        Bucket first = bucket(ws, ann, 0, "u:u1");
        Bucket again = bucket(ws, ann, 1, "u:u1");
        assertThat(again).isSameAs(first);
        assertThat(lookups).hasValue(1);
        // another session of the same user (an HTTP request) finds the same bucket in the map
        assertThat(bucket(new SessionBuckets(), ann, 2, "u:u1")).isSameAs(first);
        for (int i = 0; i < 10; i++) {
            bucket(i % 2 == 0 ? ws : new SessionBuckets(), ann, 3, "u:u1").tryConsume(1);
        }
        assertThat(first.getAvailableTokens()).isZero();
    }

    @Test
    void theMapIsAskedAgainAfterTheMemoTimeAndForAnotherPrincipal() {
        SessionBuckets s = new SessionBuckets();
        bucket(s, ann, 0, "u:u1");
        bucket(s, ann, limit.memoNanos() - 1, "u:u1");
        assertThat(lookups).hasValue(1);
        bucket(s, ann, limit.memoNanos(), "u:u1");
        assertThat(lookups).hasValue(2);
        Principal bob = new Principal("u2", "bob", null, List.of(), List.of());
        assertThat(bucket(s, bob, limit.memoNanos() + 1, "u:u2")).isNotSameAs(bucket(new SessionBuckets(), ann, 0, "u:u1"));
        assertThat(lookups).hasValue(4);
    }

    @Test
    void aBucketTheMapDroppedIsNotUsedAgain() throws InterruptedException {
        RateLimit quick = new RateLimit(1000, 1, 0); // full again after 1 ms: the map drops it once idle that long
        BucketMap m = new BucketMap(100);
        BucketMap.Key key = new BucketMap.Key("get", "u:u1", quick);
        SessionBuckets s = new SessionBuckets();
        Bucket first = s.bucket("get", quick, ann, 0, () -> m.hold(key));
        Thread.sleep(20);
        // idle past its refill time the map treats it as gone: the next lookup (another
        // session's) makes a fresh one and retires the old, which was full again anyway
        Bucket fresh = m.hold(key).bucket();
        assertThat(fresh).isNotSameAs(first);
        // still within the session's memo time (0 + memoNanos), but retired: the session asks the
        // map again (which by now may hold the fresh one or, 1 ms later, yet another)
        assertThat(s.bucket("get", quick, ann, 1, () -> m.hold(key))).isNotSameAs(first);
    }
}
