package io.switchboard.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.switchboard.core.json.Json;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CompletableFuture;

import static io.switchboard.server.SecureWire.j;
import static io.switchboard.server.WsClient.op;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The {@code increment} op over real sockets: WebSocket and {@code POST /api/increment/{path}}
 * clients incrementing one counter at once lose nothing, subscribers get set events with the
 * resulting document, and the pipeline treats it as a set (permission, tenant paths, cache,
 * set's rate limit), hiding the value from a writer who may not read.
 */
class IncrementWireTest {
    @TempDir
    Path dir;

    private SecureWire server(java.util.function.UnaryOperator<io.switchboard.server.config.ServerConfig> tweak) {
        SecureWire w = new SecureWire(dir, tweak);
        w.group("all", "{'*': {'actions': ['*']}}");
        w.group("writeOnly", "{'/counts/**': {'actions': ['set']}}");
        w.group("readers", "{'/counts/**': {'actions': ['get', 'subscribe']}}");
        w.user("writer", null, List.of("all"), List.of());
        w.user("blind", null, List.of("writeOnly"), List.of());
        w.user("reader", null, List.of("readers"), List.of());
        w.user("ann", "acme", List.of("all"), List.of());
        return w;
    }

    private static ObjectNode inc(String path, String field, Number by) {
        ObjectNode o = op("increment").put("path", path).put("field", field);
        if (by != null) {
            o.set("by", Json.MAPPER.valueToTree(by));
        }
        return o;
    }

    private static HttpResponse<String> httpInc(SecureWire w, String token, String path, String body) {
        return w.send("POST", "/api/increment" + path, body, "Authorization", SecureWire.bearer(token),
                "Content-Type", "application/json");
    }

    @Test
    void concurrentWebSocketAndHttpIncrementsAddUpAndSubscribersSeeSets() throws Exception {
        try (SecureWire w = server(c -> c); WsClient a = w.ws(w.login("writer")); WsClient b = w.ws(w.login("writer"));
             WsClient sub = w.ws(w.login("reader"))) {
            sub.ok(op("subscribe").put("pattern", "/counts/*"));
            String token = w.login("writer");
            int each = 60;
            List<Long> values = Collections.synchronizedList(new ArrayList<>());
            List<CompletableFuture<Void>> runs = new ArrayList<>();
            for (WsClient c : List.of(a, b)) {
                runs.add(CompletableFuture.runAsync(() -> {
                    for (int i = 0; i < each; i++) {
                        values.add(c.ok(inc("/counts/hits", "n", 1)).get("value").asLong());
                    }
                }));
            }
            runs.add(CompletableFuture.runAsync(() -> {
                for (int i = 0; i < each; i++) {
                    HttpResponse<String> r = httpInc(w, token, "/counts/hits", "{\"field\":\"n\"}");
                    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
                    values.add(SecureWire.json(r).get("value").asLong());
                }
            }));
            CompletableFuture.allOf(runs.toArray(new CompletableFuture[0])).get(60, java.util.concurrent.TimeUnit.SECONDS);
            int total = 3 * each;
            assertThat(values).hasSize(total).doesNotHaveDuplicates();
            assertThat(Collections.max(values)).isEqualTo(total);
            JsonNode got = a.ok(op("get").put("path", "/counts/hits"));
            assertThat(got.get("data")).isEqualTo(j("{'n':" + total + "}"));
            assertThat(got.get("meta").get("version").asLong()).isEqualTo(total);
            List<Long> seen = new ArrayList<>();
            for (int i = 0; i < total; i++) {
                JsonNode e = sub.nextPush().get("event");
                assertThat(e.get("type").asText()).isEqualTo("set");
                seen.add(e.get("data").get("n").asLong());
            }
            assertThat(seen).doesNotHaveDuplicates().isSorted();
            assertThat(seen.get(total - 1)).isEqualTo(total);
        }
    }

    @Test
    void theReplyNamesFieldValueAndMetaAndBadInputNamesTheField() {
        try (SecureWire w = server(c -> c); WsClient a = w.ws(w.login("writer"))) {
            JsonNode r = a.ok(inc("/counts/page", "stats.views", 2.5));
            assertThat(r.get("path").asText()).isEqualTo("/counts/page");
            assertThat(r.get("field").asText()).isEqualTo("stats.views");
            assertThat(r.get("value").asDouble()).isEqualTo(2.5);
            assertThat(r.get("meta").get("version").asLong()).isEqualTo(1);
            assertThat(r.get("offset").asLong()).isPositive();
            assertThat(a.ok(inc("/counts/page", "stats.views", -3)).get("value").asDouble()).isEqualTo(-0.5);
            a.ok((ObjectNode) op("set").put("path", "/counts/label").set("data", j("{'name':'x'}")));
            JsonNode bad = a.request(inc("/counts/label", "name", 1));
            assertThat(bad.get("error").get("code").asText()).isEqualTo("VALIDATION_FAILED");
            assertThat(bad.get("error").get("message").asText()).contains("'name'");
            JsonNode noField = a.request(op("increment").put("path", "/counts/x"));
            assertThat(noField.get("error").get("code").asText()).isEqualTo("BAD_REQUEST");
            assertThat(noField.get("error").get("message").asText()).contains("'field'");
            String token = w.login("writer");
            HttpResponse<String> http = httpInc(w, token, "/counts/label", "{\"field\":\"name\"}");
            assertThat(http.statusCode()).isEqualTo(422);
            assertThat(httpInc(w, token, "/counts/label", "{\"field\":\"n\",\"data\":1}").statusCode()).isEqualTo(400);
            assertThat(httpInc(w, token, "/counts/label", "[1]").statusCode()).isEqualTo(400);
            assertThat(w.send("GET", "/api/increment/counts/label", null, "Authorization", SecureWire.bearer(token))
                    .statusCode()).isEqualTo(404);
        }
    }

    @Test
    void checkedAsASetThatHidesTheValueFromAWriterWhoCannotRead() {
        try (SecureWire w = server(c -> c); WsClient blind = w.ws(w.login("blind")); WsClient reader = w.ws(w.login("reader"));
             WsClient ann = w.ws(w.login("acme/ann")); WsClient writer = w.ws(w.login("writer"))) {
            JsonNode r = blind.ok(inc("/counts/secret", "n", 5));
            assertThat(r.has("value")).isFalse();
            assertThat(r.get("meta").get("version").asLong()).isEqualTo(1);
            assertThat(reader.request(inc("/counts/secret", "n", 1)).get("error").get("code").asText()).isEqualTo("FORBIDDEN");
            assertThat(blind.request(inc("/elsewhere", "n", 1)).get("error").get("code").asText()).isEqualTo("FORBIDDEN");
            // A tenant's increment lands under its prefix and answers with its own path.
            JsonNode t = ann.ok(inc("/counts/mine", "n", 1));
            assertThat(t.get("path").asText()).isEqualTo("/counts/mine");
            assertThat(writer.ok(op("get").put("path", "/t/acme/counts/mine")).get("data")).isEqualTo(j("{'n':1}"));
            // The cache: a cached document is not served stale after an increment.
            assertThat(reader.ok(op("get").put("path", "/counts/secret")).get("data").get("n").asInt()).isEqualTo(5);
            assertThat(reader.ok(op("get").put("path", "/counts/secret")).get("data").get("n").asInt()).isEqualTo(5);
            writer.ok(inc("/counts/secret", "n", 1));
            assertThat(reader.ok(op("get").put("path", "/counts/secret")).get("data").get("n").asInt()).isEqualTo(6);
        }
    }

    @Test
    void incrementsDrawOnTheSetRateLimit() {
        try (SecureWire w = server(c -> c.with("rateLimits.ops", "{\"set\": {\"limit\": 2, \"every\": 3600000}}"));
             WsClient a = w.ws(w.login("writer"))) {
            a.ok(inc("/counts/rl", "n", 1));
            a.ok((ObjectNode) op("set").put("path", "/counts/other").set("data", j("{}")));
            JsonNode refused = a.request(inc("/counts/rl", "n", 1));
            assertThat(refused.get("error").get("code").asText()).isEqualTo("RATE_LIMITED");
            assertThat(refused.get("error").get("message").asText()).contains("'set'");
            JsonNode status = a.ok(op("rateLimitStatus").put("forOp", "increment"));
            assertThat(status.get("limits").get("set").get("remaining").asLong()).isZero();
        }
    }

    @Test
    void aLimitOfItsOwnForIncrementStopsStartUp() {
        var cfg = SecureWire.config(dir).with("rateLimits.ops", "{\"increment\": {\"limit\": 2, \"every\": 1000}}");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> SwitchboardServer.start(cfg).close())
                .hasMessageContaining("rateLimits.ops.increment").hasMessageContaining("'set'");
    }
}
