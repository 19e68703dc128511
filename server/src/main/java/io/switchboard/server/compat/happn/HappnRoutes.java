package io.switchboard.server.compat.happn;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpMethod;
import io.switchboard.core.json.Json;
import io.switchboard.server.ServerContext;
import io.switchboard.server.http.Route;
import io.switchboard.server.http.RouteTable;


/**
 * The happn-3 door's HTTP routes under {@code compat.happn.prefix}: the Primus WebSocket
 * ({@code /primus}), its spec, the auth routes ({@link HappnAuthRoutes}), {@code /version} and {@code /ping}.
 */
public final class HappnRoutes {
    /** What happn-3's server answers on {@code /primus/spec}; the client only needs the pathname. */
    static final String PRIMUS_VERSION = "8.0.9";

    private HappnRoutes() {
    }

    /** Adds the routes to the main port's table when {@code compat.happn.enabled}. */
    public static void register(RouteTable t, ServerContext sc) {
        if (!sc.config().happnEnabled()) {
            return;
        }
        register(t, sc, sc.config().happnPrefix(), !sc.config().happnPrefix().isEmpty());
    }

    /** The table of the happn door's own port ({@code compat.happn.port}): its routes at the root. */
    public static RouteTable ownPort(ServerContext sc) {
        RouteTable t = new RouteTable();
        register(t, sc, "", true);
        // happn-3 serves its apps' web files on the same port as /primus (its connect app).
        io.switchboard.server.http.StaticRoutes.register(t, sc);
        return t;
    }

    private static void register(RouteTable t, ServerContext sc, String prefix, boolean withVersion) {
        t.add(Route.exact(prefix + "/primus", x -> {
            if (x.method().equals(HttpMethod.GET) && x.request().headers()
                    .containsValue(HttpHeaderNames.UPGRADE, HttpHeaderValues.WEBSOCKET, true)) {
                HappnUpgrade.upgrade(x.ctx(), x.full(), sc, prefix + "/primus");
            } else {
                x.notFound();
            }
        }));
        t.add(Route.exact(prefix + "/primus/spec", x -> {
            ObjectNode o = Json.object();
            o.put("pingInterval", HappnConnection.PING_INTERVAL_MS);
            o.put("pathname", prefix + "/primus");
            o.put("version", PRIMUS_VERSION);
            o.put("parser", "json");
            o.put("transformer", "websockets");
            x.json(200, o);
        }));
        // The native /version has happn's shape already; a prefixed door or its own port needs its own.
        if (withVersion) t.add(Route.exact(prefix + "/version", x -> {
            ObjectNode o = Json.object();
            o.put("version", sc.version());
            x.json(200, o);
        }));
        t.add(Route.exact(prefix + "/ping", x -> x.json(200, com.fasterxml.jackson.databind.node.TextNode.valueOf("pong"))));
        HappnAuthRoutes.register(t, sc, prefix);
    }
}
