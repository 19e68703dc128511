package io.switchboard.bench.load;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * Connection churn: open a WebSocket, {@code connect} (with a token when the server issues one via
 * {@code POST /api/auth/login}; else insecure mode, and the result says so), close; per second.
 */
public final class ChurnScenario implements Scenario {
    private static final String ADMIN_PASSWORD = "bench-admin-password";

    @Override
    public String name() {
        return "churn";
    }

    @Override
    public Result run(Ctx ctx) throws Exception {
        Result r = new Result(name(), ctx);
        int seconds = ctx.scale(15, 5);
        int concurrency = ctx.scale(128, 32);
        r.params().put("seconds", seconds).put("concurrency", concurrency);
        ServerProc srv = ServerProc.switchboard(ctx, true, List.of(), Map.of("SWITCHBOARD_ADMIN_PASSWORD", ADMIN_PASSWORD));
        String token = login(srv.port);
        String mode = "token";
        if (token == null) {
            srv.close();
            srv = ServerProc.switchboard(ctx, false, List.of());
            mode = "insecure (server issued no token at POST /api/auth/login)";
            r.note("token auth unavailable: measured insecure connect");
        }
        r.params().put("auth", mode);
        try (ServerProc s = srv; Workers ws = new Workers()) {
            Peers.Running run = new Peers.Running("switchboard", s, token);
            ws.add(run.worker(ctx, "churn", Jsons.object().put("concurrency", concurrency)));
            ws.step("churn");
            ws.sendAll("rate 1");
            Thread.sleep(seconds * 1000L);
            ws.sendAll("rate 0");
            Thread.sleep(1000);
            Window w = ws.end();
            double perSec = w.count() / ((w.endNanos() - w.startNanos()) / 1e9);
            ArrayNode rows = r.table("Churn", "auth", "connections completed", "per second", "errors", "p50 ms", "p99 ms", "p99.9 ms");
            Result.row(rows, mode, w.count(), perSec, w.errors(), w.ms(50), w.ms(99), w.ms(99.9));
            r.headline("open+connect+close per second (" + (token == null ? "insecure" : "token") + ")", perSec, "/s", 5000, true);
        }
        return r;
    }

    private static String login(int port) {
        try {
            HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
            HttpResponse<String> res = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/api/auth/login"))
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString("{\"username\":\"admin\",\"password\":\"" + ADMIN_PASSWORD + "\"}"))
                    .build(), HttpResponse.BodyHandlers.ofString());
            if (res.statusCode() != 200) {
                return null;
            }
            JsonNode n = Jsons.parse(res.body());
            if (n == null) {
                return null;
            }
            JsonNode t = n.hasNonNull("token") ? n.get("token") : n.path("result").path("token");
            return t.isTextual() ? t.asText() : null;
        } catch (Exception e) {
            return null;
        }
    }
}
