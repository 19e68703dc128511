package io.switchboard.server;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import com.fasterxml.jackson.databind.JsonNode;
import io.switchboard.core.error.ErrorCode;
import io.switchboard.core.fuzz.MessageFuzz;
import io.switchboard.core.json.Json;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;
import net.jqwik.api.statistics.Statistics;
import org.slf4j.LoggerFactory;

import java.io.DataInputStream;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Fuzzing of the live doors: mutated and random messages (core's {@link MessageFuzz}) sent to a
 * real server over a WebSocket and over HTTP, as a logged-in user whose permissions cover
 * {@code /fuzz/**} only. After every try: the message got an answer (a reply or an error with a
 * catalogue code other than INTERNAL, or a documented close code), the connection still answers
 * a ping, nothing was logged as an error or an exception escaping a handler, and a canary
 * document outside the user's reach still reads the same. Each try is bounded (10 s), and the
 * tries count keeps the suite at seconds.
 */
class WireFuzzTest {
    private static final long FUZZ_ID = 7;
    /** Close codes the protocol documents: 1000 session ended, 1002 protocol, 1007 bad UTF-8, 1008 policy, 1009 too big. */
    private static final Set<Integer> DOCUMENTED_CLOSES = Set.of(1000, 1002, 1007, 1008, 1009);
    private static final Set<String> CODES = Arrays.stream(ErrorCode.values()).map(Enum::name).collect(Collectors.toSet());

    private static Path dir;
    private static SecureWire wire;
    private static String token;
    /** The admin's token: a Basic header would hash the password on every canary read. */
    private static String adminToken;
    private static ListAppender<ILoggingEvent> log;
    private static RawWs ws;
    private static long sentinel = 1_000_000;

    @BeforeContainer
    static void start() throws Exception {
        dir = Files.createTempDirectory("wire-fuzz");
        log = new ListAppender<>();
        log.start();
        ((Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME)).addAppender(log);
        wire = new SecureWire(dir);
        wire.group("fuzzers", "{'/fuzz/**':{'actions':['*']}}");
        wire.user("fuzzer", null, List.of("fuzzers"), List.of());
        token = wire.login("fuzzer");
        adminToken = wire.login("admin", SecureWire.ADMIN_PW);
        HttpResponse<String> put = wire.send("PUT", "/api/data/canary/doc", "{\"v\":\"keep\",\"n\":42}",
                "Authorization", SecureWire.bearer(adminToken), "Content-Type", "application/json");
        assertThat(put.statusCode()).isEqualTo(200);
    }

    @AfterContainer
    static void stop() throws IOException {
        try {
            if (ws != null) {
                ws.close();
            }
            if (wire != null) {
                wire.close();
            }
        } finally {
            ((Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME)).detachAppender(log);
            if (dir != null) {
                try (Stream<Path> files = Files.walk(dir)) {
                    files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
                }
            }
        }
    }

    @Provide
    Arbitrary<String> messages() {
        return MessageFuzz.messages(FUZZ_ID);
    }

    @Property(tries = 200)
    void everyWebSocketMessageIsAnswered(@ForAll("messages") String text) throws Exception {
        RawWs c = connection();
        c.sendText(text);
        long ping = ++sentinel;
        c.sendText("{\"id\":" + ping + ",\"op\":\"ping\"}");
        boolean answered = false;
        boolean pong = false;
        long deadline = System.currentTimeMillis() + 10_000;
        DataInputStream in = new DataInputStream(c.in);
        while (!(answered && pong)) {
            int left = (int) (deadline - System.currentTimeMillis());
            assertThat(left).as("an answer to " + text + " and to the ping after it within 10 s").isPositive();
            c.socket.setSoTimeout(left);
            int b0 = in.readUnsignedByte();
            int b1 = in.readUnsignedByte();
            long len = b1 & 0x7f;
            if (len == 126) {
                len = in.readUnsignedShort();
            } else if (len == 127) {
                len = in.readLong();
            }
            byte[] payload = new byte[(int) len];
            in.readFully(payload);
            int opcode = b0 & 0x0f;
            if (opcode == 0x8) {
                int code = payload.length >= 2 ? ((payload[0] & 0xff) << 8) | (payload[1] & 0xff) : 1005;
                assertThat(DOCUMENTED_CLOSES).as("close code " + code + " after " + text).contains(code);
                Statistics.label("ws").collect("closed " + code);
                c.close();
                ws = null;
                quiet(text);
                return;
            }
            if (opcode != 0x1) {
                continue; // a ping of the heartbeat
            }
            for (String line : new String(payload, StandardCharsets.UTF_8).split("\n")) {
                if (line.isBlank()) {
                    continue;
                }
                JsonNode m = Json.parseTrusted(line);
                checkError(m.get("error"), text);
                long id = m.path("id").asLong(-1);
                if (m.has("ok") && id == ping) {
                    assertThat(m.path("result").asText()).isEqualTo("pong");
                    pong = true;
                } else if (m.has("ok") && (id == FUZZ_ID || id == 0)) {
                    answered = true;
                    Statistics.label("ws").collect(m.path("ok").asBoolean() ? "ok" : m.path("error").path("code").asText());
                }
            }
        }
        quiet(text);
        canaryIntact();
    }

    /** The logged-in fuzz connection, opened again after the server closed one. */
    private static RawWs connection() throws IOException {
        if (ws == null) {
            ws = new RawWs(wire.port(), 0);
            ws.sendText("{\"id\":1,\"op\":\"connect\",\"token\":\"" + token + "\"}");
            JsonNode r = Json.parseTrusted(ws.readMessages(1, 10_000).get(0));
            assertThat(r.path("ok").asBoolean()).as(r.toString()).isTrue();
        }
        return ws;
    }

    /** An HTTP request built from a fuzzed message: the route, where the text goes, and the content type. */
    record HttpTry(String method, String target, String body, String contentType) {
    }

    private static final List<String> ODD_TARGETS = List.of("/api/data/fuzz/%ff", "/api/data/fuzz/%c0%ae%c0%ae/canary/doc",
            "/api/data/fuzz/%00", "/api/data/fuzz/%2e%2e/%2e%2e/canary/doc", "/api/data/%2fcanary%2fdoc",
            "/api/data/fuzz/%ed%a0%80x", "/api/data/fuzz/a%2fb", "/api/data/fuzz//x", "/api/data/fuzz/./x",
            "/api/data/fuzz/*", "/api/data/**", "/api/data/canary/doc", "/api/data/fuzz/" + "y".repeat(3000),
            "/api/data/fuzz/x?unknown=1", "/api/data/fuzz/*?limit=-1", "/api/data/fuzz/*?limit=1e400",
            "/api/data/fuzz/*?skip=99999999999999999999", "/api/count/%2A%2A", "/api/history?pattern=/canary/**",
            "/api/history?pattern=/fuzz/**&limit=100000", "/api/history?pattern=/fuzz/**&wait=abc",
            "/api/events/%00", "/api/publish/fuzz/x?at=x", "/api/ratelimit?forOp=%ff");

    @Provide
    Arbitrary<HttpTry> httpTries() {
        Arbitrary<String> text = MessageFuzz.messages(FUZZ_ID);
        Arbitrary<String> contentType = Arbitraries.of("application/json", "application/json", "text/plain",
                "application/json; charset=ISO-8859-1", "application/x-www-form-urlencoded", "");
        Arbitrary<String> route = Arbitraries.of("PUT /api/data/fuzz/h", "PATCH /api/data/fuzz/h",
                "POST /api/publish/fuzz/h", "GET /api/data/fuzz/*?criteria=", "GET /api/count/fuzz/**?criteria=",
                "GET /api/data/fuzz/*?sort=", "POST /api/auth/login", "POST /api/data", "DELETE /api/data/fuzz/h",
                "ODD GET", "ODD PUT", "ODD DELETE");
        return Combinators.combine(route, text, contentType, Arbitraries.of(ODD_TARGETS)).as((r, t, ct, odd) -> {
            String[] parts = r.split(" ");
            if (parts[0].equals("ODD")) {
                return new HttpTry(parts[1], odd, parts[1].equals("PUT") ? t : null, ct);
            }
            if (parts[1].endsWith("=")) {
                return new HttpTry(parts[0], parts[1] + URLEncoder.encode(t, StandardCharsets.UTF_8), null, ct);
            }
            return new HttpTry(parts[0], parts[1], parts[0].equals("DELETE") ? null : t, ct);
        });
    }

    @Property(tries = 200)
    void everyHttpRequestIsAnswered(@ForAll("httpTries") HttpTry t) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + wire.port() + t.target()))
                .timeout(Duration.ofSeconds(10))
                .header("Authorization", SecureWire.bearer(token))
                .method(t.method(), t.body() == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(t.body(), StandardCharsets.UTF_8));
        if (!t.contentType().isEmpty()) {
            b.header("Content-Type", t.contentType());
        }
        HttpResponse<String> r = wire.http.send(b.build(), HttpResponse.BodyHandlers.ofString());
        Statistics.label("http").collect(r.statusCode());
        assertThat(r.statusCode()).as(t + " -> " + r.body()).isNotEqualTo(500);
        if (r.statusCode() >= 400) {
            JsonNode body = Json.parseTrusted(r.body());
            checkError(body.get("error"), t.toString());
            assertThat(ErrorCode.valueOf(body.get("error").get("code").asText()).httpStatus()).as(t + " -> " + r.body())
                    .isEqualTo(r.statusCode());
        } else {
            assertThat(r.statusCode()).as(t + " -> " + r.body()).isBetween(200, 299);
        }
        quiet(t.toString());
        canaryIntact();
    }

    /** An error names a code of the catalogue, and never INTERNAL (that is a bug, not bad input). */
    private static void checkError(JsonNode error, String after) {
        if (error == null) {
            return;
        }
        assertThat(error.path("code").asText()).as("error code after " + after + ": " + error).isIn(CODES)
                .isNotEqualTo(ErrorCode.INTERNAL.name());
        assertThat(error.path("message").asText()).as(error.toString()).isNotBlank();
    }

    /** Nothing logged as an error, and no exception escaped to a handler's log line. */
    private static void quiet(String after) {
        List<ILoggingEvent> bad;
        synchronized (log) {
            bad = log.list.stream().filter(e -> e.getLevel().isGreaterOrEqual(Level.ERROR)
                    || (e.getLevel().isGreaterOrEqual(Level.WARN) && e.getThrowableProxy() != null)).toList();
            log.list.clear();
        }
        assertThat(bad).as("logged after " + after + ": " + bad.stream().map(e -> e.getLevel() + " " + e.getLoggerName()
                + " " + e.getFormattedMessage() + (e.getThrowableProxy() == null ? "" : " " + e.getThrowableProxy().getClassName()
                + ": " + e.getThrowableProxy().getMessage())).toList()).isEmpty();
    }

    /** The document outside the fuzzer's permissions is untouched. */
    private static void canaryIntact() {
        HttpResponse<String> r = wire.send("GET", "/api/data/canary/doc", null, "Authorization", SecureWire.bearer(adminToken));
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        JsonNode doc = Json.parseTrusted(r.body());
        assertThat(doc.get("data")).isEqualTo(Json.parseTrusted("{\"v\":\"keep\",\"n\":42}"));
        assertThat(doc.get("meta").get("version").asLong()).isEqualTo(1);
    }
}
