package io.switchboard.core.security;

import io.switchboard.core.engine.Outcome;
import io.switchboard.core.pipeline.Call;
import io.switchboard.core.pipeline.Stage;

import java.util.concurrent.CompletableFuture;

/**
 * Tenant mapping in the pipeline: a tenant user's paths {@code /x} become the stored
 * {@code /t/{tenant}/x} on the way in, and every path of the typed result is mapped back on the
 * way out (anything outside the tenant's prefix is dropped). Global users pass unchanged.
 */
final class TenantStage implements Stage {
    @Override
    public String name() {
        return "tenant";
    }

    @Override
    public CompletableFuture<Outcome> apply(Call call, Next next) {
        SessionAuth a = SessionAuth.of(call.session());
        String prefix = a == null ? null : a.tenantPrefix();
        if (prefix == null) {
            return next.proceed(call);
        }
        return next.proceed(call.with(TenantPaths.toGlobal(prefix, call.request())))
                .thenApply(out -> out.map(r -> r.mapPaths(p -> TenantPaths.toLocal(prefix, p))));
    }
}
