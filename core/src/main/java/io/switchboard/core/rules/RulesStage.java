package io.switchboard.core.rules;

import io.switchboard.core.engine.Outcome;
import io.switchboard.core.op.Request;
import io.switchboard.core.pipeline.Call;
import io.switchboard.core.pipeline.Stage;
import io.switchboard.core.security.SessionAuth;

import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;

/**
 * The RULES slot: write and validate rules before the engine ({@link WriteChecks}), read rules
 * on what comes back ({@link ReadChecks}). It runs after tenant mapping, so rule patterns are
 * stored paths ({@code /t/{tenant}/...} for a tenant's data), and before the cache, so a cached
 * answer passes the read rules like any other. Admins (the admin API key, global members of
 * group {@code admin}) are not subject to rules. With no rules, a call passes untouched.
 */
final class RulesStage implements Stage {
    private final Supplier<RuleSet> rules;
    private final WriteChecks writes;
    private final ReadChecks reads;

    RulesStage(Supplier<RuleSet> rules, WriteChecks writes, ReadChecks reads) {
        this.rules = rules;
        this.writes = writes;
        this.reads = reads;
    }

    @Override
    public String name() {
        return "rules";
    }

    @Override
    public CompletableFuture<Outcome> apply(Call call, Next next) {
        RuleSet set = rules.get();
        if (set.rules().isEmpty()) {
            return next.proceed(call);
        }
        Request r = call.request();
        SessionAuth a = SessionAuth.of(call.session());
        if (a != null && a.isAdmin()) {
            return next.proceed(call);
        }
        if (set.hasWriteRules()) {
            if (r instanceof Request.Set s) {
                return writes.set(set, call, s, next);
            }
            if (r instanceof Request.Increment i) {
                return writes.increment(set, call, i, next);
            }
            if (r instanceof Request.Remove rm) {
                return writes.remove(set, call, rm, next);
            }
            if (r instanceof Request.Publish p) {
                return writes.publish(set, call, p, next);
            }
        }
        if (set.hasReadRules()) {
            if (r instanceof Request.Get g) {
                return reads.read(set, call, g.target(), next);
            }
            if (r instanceof Request.Count c) {
                return reads.read(set, call, c.target(), next);
            }
            if (r instanceof Request.History h) {
                return reads.read(set, call, h.pattern(), next);
            }
            if (r instanceof Request.Subscribe s && s.snapshot()) {
                return reads.subscribe(set, call, s, next);
            }
        }
        return next.proceed(call);
    }
}
