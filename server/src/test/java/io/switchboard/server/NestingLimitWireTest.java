package io.switchboard.server;

import com.fasterxml.jackson.databind.JsonNode;
import io.switchboard.core.json.Json;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.function.IntFunction;

import static io.switchboard.server.WsClient.op;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Poison documents (nesting): one limit, {@code limits.maxDepth}, refuses deep data on every
 * door and in every field, and data at the limit reads back through every read path.
 */
class NestingLimitWireTest {
    @TempDir
    Path dir;
    SwitchboardServer server;
    final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @AfterEach
    void stop() {
        if (server != null) {
            server.close();
        }
    }

    static String objects(int depth) {
        return "{\"a\":".repeat(depth) + "1" + "}".repeat(depth);
    }

    static String arrays(int depth) {
        return "[".repeat(depth) + "1" + "]".repeat(depth);
    }

    static String mixed(int depth) {
        StringBuilder open = new StringBuilder();
        StringBuilder close = new StringBuilder();
        for (int i = 0; i < depth; i++) {
            if (i % 2 == 0) {
                open.append("{\"k\":");
                close.insert(0, '}');
            } else {
                open.append("[0,");
                close.insert(0, ']');
            }
        }
        return open + "1" + close;
    }

    private static final List<IntFunction<String>> SHAPES = List.of(NestingLimitWireTest::objects,
            NestingLimitWireTest::arrays, NestingLimitWireTest::mixed);

    @Test
    void tooDeepIsRefusedInEveryFieldAndShapeOverWebSocket() {
        server = SwitchboardServer.start(TestServers.config(dir).withMaxDepth(16));
        WsClient attacker = WsClient.connected(server.port());
        WsClient bystander = WsClient.connected(server.port());
        int n = 0;
        for (IntFunction<String> shape : SHAPES) {
            for (int depth : new int[] {17, 100, 999, 5000}) {
                n++;
                List<String> messages = List.of(
                        "{\"id\":" + n + ",\"op\":\"set\",\"path\":\"/deep/x\",\"data\":" + shape.apply(depth) + "}",
                        "{\"id\":" + n + ",\"op\":\"publish\",\"path\":\"/deep/x\",\"data\":" + shape.apply(depth) + "}",
                        "{\"id\":" + n + ",\"op\":\"set\",\"path\":\"/deep/x\",\"data\":1,\"meta\":{\"m\":" + shape.apply(depth) + "}}",
                        "{\"id\":" + n + ",\"op\":\"get\",\"path\":\"/deep/*\",\"criteria\":{\"a\":" + shape.apply(depth) + "}}");
                for (String m : messages) {
                    attacker.sendText(m);
                    final long id = n;
                    // text too deep for the reader at all is answered with id 0 (its id is unreadable)
                    JsonNode r = attacker.next(x -> x.has("id") && (x.get("id").asLong() == id || x.get("id").asLong() == 0), "reply");
                    assertThat(r.path("ok").asBoolean()).as(m.substring(0, 40)).isFalse();
                    assertThat(r.at("/error/code").asText()).isEqualTo("BAD_REQUEST");
                    assertThat(r.at("/error/message").asText()).containsAnyOf("limits.maxDepth", "nests too deeply");
                    // a well-behaved client is answered between the attacks
                    assertThat(bystander.ok(op("ping")).asText()).isEqualTo("pong");
                }
            }
        }
        assertThat(attacker.request(op("get").put("path", "/deep/x")).at("/error/code").asText()).isEqualTo("NOT_FOUND");
        attacker.close();
        bystander.close();
    }

    @Test
    void dataAtTheLimitReadsBackThroughEveryReadPath() throws Exception {
        server = SwitchboardServer.start(TestServers.config(dir).withMaxDepth(64));
        WsClient c = WsClient.connected(server.port());
        int i = 0;
        for (IntFunction<String> shape : SHAPES) {
            c.sendText("{\"id\":" + (++i) + ",\"op\":\"set\",\"path\":\"/edge/" + i + "\",\"data\":" + shape.apply(64) + "}");
            assertThat(c.awaitReply(i).path("ok").asBoolean()).isTrue();
        }
        assertThat(c.ok(op("get").put("path", "/edge/1")).path("data").isObject()).isTrue();
        assertThat(c.ok(op("get").put("path", "/edge/*")).path("items").size()).isEqualTo(3);
        assertThat(c.ok(op("history").put("pattern", "/edge/*")).path("events").size()).isEqualTo(3);
        JsonNode sub = c.ok(op("subscribe").put("pattern", "/edge/*").put("initial", "snapshot"));
        assertThat(sub.path("sub").asText()).isNotEmpty();
        HttpResponse<String> get = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + "/api/data/edge/2")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(get.statusCode()).isEqualTo(200);
        c.close();
    }

    @Test
    void tooDeepIsRefusedOverHttpBodiesAndQueryParameters() throws Exception {
        server = SwitchboardServer.start(TestServers.config(dir).withMaxDepth(16));
        WsClient bystander = WsClient.connected(server.port());
        String base = "http://127.0.0.1:" + server.port();
        for (IntFunction<String> shape : SHAPES) {
            for (int depth : new int[] {17, 999, 3000}) {
                List<HttpRequest> requests = List.of(
                        HttpRequest.newBuilder(URI.create(base + "/api/data/deep/h"))
                                .PUT(HttpRequest.BodyPublishers.ofString(shape.apply(depth))).build(),
                        HttpRequest.newBuilder(URI.create(base + "/api/publish/deep/h"))
                                .POST(HttpRequest.BodyPublishers.ofString("{\"data\":" + shape.apply(depth) + "}")).build(),
                        HttpRequest.newBuilder(URI.create(base + "/api/data/deep/*?criteria="
                                + java.net.URLEncoder.encode("{\"a\":" + shape.apply(Math.min(depth, 200)) + "}",
                                java.nio.charset.StandardCharsets.UTF_8))).build());
                for (HttpRequest r : requests) {
                    HttpResponse<String> res = http.send(r, HttpResponse.BodyHandlers.ofString());
                    assertThat(res.statusCode()).as(r.uri().getPath()).isEqualTo(400);
                    assertThat(Json.parse(res.body()).at("/error/code").asText()).isEqualTo("BAD_REQUEST");
                    assertThat(bystander.ok(op("ping")).asText()).isEqualTo("pong");
                }
            }
        }
        bystander.close();
    }
}
