package io.switchboard.server.compat.broker;

import io.switchboard.server.ServerContext;
import io.switchboard.server.config.ConfigException;
import io.switchboard.server.http.RouteTable;

/**
 * The broker door (both generations) when {@code compat.broker.enabled}: generation 1 under
 * {@code compat.broker.v1Prefix}, the BaaS generation under {@code compat.broker.prefix}. Both
 * only translate: users are Switchboard users, events are publishes in the one event log, and
 * every request goes through the pipeline.
 */
public final class BrokerRoutes {
    private BrokerRoutes() {
    }

    public static void register(RouteTable t, ServerContext sc) {
        if (!sc.config().brokerEnabled()) {
            return;
        }
        if (!sc.secure()) {
            throw new ConfigException("compat.broker.enabled: broker's users are Switchboard users, so it needs"
                    + " security.enabled: true");
        }
        String baas = prefix(sc.config().brokerPrefix(), "compat.broker.prefix");
        String v1 = prefix(sc.config().brokerV1Prefix(), "compat.broker.v1Prefix");
        if (baas.equals(v1)) {
            throw new ConfigException("compat.broker.prefix and compat.broker.v1Prefix must differ (both are '" + baas
                    + "'; the generations share route names like /login and /insert)");
        }
        sc.security().addAdminKey(sc.config().brokerAdminToken());
        BrokerUsers users = new BrokerUsers(sc);
        BrokerBaasRoutes.register(t, sc, users, baas);
        BrokerV1Routes.register(t, sc, users, v1);
    }

    /** "" or "/a/b" (no trailing slash). */
    static String prefix(String p, String key) {
        if (p == null || p.isEmpty()) {
            return "";
        }
        if (!p.startsWith("/") || p.endsWith("/") || p.contains("//") || p.startsWith("/api/") || p.equals("/api")) {
            throw new ConfigException(key + ": must be empty or a path like /broker (leading '/', no trailing '/', not under /api)");
        }
        return p;
    }
}
