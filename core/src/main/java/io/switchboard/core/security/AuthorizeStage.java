package io.switchboard.core.security;

import io.switchboard.core.engine.Outcome;
import io.switchboard.core.pipeline.Call;
import io.switchboard.core.pipeline.Stage;
import io.switchboard.core.result.Result;

import java.util.concurrent.CompletableFuture;
import java.util.function.Function;
import java.util.function.UnaryOperator;

/**
 * Permissions in the pipeline: the request is checked on the paths the client sees
 * ({@link AccessGuard}); on the way out a subscription's snapshot is filtered to what the
 * subscriber may read.
 */
final class AuthorizeStage implements Stage {
    private final AccessGuard guard = new AccessGuard();
    private final Function<SessionAuth, Permissions> permissions;

    AuthorizeStage(Function<SessionAuth, Permissions> permissions) {
        this.permissions = permissions;
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
        UnaryOperator<Result> out = guard.check(a, permissions.apply(a), call.request());
        CompletableFuture<Outcome> f = next.proceed(call);
        return out == null ? f : f.thenApply(o -> o.map(out));
    }
}
