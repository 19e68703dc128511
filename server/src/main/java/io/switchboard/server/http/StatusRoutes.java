package io.switchboard.server.http;

import io.netty.handler.codec.http.HttpMethod;
import io.switchboard.core.json.Json;
import io.switchboard.server.ServerContext;

/** {@code GET /health}, {@code /ready} (store and bus up) and {@code /version}: public, no session. */
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
        t.add(Route.exact("/version", x -> get(x, () -> x.json(200, Json.object().put("version", sc.version())))));
    }

    private static void get(HttpExchange x, Runnable answer) {
        if (x.method().equals(HttpMethod.GET)) {
            answer.run();
        } else {
            x.notFound();
        }
    }
}
