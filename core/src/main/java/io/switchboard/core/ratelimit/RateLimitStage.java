package io.switchboard.core.ratelimit;

import io.github.bucket4j.Bucket;
import io.github.bucket4j.ConsumptionProbe;
import io.switchboard.core.engine.Outcome;
import io.switchboard.core.error.SwitchboardException;
import io.switchboard.core.op.OpFields;
import io.switchboard.core.op.Request;
import io.switchboard.core.pipeline.Call;
import io.switchboard.core.pipeline.Stage;
import io.switchboard.core.result.Result;
import io.switchboard.core.session.Session;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * Per-op token buckets in the pipeline (after authentication, so a user's buckets are the same
 * whatever door or session the call came through). A call over its op's limit fails with
 * RATE_LIMITED and the time until one call would pass; {@code rateLimitStatus} is answered here.
 */
final class RateLimitStage implements Stage {
    private final RateLimitConfig config;
    private final BucketMap buckets;
    private final Rejections rejections;

    RateLimitStage(RateLimitConfig config, BucketMap buckets, Rejections rejections) {
        this.config = config;
        this.buckets = buckets;
        this.rejections = rejections;
    }

    @Override
    public String name() {
        return "rate-limit";
    }

    @Override
    public CompletableFuture<Outcome> apply(Call call, Next next) {
        Request r = call.request();
        if (r instanceof Request.RateLimitStatus s) {
            return CompletableFuture.completedFuture(Outcome.of(status(call.session(), s.forOp())));
        }
        String op = RateLimitConfig.limitedAs(r.op());
        RateLimit limit = config.limitOf(op);
        if (limit == null) {
            return next.proceed(call);
        }
        Session session = call.session();
        Bucket bucket = SessionBuckets.of(session).bucket(op, limit, session.principal(), System.nanoTime(),
                () -> buckets.hold(new BucketMap.Key(op, keyOf(session), limit)));
        ConsumptionProbe p = bucket.tryConsumeAndReturnRemaining(1);
        if (p.isConsumed()) {
            return next.proceed(call);
        }
        rejections.of(op).increment();
        long ms = Rejections.millis(p.getNanosToWaitForRefill());
        return CompletableFuture.failedFuture(Rejections.limited("rate limit of '" + op + "' reached (" + limit.limit()
                + " per " + limit.everyMs() + " ms); retry in " + ms + " ms", ms));
    }

    /** The bucket key of the session's calls. */
    String keyOf(Session s) {
        return switch (config.keyBy()) {
            case USER -> s.principal().userId() != null ? "u:" + s.principal().userId() : "ip:" + s.remoteAddress();
            case SESSION -> "s:" + s.id();
            case IP -> "ip:" + s.remoteAddress();
        };
    }

    private Result.RateLimitStatus status(Session s, String forOp) {
        Map<String, Result.RateLimitStatus.Standing> out = new LinkedHashMap<>();
        if (forOp != null) {
            if (OpFields.of(forOp) == null) {
                throw SwitchboardException.badRequest("forOp", "'" + forOp + "' is not a known operation");
            }
            put(out, s, RateLimitConfig.limitedAs(forOp));
        } else {
            for (String op : OpFields.ops()) {
                if (RateLimitConfig.limitedAs(op).equals(op)) {
                    put(out, s, op);
                }
            }
        }
        return new Result.RateLimitStatus(config.keyBy().wire(), out);
    }

    private void put(Map<String, Result.RateLimitStatus.Standing> out, Session s, String op) {
        RateLimit l = config.limitOf(op);
        if (l == null) {
            return;
        }
        Bucket b = buckets.peek(new BucketMap.Key(op, keyOf(s), l));
        long remaining = b == null ? l.capacity() : b.getAvailableTokens();
        long retry = remaining >= 1 ? 0 : Rejections.millis(b.estimateAbilityToConsume(1).getNanosToWaitForRefill());
        out.put(op, new Result.RateLimitStatus.Standing(l.limit(), l.everyMs(), l.maxUses(), Math.max(0, remaining), retry));
    }
}
