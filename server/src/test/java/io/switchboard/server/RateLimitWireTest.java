package io.switchboard.server;

import com.fasterxml.jackson.databind.JsonNode;
import io.switchboard.server.config.ConfigException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;

import static io.switchboard.server.SecureWire.bearer;
import static io.switchboard.server.WsClient.op;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Rate limits over real sockets: a client over its op's limit is refused with RATE_LIMITED and
 * the time until it may retry, and passes again after that time; other users keep their own
 * buckets; one user's bucket is the same over WebSocket and HTTP; failed logins are limited per
 * username and per address; a flood of distinct keys keeps the bucket map bounded.
 */
class RateLimitWireTest {
    @TempDir
    Path dir;

    /** get: 2 per second (one token every 500 ms), keyed by user. */
    private SecureWire server() {
        return server(1000);
    }

    /** {@code get} limited to 2 per {@code everyMs}. */
    private SecureWire server(long everyMs) {
        SecureWire w = new SecureWire(dir, c -> c.with("rateLimits.ops", "{\"get\": {\"limit\": 2, \"every\": " + everyMs + "}}"));
        w.group("all", "{'*': {'actions': ['*']}}");
        w.user("alice", null, List.of("all"), List.of());
        w.user("bob", null, List.of("all"), List.of());
        return w;
    }

    @Test
    void overTheLimitIsRefusedWithTheRetryTimeAndRecoversAfterIt() throws Exception {
        try (SecureWire w = server(); WsClient alice = w.ws(w.login("alice"))) {
            alice.ok(op("set").put("path", "/rl/a").set("data", SecureWire.j("{'v':1}")));
            JsonNode refused = exhaust(alice);
            long retry = refused.get("error").get("retryAfterMs").asLong();
            assertThat(retry).isBetween(1L, 500L);
            assertThat(refused.get("error").get("message").asText()).contains("'get'");
            // Not before its time: at once, a second try is still refused...
            assertThat(alice.request(op("get").put("path", "/rl/a")).get("error").get("code").asText())
                    .isEqualTo("RATE_LIMITED");
            // ...and after the advertised wait it passes.
            Thread.sleep(retry);
            assertThat(alice.ok(op("get").put("path", "/rl/a")).get("data").get("v").asInt()).isEqualTo(1);
            // Other ops have no limit configured and were never refused.
            alice.ok(op("count").put("path", "/rl/*"));
        }
    }

    @Test
    void anotherUserIsNotAffected() {
        try (SecureWire w = server(); WsClient alice = w.ws(w.login("alice")); WsClient bob = w.ws(w.login("bob"))) {
            exhaust(alice);
            for (int i = 0; i < 2; i++) {
                JsonNode r = bob.request(op("get").put("path", "/rl/none"));
                assertThat(r.get("error").get("code").asText()).isEqualTo("NOT_FOUND");
            }
        }
    }

    @Test
    void theSameLimitHoldsAcrossWebSocketAndHttp() {
        try (SecureWire w = server()) {
            String token = w.login("alice");
            try (WsClient alice = w.ws(token)) {
                exhaust(alice);
            }
            HttpResponse<String> r = w.send("GET", "/api/data/rl/a", null, "Authorization", bearer(token));
            assertThat(r.statusCode()).isEqualTo(429);
            assertThat(r.headers().firstValue("Retry-After")).hasValue("1");
            assertThat(SecureWire.json(r).get("error").get("retryAfterMs").asLong()).isBetween(1L, 500L);
            // And the other way round: HTTP used bob's tokens, his WebSocket finds them gone.
            String bobToken = w.login("bob");
            for (int i = 0; i < 2; i++) {
                assertThat(w.send("GET", "/api/data/rl/a", null, "Authorization", bearer(bobToken)).statusCode())
                        .isEqualTo(404);
            }
            try (WsClient bob = w.ws(bobToken)) {
                assertThat(bob.request(op("get").put("path", "/rl/a")).get("error").get("code").asText())
                        .isEqualTo("RATE_LIMITED");
            }
        }
    }

    @Test
    void aClientCanAskWhereItStands() {
        // A long period: the standing is read between calls, and on a busy machine a second
        // passed between them (one token refilled), so the counts must not depend on timing.
        try (SecureWire w = server(600_000); WsClient alice = w.ws(w.login("alice"))) {
            JsonNode before = alice.ok(op("rateLimitStatus"));
            assertThat(before.get("keyedBy").asText()).isEqualTo("user");
            assertThat(before.get("limits").get("get").get("remaining").asLong()).isEqualTo(2);
            assertThat(before.get("limits").has("set")).isFalse();
            alice.request(op("get").put("path", "/rl/none"));
            JsonNode one = alice.ok(op("rateLimitStatus").put("forOp", "get")).get("limits").get("get");
            assertThat(one.get("remaining").asLong()).isEqualTo(1);
            assertThat(one.get("limit").asLong()).isEqualTo(2);
            assertThat(one.get("every").asLong()).isEqualTo(600_000);
            // Log in first: a password hash on a busy machine can take longer than one token's refill.
            String token = w.login("alice");
            alice.request(op("get").put("path", "/rl/none"));
            HttpResponse<String> r = w.send("GET", "/api/ratelimit?op=get", null, "Authorization", bearer(token));
            assertThat(r.statusCode()).isEqualTo(200);
            JsonNode st = SecureWire.json(r).get("limits").get("get");
            assertThat(st.get("remaining").asLong()).isZero();
            assertThat(st.get("retryAfterMs").asLong()).isBetween(1L, 300_000L);
            assertThat(alice.request(op("rateLimitStatus").put("forOp", "nope")).get("error").get("message").asText())
                    .contains("forOp");
        }
    }

