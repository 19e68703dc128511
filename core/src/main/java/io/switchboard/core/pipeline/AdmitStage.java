package io.switchboard.core.pipeline;

import io.switchboard.core.engine.Outcome;
import io.switchboard.core.error.ErrorCode;
import io.switchboard.core.error.SwitchboardException;
import io.switchboard.core.op.Request;
import io.switchboard.core.session.Session;

import java.util.concurrent.CompletableFuture;

/**
 * The first stage: a closed session answers nothing but UNAVAILABLE; a session must
 * {@code connect} once before anything else. Clients pipeline, so an op that arrives while the
 * connect is still being verified waits for it (and fails with UNAUTHENTICATED only if the
 * connect fails) instead of racing it.
 */
public final class AdmitStage implements Stage {
    @Override
    public String name() {
        return "admit";
    }

    @Override
    public CompletableFuture<Outcome> apply(Call call, Next next) {
        Session s = call.session();
        if (s.isClosed()) {
            return CompletableFuture.failedFuture(SwitchboardException.unavailable("session is closed", null));
        }
        if (call.request() instanceof Request.Connect) {
            return connect(s, call, next);
        }
        if (s.isConnected()) {
            return next.proceed(call);
        }
        CompletableFuture<?> pending = s.connecting();
        if (pending != null) {
            return pending.handle((x, err) -> null).thenCompose(x -> s.isConnected() ? next.proceed(call)
                    : CompletableFuture.failedFuture(notConnected()));
        }
        return CompletableFuture.failedFuture(notConnected());
    }

    private static CompletableFuture<Outcome> connect(Session s, Call call, Next next) {
        CompletableFuture<Outcome> done;
        synchronized (s) {
            if (s.isConnected() || s.connecting() != null) {
                return CompletableFuture.failedFuture(SwitchboardException.badRequest("op", "connect was already sent"));
            }
            done = new CompletableFuture<>();
            s.connecting(done);
        }
        next.proceed(call).whenComplete((out, err) -> {
            if (err == null) {
                s.markConnected();
            }
            s.connecting(null);
            if (err != null) {
                done.completeExceptionally(err);
            } else {
                done.complete(out);
            }
        });
        return done;
    }

    private static SwitchboardException notConnected() {
        return new SwitchboardException(ErrorCode.UNAUTHENTICATED, "send connect first");
    }
}
