package io.switchboard.server.compat.happn;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpMethod;
import io.switchboard.core.json.Json;
import io.switchboard.core.op.Credentials;
import io.switchboard.server.ServerContext;
import io.switchboard.server.http.NoReplySink;
import io.switchboard.server.http.Reply;
import io.switchboard.server.http.Route;
import io.switchboard.server.http.RouteTable;

import java.util.concurrent.CompletableFuture;

/**
 * The happn-3 door's HTTP routes under {@code compat.happn.prefix}: the Primus WebSocket
 * ({@code /primus}), its spec, {@code /auth/login}, {@code /version} and {@code /ping}.
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
        t.add(Route.exact(prefix + "/auth/login", x -> {
            String user = HappnLogin.username(x.param("username"));
            Credentials c = new Credentials.Password(user, null, x.param("password") == null ? "" : x.param("password"));
            io.switchboard.core.session.Session s = sc.pipeline().openStateless(NoReplySink.INSTANCE, x.remote());
            CompletableFuture<Reply> r = sc.pipeline().connect(s, c).whenComplete((ok, err) -> s.close()).thenApply(ok -> {
                ObjectNode o = Json.object();
                o.put("message", "login successful");
                o.put("data", ok.token());
                o.putNull("error");
                return Reply.ok(o);
            });
            x.respond(r);
        }));
    }
}
