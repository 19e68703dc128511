package io.switchboard.core.security;

import io.switchboard.core.model.Event;
import io.switchboard.core.path.Pattern;
import io.switchboard.core.router.EventFilter;
import io.switchboard.core.router.Subscription;
import io.switchboard.core.session.Session;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import java.util.function.LongSupplier;

/**
 * The per-delivery check on subscriptions: an event is delivered only if the subscriber may
 * {@code get} and {@code subscribe} its path, and never when it lies under {@code /_system}.
 *
 * <p>Cost: each subscription caches a decision stamped with the security version. When its
 * whole pattern is covered (the common case) delivery is one volatile read; otherwise the check
 * costs the path's depth. Any security change raises the version, so the next event after a
 * revoked permission is already refused.
 *
 * <p>Tenants: a tenant subscriber receives a copy of the event with the {@code /t/{tenant}}
 * prefix stripped; the copy is cached per tenant (dispatch runs in offset order on one thread),
 * so it is built and serialized once per tenant, not once per subscriber.
 */
final class SecurityEventFilter implements EventFilter {
    private record Decision(long version, boolean all) { }

    private record Copy(Event source, Event local) { }

    private final LongSupplier version;
    private final Function<SessionAuth, Permissions> permissions;
    private final Map<String, Copy> tenantCopies = new ConcurrentHashMap<>();

    SecurityEventFilter(LongSupplier version, Function<SessionAuth, Permissions> permissions) {
        this.version = version;
        this.permissions = permissions;
    }

    @Override
    public boolean allows(Session session, Subscription sub, Event event) {
        SessionAuth auth = SessionAuth.of(session);
        if (auth == null || AccessGuard.isSystem(event.path())) {
            return false;
        }
        String prefix = auth.tenantPrefix();
        String local = TenantPaths.toLocal(prefix, event.path());
        if (local == null) {
            return false;
        }
        long v = version.getAsLong();
        Decision d = sub.filterState() instanceof Decision x ? x : null;
        Permissions perms = permissions.apply(auth);
        if (d == null || d.version != v) {
            Pattern localPattern = TenantPaths.toLocal(prefix, sub.pattern());
            boolean all = perms.covers(localPattern, Action.GET) && perms.covers(localPattern, Action.SUBSCRIBE);
            d = new Decision(v, all);
            sub.filterState(d);
        }
        return d.all || (perms.allows(local, Action.GET) && perms.allows(local, Action.SUBSCRIBE));
    }

    @Override
    public Event rewrite(Session session, Event event) {
        SessionAuth auth = SessionAuth.of(session);
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
