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
 * connect fails) instead of racing it. The connect is answered first, and the ops queued
 * behind it start in arrival order.
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
        if (s.isConnected() && s.connecting() == null) {
            // Once connected with no op queued behind the connect, nothing queues again.
            return next.proceed(call);
        }
        CompletableFuture<?> pending;
        CompletableFuture<Void> turn = new CompletableFuture<>();
        synchronized (s) {
            pending = s.connecting();
            if (pending != null) {
                // Queue behind the connect and the ops that arrived before this one: they start in arrival order.
                s.connecting(turn);
            }
        }
        if (pending == null) {
            return s.isConnected() ? next.proceed(call) : CompletableFuture.failedFuture(notConnected());
        }
        CompletableFuture<Outcome> out = new CompletableFuture<>();
        pending.whenComplete((x, err) -> {
            CompletableFuture<Outcome> f;
            try {
                f = s.isConnected() ? next.proceed(call)
                        : CompletableFuture.failedFuture(new SwitchboardException(ErrorCode.UNAUTHENTICATED,
                                "the connect sent before this request failed"));
            } catch (RuntimeException e) {
                f = CompletableFuture.failedFuture(SwitchboardException.of(e));
            }
            // Relayed before the next op starts, so an op answered at once is answered in order.
            f.whenComplete((o, e) -> {
                if (e != null) {
                    out.completeExceptionally(e);
                } else {
                    out.complete(o);
                }
            });
            release(s, turn);
        });
        return out;
    }

    /** Lets the next queued op start; the last one clears the queue. */
    private static void release(Session s, CompletableFuture<Void> turn) {
        synchronized (s) {
            if (s.connecting() == turn) {
                s.connecting(null);
            }
        }
        turn.complete(null);
    }

    private static CompletableFuture<Outcome> connect(Session s, Call call, Next next) {
        CompletableFuture<Outcome> done = new CompletableFuture<>();
        // What the ops pipelined behind the connect wait for: completed only after the connect's
        // own dependants (its reply) ran, so the client hears the connect answered first.
        CompletableFuture<Void> admitted = new CompletableFuture<>();
        synchronized (s) {
            if (s.isConnected() || s.connecting() != null) {
                return CompletableFuture.failedFuture(SwitchboardException.badRequest("op", "connect was already sent"));
            }
            s.connecting(admitted);
        }
        next.proceed(call).whenComplete((out, err) -> {
            if (err != null) {
                done.completeExceptionally(err);
            } else {
                done.complete(out);
                s.markConnected();
            }
            release(s, admitted);
        });
        return done;
    }

    private static SwitchboardException notConnected() {
        return new SwitchboardException(ErrorCode.UNAUTHENTICATED, "send connect first");
    }
}