    @Test
    void failedLoginsAreLimitedPerUsernameAndOnlyFailuresCount() {
        try (SecureWire w = new SecureWire(dir, c -> c.with("rateLimits.login.perUser", "{\"limit\": 3, \"every\": 60000}"))) {
            w.group("all", "{'*': {'actions': ['*']}}");
            w.user("alice", null, List.of("all"), List.of());
            w.user("bob", null, List.of("all"), List.of());
            for (int i = 0; i < 6; i++) {
                w.login("bob"); // successes give their token back
            }
            for (int i = 0; i < 3; i++) {
                assertThat(loginStatus(w, "alice", "wrong-" + i)).isEqualTo(401);
            }
            HttpResponse<String> limited = login(w, "alice", "password-alice");
            assertThat(limited.statusCode()).isEqualTo(429);
            assertThat(limited.headers().firstValue("Retry-After").map(Long::parseLong).orElse(0L)).isBetween(1L, 20L);
            assertThat(SecureWire.json(limited).get("error").get("code").asText()).isEqualTo("RATE_LIMITED");
            // The same username over WebSocket and over HTTP Basic: the same bucket.
            try (WsClient c = WsClient.open(w.port())) {
                assertThat(c.request(op("connect").put("username", "alice").put("password", "password-alice"))
                        .get("error").get("code").asText()).isEqualTo("RATE_LIMITED");
            }
            assertThat(w.send("GET", "/api/data/x", null, "Authorization", SecureWire.basic("alice", "password-alice"))
                    .statusCode()).isEqualTo(429);
            // Bob is not alice.
            w.login("bob");
        }
    }

    @Test
    void failedLoginsAreLimitedPerAddress() {
        try (SecureWire w = new SecureWire(dir, c -> c.with("rateLimits.login.perIp", "{\"limit\": 4, \"every\": 60000}"))) {
            for (int i = 0; i < 4; i++) {
                assertThat(loginStatus(w, "nobody-" + i, "guess")).isEqualTo(401);
            }
            assertThat(loginStatus(w, "nobody-new", "guess")).isEqualTo(429);
            assertThat(loginStatus(w, "admin", SecureWire.ADMIN_PW)).isEqualTo(429);
        }
    }

    @Test
    void aFloodOfDistinctKeysKeepsTheBucketsBounded() throws Exception {
        // Every HTTP request is a session of its own: keyed by session, each one is a new key.
        try (SwitchboardServer s = SwitchboardServer.start(TestServers.config(dir).with("rateLimits.keyBy", "session")
                .with("rateLimits.maxBuckets", 50).with("rateLimits.ops", "{\"default\": {\"limit\": 5, \"every\": 60000}}"))) {
            for (int i = 0; i < 400; i++) {
                assertThat(get(s.port(), "/api/data/flood/" + i).status()).isEqualTo(404);
            }
            String metrics = get(s.port(), "/metrics").body();
            double buckets = -1;
            for (String line : metrics.split("\n")) {
                if (line.startsWith("switchboard_ratelimit_buckets ")) {
                    buckets = Double.parseDouble(line.substring(line.indexOf(' ') + 1));
                }
            }
            assertThat(buckets).isBetween(1.0, 50.0);
        }
    }

    @Test
    void aBadLimitStopsStartUpNamingTheKey() {
        assertThatThrownBy(() -> SwitchboardServer.start(TestServers.config(dir)
                .with("rateLimits.ops", "{\"gte\": {\"limit\": 1, \"every\": 1000}}")))
                .isInstanceOf(ConfigException.class).hasMessageContaining("rateLimits.ops.gte");
        assertThatThrownBy(() -> SwitchboardServer.start(TestServers.config(dir)
                .with("rateLimits.ops", "{\"get\": {\"every\": 1000}}")))
                .isInstanceOf(ConfigException.class).hasMessageContaining("rateLimits.ops.get.limit");
        assertThatThrownBy(() -> SwitchboardServer.start(TestServers.config(dir)
                .with("rateLimits.login.perUser", "{\"limit\": 0, \"every\": 1000}")))
                .isInstanceOf(ConfigException.class).hasMessageContaining("rateLimits.login.perUser");
    }

    /** Two gets pass (the bucket holds 2), the third is refused: returns that refusal. */
    private static JsonNode exhaust(WsClient c) {
        for (int i = 0; i < 2; i++) {
            JsonNode r = c.request(op("get").put("path", "/rl/a"));
            assertThat(r.path("error").path("code").asText()).isNotEqualTo("RATE_LIMITED");
        }
        JsonNode refused = c.request(op("get").put("path", "/rl/a"));
        assertThat(refused.get("error").get("code").asText()).isEqualTo("RATE_LIMITED");
        return refused;
    }

    private static HttpResponse<String> login(SecureWire w, String user, String password) {
        return w.send("POST", "/api/auth/login", "{\"username\":\"" + user + "\",\"password\":\"" + password + "\"}",
                "Content-Type", "application/json");
    }

    private static int loginStatus(SecureWire w, String user, String password) {
        return login(w, user, password).statusCode();
    }

    private static RawHttp.Response get(int port, String path) throws IOException {
        try (Socket sock = new Socket("127.0.0.1", port)) {
            OutputStream out = sock.getOutputStream();
            out.write(("GET " + path + " HTTP/1.1\r\nHost: x\r\nConnection: close\r\nContent-Length: 0\r\n\r\n")
                    .getBytes(StandardCharsets.UTF_8));
            out.flush();
            return RawHttp.read(sock.getInputStream());
        }
    }
}
