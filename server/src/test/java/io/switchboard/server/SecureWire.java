package io.switchboard.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.switchboard.core.json.Json;
import io.switchboard.server.config.ServerConfig;

import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;

/** A secure server on an ephemeral port plus raw HTTP, WebSocket and SSE helpers for the wire tests. */
final class SecureWire implements AutoCloseable {
    static final String ADMIN_KEY = "admin-api-key-for-tests-0123456789";
    static final String ADMIN_PW = "admin-password-for-tests";
    static final String SECRET = "wire-test-secret-0123456789abcdef0123";

    final SwitchboardServer server;
    final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    SecureWire(Path dir, UnaryOperator<ServerConfig> tweak) {
        this(dir, tweak, b -> { });
    }

    /** With {@code stages} added to the server's pipeline. */
    SecureWire(Path dir, UnaryOperator<ServerConfig> tweak, java.util.function.Consumer<io.switchboard.core.pipeline.Pipeline.Builder> stages) {
        server = SwitchboardServer.start(tweak.apply(config(dir)), stages);
    }

    SecureWire(Path dir) {
        this(dir, c -> c);
    }

    /** Around a server the test started itself (e.g. one node of a cluster). */
    SecureWire(SwitchboardServer server) {
        this.server = server;
    }

    /** The secure test configuration ({@link #ADMIN_KEY}, {@link #ADMIN_PW}, {@link #SECRET}). */
    static ServerConfig config(Path dir) {
        return TestServers.config(dir).withSecurityEnabled(true).withAdminToken(ADMIN_KEY).withAdminPassword(ADMIN_PW)
                .withJwtSecret(SECRET).withSessionSweepMs(50);
    }

    int port() {
        return server.port();
    }

    static ObjectNode j(String s) {
        return (ObjectNode) Json.parseTrusted(s.replace('\'', '"'));
    }

    /** An HTTP request; {@code headers} are name, value pairs. */
    HttpResponse<String> send(String method, String path, String body, String... headers) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port() + path))
                .timeout(Duration.ofSeconds(10))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        for (int i = 0; i < headers.length; i += 2) {
            b.header(headers[i], headers[i + 1]);
        }
        try {
            return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    static JsonNode json(HttpResponse<String> r) {
        return Json.parseTrusted(r.body());
    }

    static String bearer(String token) {
        return "Bearer " + token;
    }

    static String basic(String user, String pw) {
        return "Basic " + Base64.getEncoder().encodeToString((user + ":" + pw).getBytes(StandardCharsets.UTF_8));
    }

    /** The admin API with the API key; fails unless 2xx. */
    JsonNode admin(String method, String path, String body) {
        HttpResponse<String> r = send(method, "/api/admin" + path, body, "X-Admin-Token", ADMIN_KEY,
                "Content-Type", "application/json");
        if (r.statusCode() / 100 != 2) {
            throw new AssertionError(method + " " + path + " -> " + r.statusCode() + " " + r.body());
        }
        return json(r);
    }

    void group(String name, String permissions) {
        admin("PUT", "/groups/" + name, "{\"permissions\":" + permissions.replace('\'', '"') + "}");
    }

    void user(String name, String tenant, List<String> groups, List<String> scopes) {
        ObjectNode u = Json.object().put("id", name + "-id").put("username", name).put("password", "password-" + name);
        if (tenant != null) {
            u.put("tenant", tenant);
        }
        groups.forEach(u.putArray("groups")::add);
        scopes.forEach(u.putArray("scopes")::add);
        admin("POST", "/users", Json.write(u));
    }

    /** {@code POST /api/auth/login} → the token. */
    String login(String username, String password) {
        HttpResponse<String> r = send("POST", "/api/auth/login",
                Json.write(Json.object().put("username", username).put("password", password)));
        if (r.statusCode() != 200) {
            throw new AssertionError("login " + username + " -> " + r.statusCode() + " " + r.body());
        }
        return json(r).get("token").asText();
    }

    String login(String username) {
        return login(username, "password-" + username.substring(username.indexOf('/') + 1));
    }

    /** A WebSocket connected with a token. */
    WsClient ws(String token) {
        WsClient c = WsClient.open(port());
        JsonNode r = c.request(Json.object().put("op", "connect").put("token", token));
        if (!r.path("ok").asBoolean()) {
            throw new AssertionError("connect failed: " + r);
        }
        return c;
    }

    /** An SSE stream read on a background thread: records {id, event, data}. */
    final class Sse implements AutoCloseable {
        final int status;
        final String errorBody;
        final BlockingQueue<String[]> records = new LinkedBlockingQueue<>();
        private final InputStream body;
        private final Thread reader;

        Sse(String path, String... headers) throws Exception {
            HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port() + path));
            for (int i = 0; i < headers.length; i += 2) {
                b.header(headers[i], headers[i + 1]);
            }
            HttpResponse<InputStream> r = http.send(b.build(), HttpResponse.BodyHandlers.ofInputStream());
            status = r.statusCode();
            body = r.body();
            if (status != 200) {
                errorBody = new String(body.readAllBytes(), StandardCharsets.UTF_8);
                reader = null;
                return;
            }
            errorBody = null;
            reader = new Thread(() -> {
                try (BufferedReader in = new BufferedReader(new InputStreamReader(body, StandardCharsets.UTF_8))) {
                    SseRecords parser = new SseRecords();
                    String line;
                    while ((line = in.readLine()) != null) {
                        String[] record = parser.feed(line);
                        if (record != null) {
                            records.add(record);
                        }
                    }
                } catch (Exception ignored) {
                    // closed
                }
                records.add(new String[] {null, "eof", null});
            }, "sse-reader");
            reader.setDaemon(true);
            reader.start();
        }

        /** The next record, waiting up to 10 s. */
        String[] next() throws InterruptedException {
            String[] r = records.poll(10, TimeUnit.SECONDS);
            if (r == null) {
                throw new AssertionError("no SSE record within 10 s");
            }
            return r;
        }

        /** The path of the next event record. */
        String nextPath() throws InterruptedException {
            String[] r = next();
            if (r[2] == null) {
                throw new AssertionError("expected an event, got " + r[1]);
            }
            return Json.parseTrusted(r[2]).path("path").asText();
        }

        @Override
        public void close() throws Exception {
            body.close();
        }
    }

    @Override
    public void close() {
        server.close();
    }
}
