package io.switchboard.core.ratelimit;

import io.switchboard.core.metrics.Meters;
import io.switchboard.core.pipeline.Pipeline;
import io.switchboard.core.pipeline.Slot;

/**
 * Rate limits (token buckets, Bucket4j): per-op limits in the RATE_LIMIT slot, keyed by user,
 * session or address, and failed-login limits per username and per address ahead of
 * authentication. Build one per node and {@link #install} it; {@code rateLimitStatus} (and
 * {@code GET /api/ratelimit}) report a caller's standing.
 */
public final class RateLimits {
    private final RateLimitConfig config;
    private final BucketMap buckets;
    private final Rejections rejections;

    public RateLimits(RateLimitConfig config, Meters meters) {
        this.config = config;
        this.buckets = new BucketMap(config.maxBuckets());
        this.rejections = new Rejections(meters == null ? Meters.NONE : meters);
    }

    /** Adds the login throttle (ADMIT slot, before authentication) and the per-op stage (RATE_LIMIT slot). */
    public Pipeline.Builder install(Pipeline.Builder b) {
        if (config.loginPerUser() != null || config.loginPerIp() != null) {
            b.add(Slot.ADMIT, new LoginThrottle(config.loginPerUser(), config.loginPerIp(), buckets, rejections));
        }
        return b.add(Slot.RATE_LIMIT, new RateLimitStage(config, buckets, rejections));
    }

    public RateLimitConfig config() {
        return config;
    }

    /** Buckets held in memory now. */
    public long bucketCount() {
        return buckets.size();
    }

    /** Registers {@code ratelimit.buckets}. */
    public void bindMeters(Meters m) {
        m.gauge("ratelimit.buckets", "Token buckets held in memory (bounded by rateLimits.maxBuckets)", buckets::size);
    }
}
