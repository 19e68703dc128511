package io.switchboard.core.ratelimit;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Expiry;
import io.github.bucket4j.Bucket;

import java.util.concurrent.TimeUnit;

/**
 * The token buckets in memory, bounded: a bucket left alone for as long as it takes to fill up
 * is dropped (it would be full again, so dropping it loses nothing), and past {@code maxBuckets}
 * the least recently used go first, so a flood of distinct keys cannot grow memory. The price of
 * that bound: under such a flood a key may find a fresh bucket sooner than its limit says.
 */
final class BucketMap {
    /** What a bucket is for: an op (or a login kind) and the caller's key. */
    record Key(String scope, String key, RateLimit limit) { }

    /** A bucket as the map holds it; {@code retired} once the map dropped it, so no session keeps using it. */
    static final class Held {
        private final Bucket bucket;
        private volatile boolean retired;

        Held(Bucket bucket) {
            this.bucket = bucket;
        }

        Bucket bucket() {
            return bucket;
        }

        boolean retired() {
            return retired;
        }
    }

    private final Cache<Key, Held> buckets;

    BucketMap(int maxBuckets) {
        this.buckets = Caffeine.newBuilder()
                .maximumSize(maxBuckets)
                .expireAfter(new Expiry<Key, Held>() {
                    @Override
                    public long expireAfterCreate(Key k, Held b, long now) {
                        return idleNanos(k);
                    }

                    @Override
                    public long expireAfterUpdate(Key k, Held b, long now, long current) {
                        return idleNanos(k);
                    }

                    @Override
                    public long expireAfterRead(Key k, Held b, long now, long current) {
                        return idleNanos(k);
                    }
                })
                // Synchronous for expiry and size evictions: a session that remembers the bucket
                // sees it retired before the next lookup could create its successor.
                .evictionListener((Key k, Held h, com.github.benmanes.caffeine.cache.RemovalCause c) -> {
                    if (h != null) {
                        h.retired = true;
                    }
                })
                .build();
    }

    private static long idleNanos(Key k) {
        return TimeUnit.MILLISECONDS.toNanos(k.limit().fullRefillMs());
    }

    /** The bucket of {@code k}, created full when absent. */
    Bucket get(Key k) {
        return hold(k).bucket();
    }

    /** The held bucket of {@code k}, created full when absent. */
    Held hold(Key k) {
        return buckets.get(k, x -> new Held(x.limit().newBucket()));
    }

    /** The bucket of {@code k} if one is kept (none: it would be full). */
    Bucket peek(Key k) {
        Held h = buckets.getIfPresent(k);
        return h == null ? null : h.bucket();
    }

    /** Buckets kept now (after pending evictions ran). */
    long size() {
        buckets.cleanUp();
        return buckets.estimatedSize();
    }
}
