package io.switchboard.core.channel;

import io.switchboard.core.engine.Outcome;
import io.switchboard.core.error.ErrorCode;
import io.switchboard.core.error.SwitchboardException;
import io.switchboard.core.op.Request;
import io.switchboard.core.pipeline.Call;
import io.switchboard.core.pipeline.Stage;
import io.switchboard.core.security.SessionAuth;
import io.switchboard.core.session.Principal;

import java.util.concurrent.CompletableFuture;

/**
 * Answers the channel ops in the pipeline, after authentication, rate limits and authorization,
 * with the caller's identity; every other request passes on. Channels need a signed-in user: the
 * admin API key and insecure mode's anonymous sessions are refused.
 */
final class ChannelStage implements Stage {
    private final ChannelService service;

    ChannelStage(ChannelService service) {
        this.service = service;
    }

    @Override
    public String name() {
        return "channels";
    }

    @Override
    public CompletableFuture<Outcome> apply(Call call, Next next) {
        if (!(call.request() instanceof Request.Channel c)) {
            return next.proceed(call);
        }
        SessionAuth a = SessionAuth.of(call.session());
        Principal p = a == null ? null : a.principal();
        if (p == null || p.userId() == null) {
            return CompletableFuture.failedFuture(new SwitchboardException(ErrorCode.UNAUTHENTICATED,
                    "channels need a signed-in user"));
        }
        return service.run(p, c.command()).thenApply(Outcome::of);
    }
}
