package io.switchboard.core.security;

import io.switchboard.core.model.Event;
import io.switchboard.core.path.PathMatcher;
import io.switchboard.core.router.DeliveryFilter;
import io.switchboard.core.router.Subscription;
import io.switchboard.core.session.AttributeKey;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import java.util.function.LongSupplier;

/**
 * The per-delivery permission check on subscriptions: an event is delivered only if the
 * subscriber may {@code get} and {@code subscribe} its path, and never when it lies under
 * {@code /_system}.
 *
 * <p>Cost: each subscription caches a decision stamped with the security version (its own state
 * slot, {@link #DECISION}). When its whole pattern is covered (the common case) delivery is one
 * volatile read; otherwise the check costs the path's depth. Any security change raises the
 * version, so the next event after a revoked permission is already refused.
 *
 * <p>Tenants: a tenant subscriber receives a copy of the event with the {@code /t/{tenant}}
 * prefix stripped; the copy is cached per tenant, so it is built and serialized about once per
 * tenant (at most once per event loop), not once per subscriber.
 */
final class SecurityEventFilter implements DeliveryFilter {
    private record Decision(long version, boolean all) { }

    private record Copy(Event source, Event local) { }

    private static final AttributeKey<Decision> DECISION = AttributeKey.of("security-decision", Decision.class);

    private final LongSupplier version;
    private final Function<SessionAuth, Permissions> permissions;
    private final Map<String, Copy> tenantCopies = new ConcurrentHashMap<>();

    SecurityEventFilter(LongSupplier version, Function<SessionAuth, Permissions> permissions) {
        this.version = version;
        this.permissions = permissions;
    }

    @Override
    public boolean allows(Subscription sub, Event event) {
        SessionAuth auth = SessionAuth.of(sub.session());
        if (auth == null || AccessGuard.isSystem(event.path())) {
            return false;
        }
        String prefix = auth.tenantPrefix();
        String local = TenantPaths.toLocal(prefix, event.path());
        if (local == null) {
            return false;
        }
        long v = version.getAsLong();
        Decision d = sub.state(DECISION);
        Permissions perms = permissions.apply(auth);
        if (d == null || d.version != v) {
            PathMatcher localPattern = TenantPaths.toLocal(prefix, sub.pattern());
            boolean all = perms.covers(localPattern, Action.GET) && perms.covers(localPattern, Action.SUBSCRIBE);
            d = new Decision(v, all);
            sub.state(DECISION, d);
        }
        return d.all || (perms.allows(local, Action.GET) && perms.allows(local, Action.SUBSCRIBE));
    }

    @Override
    public Event rewrite(Subscription sub, Event event) {
        SessionAuth auth = SessionAuth.of(sub.session());
        String prefix = auth == null ? null : auth.tenantPrefix();
        if (prefix == null) {
            return event;
        }
        Copy c = tenantCopies.get(prefix);
        if (c != null && c.source == event) {
            return c.local;
        }
        String local = TenantPaths.toLocal(prefix, event.path());
        Event copy = event.withPath(local == null ? event.path() : local);
        tenantCopies.put(prefix, new Copy(event, copy));
        return copy;
    }
}
