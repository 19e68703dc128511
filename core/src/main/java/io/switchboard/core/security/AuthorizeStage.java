package io.switchboard.core.security;

import io.switchboard.core.engine.Outcome;
import io.switchboard.core.error.ErrorCode;
import io.switchboard.core.error.SwitchboardException;
import io.switchboard.core.op.Request;
import io.switchboard.core.path.PathMatcher;
import io.switchboard.core.pipeline.Call;
import io.switchboard.core.pipeline.FilteredReads;
import io.switchboard.core.pipeline.Stage;
import io.switchboard.core.result.Result;

import java.util.concurrent.CompletableFuture;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.function.UnaryOperator;

/**
 * Permissions in the pipeline: the request is checked on the paths the client sees
 * ({@link AccessGuard}); a read of a partly readable pattern runs filtered
 * ({@link FilteredReads}), and on the way out a subscription's snapshot is filtered to what the
 * subscriber may read.
 */
final class AuthorizeStage implements Stage {
    private final AccessGuard guard = new AccessGuard();
    private final Function<SessionAuth, Permissions> permissions;
    private final FilteredReads reads;

    /** {@code maxPage}: the engine's cap on a page of a pattern get. */
    AuthorizeStage(Function<SessionAuth, Permissions> permissions, int maxPage) {
        this.permissions = permissions;
        this.reads = new FilteredReads(maxPage);
    }

    @Override
    public String name() {
        return "authorize";
    }

    @Override
    public CompletableFuture<Outcome> apply(Call call, Next next) {
        SessionAuth a = SessionAuth.of(call.session());
        if (a == null) {
            // connect, before any identity exists: authentication decides
            return next.proceed(call);
        }
        Permissions perms = permissions.apply(a);
        PathMatcher read = readTarget(call.request());
        if (read != null) {
            Predicate<String> visible = guard.readFilter(a, perms, read);
            CompletableFuture<Outcome> f = visible == null ? next.proceed(call) : reads.run(call, FilteredReads.byPath(visible), next);
            return call.request() instanceof Request.History h && h.waitSeconds() > 0
                    ? f.thenApply(o -> o.map(res -> stillReadable(a, res))) : f;
        }
        UnaryOperator<Result> out = guard.check(a, perms, call.request());
        CompletableFuture<Outcome> f = next.proceed(call);
        if (call.request() instanceof Request.Set set && set.ifVersion() != null && !perms.allows(set.path(), Action.GET)) {
            f = hideVersion(f, set.path());
        }
        if (call.request() instanceof Request.Increment inc && !perms.allows(inc.path(), Action.GET)) {
            // The new value is the document's content: only a reader may see it.
            f = f.thenApply(o -> o.map(res -> res instanceof Result.Incremented i ? i.withoutValue() : res));
        }
        return out == null ? f : f.thenApply(o -> o.map(out));
    }

    /**
     * A writer who may not read the document must not learn its version from a failed
     * {@code ifVersion}: the CONFLICT says only that the version did not match.
     */
    private static CompletableFuture<Outcome> hideVersion(CompletableFuture<Outcome> f, String path) {
        return f.handle((o, err) -> {
            if (err == null) {
                return o;
            }
            SwitchboardException e = SwitchboardException.of(err);
            if (e.code() == ErrorCode.CONFLICT) {
                throw SwitchboardException.conflict("version mismatch at " + path
                        + " (the current version is not shown: no read permission)");
            }
            throw e;
        });
    }

    /**
     * A long-poll answers later than it was checked: what it returns is checked again against
     * the permissions of that moment, so a member removed from a channel while waiting does not
     * receive the message that woke the poll.
     */
    private Result stillReadable(SessionAuth a, Result res) {
        if (!(res instanceof Result.History)) {
            return res;
        }
        Permissions now = permissions.apply(a);
        boolean global = a.tenantPrefix() == null;
        return res.mapPaths(p -> (global && AccessGuard.isSystem(p)) || !now.allows(p, Action.GET) ? null : p);
    }

    /** The pattern of a get, count or history; null for other ops. */
    private static PathMatcher readTarget(Request r) {
        if (r instanceof Request.Get g) {
            return g.target();
        }
        if (r instanceof Request.Count c) {
            return c.target();
        }
        return r instanceof Request.History h ? h.pattern() : null;
    }
}
