package io.switchboard.core.ratelimit;

import io.github.bucket4j.Bucket;
import io.github.bucket4j.ConsumptionProbe;
import io.switchboard.core.engine.Outcome;
import io.switchboard.core.op.Credentials;
import io.switchboard.core.op.Request;
import io.switchboard.core.pipeline.Call;
import io.switchboard.core.pipeline.Stage;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * Slows password guessing: every {@code connect} that checks a secret (password, HTTP Basic,
 * signed nonce, admin API key) takes a token from the username's bucket and the client
 * address's bucket before authentication runs, and a successful login gives them back — so only
 * failures count, and a user who logs in often is never throttled. Runs before authentication
 * (it sits in the ADMIT slot), so a throttled guess costs no password hash.
 */
final class LoginThrottle implements Stage {
    static final String PER_USER = "login.user";
    static final String PER_IP = "login.ip";
    private final RateLimit perUser;
    private final RateLimit perIp;
    private final BucketMap buckets;
    private final Rejections rejections;

    LoginThrottle(RateLimit perUser, RateLimit perIp, BucketMap buckets, Rejections rejections) {
        this.perUser = perUser;
        this.perIp = perIp;
        this.buckets = buckets;
        this.rejections = rejections;
    }

    @Override
    public String name() {
        return "login-throttle";
    }

    @Override
    public CompletableFuture<Outcome> apply(Call call, Next next) {
        if (!(call.request() instanceof Request.Connect c)) {
            return next.proceed(call);
        }
        String user = username(c.credentials());
        boolean secret = user != null || c.credentials() instanceof Credentials.ApiKey;
        if (!secret) {
            return next.proceed(call);
        }
        List<Bucket> taken = new ArrayList<>(2);
        long waitNanos = 0;
        if (user != null && perUser != null) {
            waitNanos = take(new BucketMap.Key(PER_USER, user, perUser), taken, waitNanos);
        }
        if (perIp != null) {
            waitNanos = take(new BucketMap.Key(PER_IP, call.session().remoteAddress(), perIp), taken, waitNanos);
        }
        if (waitNanos > 0) {
            taken.forEach(b -> b.addTokens(1));
            rejections.of("connect").increment();
            long ms = Rejections.millis(waitNanos);
            return CompletableFuture.failedFuture(Rejections.limited(
                    "too many failed logins for this user or address; retry in " + ms + " ms", ms));
        }
        return next.proceed(call).whenComplete((out, err) -> {
            if (err == null) {
                taken.forEach(b -> b.addTokens(1));
            }
        });
    }

    private long take(BucketMap.Key k, List<Bucket> taken, long waitNanos) {
        Bucket b = buckets.get(k);
        ConsumptionProbe p = b.tryConsumeAndReturnRemaining(1);
        if (p.isConsumed()) {
            taken.add(b);
            return waitNanos;
        }
        return Math.max(waitNanos, Math.max(1, p.getNanosToWaitForRefill()));
    }

    /** {@code tenant/username} of a login that checks a user's secret, else null. */
    private static String username(Credentials c) {
        if (c instanceof Credentials.Password p) {
            return qualified(p.tenant(), p.username());
        } else if (c instanceof Credentials.Basic b) {
            return qualified(b.tenant(), b.username());
        } else if (c instanceof Credentials.SignedNonce n) {
            return qualified(n.tenant(), n.username());
        }
        return null;
    }

    private static String qualified(String tenant, String username) {
        return username == null ? null : tenant == null ? username : tenant + "/" + username;
    }
}
