package io.switchboard.bench.load;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * {@code streams}: many waiting HTTP clients on one server, the compatibility doors' shape of
 * load. Opens {@code N} broker SSE streams ({@code /broker/sse}) and {@code N} Hatch@ long-polls
 * ({@code GET /hatchat/messages}, each with a client-signed RSA token), measures the server's heap
 * after a full GC per waiting client, then sends one matching message to each door (a broker
 * insert, a Hatch@ post) and measures how long until the last stream and the last long-poll
 * has it.
 */
final class StreamsScenario implements Scenario {
    private static final String HOST = "127.0.0.1";
    private static final String ADMIN = "bench-broker-admin-token-0123456789";
    private final HttpClient http = HttpClient.newHttpClient();

    @Override
    public String name() {
        return "streams";
    }

    @Override
    public Result run(Ctx ctx) throws Exception {
        Result r = new Result(name(), ctx);
        int n = ctx.scale(5000, 500);
        r.params().put("sseStreams", n).put("hatchatLongPolls", n);
        Map<String, String> env = Map.of("SWITCHBOARD_COMPAT_BROKER_ENABLED", "true", "SWITCHBOARD_AUTH_ADMIN_TOKEN", ADMIN,
                "SWITCHBOARD_COMPAT_HATCHAT_ENABLED", "true");
        Net net = new Net(1);
        try (ServerProc server = ServerProc.switchboard(ctx, true, List.of(), env)) {
            String base = "http://" + HOST + ":" + server.port;
            post(base + "/broker/create_user", "{\"username\":\"bench\",\"password\":\"bench-password\",\"admin_token\":\"" + ADMIN
                    + "\",\"tenant_name\":\"bench\"}", null);
            String jwt = post(base + "/broker/login", "{\"username\":\"bench\",\"password\":\"bench-password\"}", null).get("jwt").asText();
            String bearer = "Bearer " + jwt;
            long heapBefore = server.heapUsedAfterGc(ctx.javaBin());

            AtomicInteger synced = new AtomicInteger();
            AtomicInteger gotEvent = new AtomicInteger();
            AtomicLong lastSse = new AtomicLong();
            AtomicLong t0 = new AtomicLong(Long.MAX_VALUE);
            Map<Conn, Boolean> seen = new ConcurrentHashMap<>();
            long openStart = System.nanoTime();
            for (int i = 0; i < n; i++) {
                SseConn.connect(net, HOST, server.port, "/broker/sse", bearer, new Conn.Listener() {
                    @Override
                    public void onOpen(Conn c) {
                    }

                    @Override
                    public void onMessage(Conn c, String message) {
                        if ("connected".equals(message)) {
                            synced.incrementAndGet();
                        } else if (message.contains("\"go\"") && seen.putIfAbsent(c, true) == null) {
                            lastSse.accumulateAndGet(System.nanoTime(), Math::max);
                            gotEvent.incrementAndGet();
                        }
                    }

                    @Override
                    public void onClose(Conn c, Throwable cause) {
                    }
                });
            }
            await(() -> synced.get() >= n, 120, "SSE streams synced: " + synced);
            double sseOpenS = (System.nanoTime() - openStart) / 1e9;

            HatchatUser hu = new HatchatUser();
            post(base + "/hatchat/users", "{\"id\":\"" + hu.id + "\",\"username\":\"bench\",\"publicKey\":"
                    + Jsons.quote(hu.pem) + "}", null);
            String token = hu.token();
            post(base + "/hatchat/channels", "{\"id\":\"bench\",\"inviteModel\":\"self\"}", token);
            Thread.sleep(50);
            String since = java.net.URLEncoder.encode(java.time.Instant.now().toString(), java.nio.charset.StandardCharsets.UTF_8);
            AtomicInteger sent = new AtomicInteger();
            AtomicInteger answered = new AtomicInteger();
            AtomicInteger answeredWithEvent = new AtomicInteger();
            AtomicLong lastPoll = new AtomicLong();
            AtomicLong t1 = new AtomicLong();
            long pollStart = System.nanoTime();
            for (int i = 0; i < n; i++) {
                LongPollConn.get(net, HOST, server.port, "/hatchat/messages?channelId=bench&since=" + since, token,
                        sent::incrementAndGet, (status, body) -> {
                            answered.incrementAndGet();
                            if (status == 200 && body.contains("\"go\"")) {
                                lastPoll.accumulateAndGet(System.nanoTime(), Math::max);
                                answeredWithEvent.incrementAndGet();
                            }
                        });
            }
            await(() -> sent.get() >= n, 120, "long-polls sent: " + sent);
            Thread.sleep(2000); // let the server park every poll before measuring
            double pollOpenS = (System.nanoTime() - pollStart) / 1e9;
            long heapWith = server.heapUsedAfterGc(ctx.javaBin());
            long rss = server.rss();

            t0.set(System.nanoTime());
            post(base + "/broker/insert", "{\"event\":\"go\",\"data\":{\"go\":true}}", bearer);
            await(() -> gotEvent.get() >= n, 60, "SSE deliveries: " + gotEvent);
            t1.set(System.nanoTime());
            post(base + "/hatchat/messages", "{\"channelId\":\"bench\",\"payload\":{\"go\":true}}", hu.token());
            await(() -> answered.get() >= n, 60, "long-polls answered: " + answered);
            double lastSseMs = (lastSse.get() - t0.get()) / 1e6;
            double lastPollMs = (lastPoll.get() - t1.get()) / 1e6;

            ArrayNode t = r.table("Waiting clients on one server, one matching insert", "clients", "opened in s",
                    "received the event", "last one after ms");
            Result.row(t, n + " broker SSE streams", sseOpenS, (long) gotEvent.get(), lastSseMs);
            Result.row(t, n + " Hatch@ long-polls (GET /messages)", pollOpenS, (long) answeredWithEvent.get(), lastPollMs);
            ArrayNode m = r.table("Server memory", "measure", "value");
            Result.row(m, "heap after GC, before clients (MB)", heapBefore / 1e6);
            Result.row(m, "heap after GC, with all clients (MB)", heapWith / 1e6);
            Result.row(m, "heap per waiting client (KB)", (heapWith - heapBefore) / 1e3 / (2.0 * n));
            Result.row(m, "RSS with all clients (MB)", rss / 1e6);
            r.headline("last of " + n + " SSE streams has the event", lastSseMs, "ms", Double.NaN, false);
            r.headline("last of " + n + " Hatch@ long-polls answered", lastPollMs, "ms", Double.NaN, false);
        } finally {
            net.close();
        }
        return r;
    }

    private JsonNode post(String url, String body, String authorization) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url)).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body));
        if (authorization != null) {
            b.header("Authorization", authorization);
        }
        return answer(b.build());
    }

    private JsonNode answer(HttpRequest req) throws Exception {
        HttpResponse<String> res = http.send(req, HttpResponse.BodyHandlers.ofString());
        if (res.statusCode() / 100 != 2) {
            throw new IllegalStateException(req.uri() + " -> " + res.statusCode() + " " + res.body());
        }
        return Jsons.parse(res.body());
    }

    private static void await(java.util.function.BooleanSupplier done, int seconds, String what) throws Exception {
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        while (!done.getAsBoolean()) {
            if (System.nanoTime() > end) {
                throw new IllegalStateException("timed out: " + what);
            }
            Thread.sleep(20);
        }
    }
}
