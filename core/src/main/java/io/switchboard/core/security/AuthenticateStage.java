package io.switchboard.core.security;

import io.switchboard.core.engine.Outcome;
import io.switchboard.core.op.Request;
import io.switchboard.core.pipeline.Call;
import io.switchboard.core.pipeline.Stage;
import io.switchboard.core.result.Result;

import java.util.concurrent.CompletableFuture;

/**
 * Authentication in the pipeline: a {@code connect} verifies its credentials and attaches the
 * session's security state (its reply gains the user and the token); every other op is
 * admitted — expiry, inactivity, usage limit and revocation — before it goes on.
 */
final class AuthenticateStage implements Stage {
    private final SessionAuthenticator authenticator;

    AuthenticateStage(SessionAuthenticator authenticator) {
        this.authenticator = authenticator;
    }

    @Override
    public String name() {
        return "authenticate";
    }

    @Override
    public CompletableFuture<Outcome> apply(Call call, Next next) {
        if (call.request() instanceof Request.Connect c) {
            authenticator.touch(call.session());
            return authenticator.authenticate(call.session(), c.credentials()).thenCompose(sa -> next.proceed(call)
                    .thenApply(out -> out.map(r -> r instanceof Result.Connected k
                            ? new Result.Connected(k.session(), k.epoch(), k.offset(), sa.principal(), sa.token(), k.heartbeatMs())
                            : r)));
        }
        authenticator.admit(call.session());
        return next.proceed(call);
    }
}
