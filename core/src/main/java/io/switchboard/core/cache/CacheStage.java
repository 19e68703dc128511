package io.switchboard.core.cache;

import io.switchboard.core.engine.Outcome;
import io.switchboard.core.error.ErrorCode;
import io.switchboard.core.error.SwitchboardException;
import io.switchboard.core.model.Document;
import io.switchboard.core.op.Request;
import io.switchboard.core.pipeline.Call;
import io.switchboard.core.pipeline.Stage;
import io.switchboard.core.query.Criteria;
import io.switchboard.core.result.Result;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/**
 * The cache in the pipeline, last before the engine: serves {@code get}s from {@link ReadCache}
 * and fills it on misses; this node's writes drop what they change before they reply (also the
 * {@code noPublish} ones, which leave no event on the commit feed).
 */
final class CacheStage implements Stage {
    private final ReadCache cache;

    CacheStage(ReadCache cache) {
        this.cache = cache;
    }

    @Override
    public String name() {
        return "cache";
    }

    @Override
    public CompletableFuture<Outcome> apply(Call call, Next next) {
        Request r = call.request();
        if (r instanceof Request.Get g) {
            return g.target().isExact() && g.criteria() instanceof Criteria.All ? document(g.target().text(), call, next)
                    : query(g, call, next);
        } else if (r instanceof Request.Set s) {
            return next.proceed(call).whenComplete((o, e) -> cache.invalidate(s.path()));
        } else if (r instanceof Request.Increment i) {
            return next.proceed(call).whenComplete((o, e) -> cache.invalidate(i.path()));
        } else if (r instanceof Request.Remove rm) {
            if (rm.target().isExact()) {
                return next.proceed(call).whenComplete((o, e) -> cache.invalidate(rm.target().text()));
            }
            if (rm.noPublish()) {
                // Which paths went is not known here, and no events name them.
                return next.proceed(call).whenComplete((o, e) -> cache.invalidateAll());
            }
        }
        return next.proceed(call);
    }

    private CompletableFuture<Outcome> document(String path, Call call, Next next) {
        ReadCache.DocEntry hit = cache.document(path);
        if (hit != null) {
            return hit.document() == null ? CompletableFuture.failedFuture(absent(path))
                    : CompletableFuture.completedFuture(Outcome.of(new Result.DocumentResult(hit.document())));
        }
        long[] stamp = cache.documentStamp(path);
        return next.proceed(call).whenComplete((out, err) -> {
            if (err == null) {
                if (out.result() instanceof Result.DocumentResult d) {
                    cache.putDocument(path, stamp, d.document());
                }
            } else if (unwrap(err) instanceof SwitchboardException se && se.code() == ErrorCode.NOT_FOUND) {
                cache.putDocument(path, stamp, (Document) null);
            }
        });
    }

    private CompletableFuture<Outcome> query(Request.Get g, Call call, Next next) {
        Result.Page hit = cache.page(g);
        if (hit != null) {
            return CompletableFuture.completedFuture(Outcome.of(hit));
        }
        ReadCache.Ticket t = cache.begin(g);
        CompletableFuture<Outcome> f;
        try {
            f = next.proceed(call);
        } catch (RuntimeException e) {
            cache.finish(t, null);
            throw e;
        }
        return f.whenComplete((out, err) ->
                cache.finish(t, err == null && out.result() instanceof Result.Page p ? p : null));
    }

    /** The engine's answer for a path without a document (the same words). */
    private static SwitchboardException absent(String path) {
        return SwitchboardException.notFound("no document at " + path);
    }

    private static Throwable unwrap(Throwable t) {
        Throwable c = t;
        while (c instanceof CompletionException && c.getCause() != null) {
            c = c.getCause();
        }
        return c;
    }
}
