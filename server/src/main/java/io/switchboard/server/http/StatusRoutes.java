package io.switchboard.server.http;

import io.netty.handler.codec.http.HttpMethod;
import io.switchboard.core.json.Json;
import io.switchboard.server.ServerContext;

/**
 * {@code GET /health}, {@code /ready} (store and bus up), {@code /version} and the landing
 * answer at {@code /} (what this is, its version, where to go next): public, no session.
 */
final class StatusRoutes {
    private StatusRoutes() {
    }

    static void register(RouteTable t, ServerContext sc) {
        t.add(Route.exact("/health", x -> get(x, () -> x.json(200, Json.object().put("status", "ok")))));
        t.add(Route.exact("/ready", x -> get(x, () -> {
            var engine = sc.pipeline().engine();
            boolean up = engine.store().isHealthy() && engine.bus().isHealthy();
            x.json(up ? 200 : 503, Json.object().put("status", up ? "ready" : "unavailable"));
        })));
        if (!(sc.config().staticDir() != null && "/".equals(sc.config().staticPrefix().trim()))) {
            // Static files at the root own "/" (their index.html); otherwise it is the landing answer.
            t.add(Route.exact("/", x -> get(x, () -> x.json(200, landing(sc.version())))));
        }
        t.add(Route.exact("/version", x -> get(x, () -> x.json(200, Json.object().put("version", sc.version())))));
    }

    /** The answer of {@code GET /}: a new user's first request should say where to go next. */
    static com.fasterxml.jackson.databind.node.ObjectNode landing(String version) {
        var o = Json.object().put("name", "Switchboard").put("version", version)
                .put("docs", "docs/getting-started.md in the Switchboard source tree");
        o.putObject("links").put("health", "/health").put("ready", "/ready").put("version", "/version")
                .put("websocket", "/ws").put("sse", "/api/sse?pattern=/**").put("data", "/api/data/{path}");
        return o;
    }

    private static void get(HttpExchange x, Runnable answer) {
        if (x.method().equals(HttpMethod.GET)) {
            answer.run();
        } else {
            x.notFound();
        }
    }
}
