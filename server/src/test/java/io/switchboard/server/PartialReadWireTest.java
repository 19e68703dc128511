package io.switchboard.server;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import static io.switchboard.server.SecureWire.bearer;
import static io.switchboard.server.SecureWire.json;
import static io.switchboard.server.WsClient.op;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * One rule for partly readable patterns, over real sockets: get, count, history, subscribe and
 * SSE on {@code /news/**} all succeed for a user who may not read {@code /news/secret/**}, and
 * never contain it; the admin reads {@code /**} minus {@code /_system}.
 */
class PartialReadWireTest {
    @TempDir
    java.nio.file.Path dir;
    SecureWire w;
    String admin;

    @BeforeEach
    void setUp() {
        w = new SecureWire(dir);
        w.group("partial", "{'/news/**': {'actions': ['get','subscribe']}, '/news/secret/**': {'prohibit': ['get']}}");
        w.user("partial", null, List.of("partial"), List.of());
        admin = w.login("admin", SecureWire.ADMIN_PW);
        for (String p : List.of("/news/a", "/news/secret/s1", "/news/b", "/news/secret/s2", "/news/c")) {
            assertThat(w.send("PUT", "/api/data" + p, "{\"v\":1}", "Authorization", bearer(admin)).statusCode()).isEqualTo(200);
        }
    }

    @AfterEach
    void tearDown() {
        w.close();
    }

    static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

    static List<String> paths(JsonNode items, String field) {
        List<String> out = new ArrayList<>();
        items.forEach(i -> out.add(field == null ? i.path("path").asText() : i.path(field).path("path").asText()));
        return out;
    }

    @Test
    void everyReadOfAPartlyReadablePatternIsFilteredOverWebSocket() {
        try (WsClient ws = w.ws(w.login("partial"))) {
            JsonNode page = ws.ok(op("get").put("path", "/news/**").put("limit", 2));
            assertThat(paths(page.get("items"), null)).containsExactly("/news/a", "/news/b");
            assertThat(page.get("total").asInt()).isEqualTo(3);
            assertThat(paths(ws.ok(op("get").put("path", "/news/**").put("skip", 2)).get("items"), null))
                    .containsExactly("/news/c");
            assertThat(ws.ok(op("count").put("path", "/news/**")).get("count").asInt()).isEqualTo(3);
            JsonNode history = ws.ok(op("history").put("pattern", "/news/**").put("limit", 2)).get("events");
            assertThat(paths(history, null)).containsExactly("/news/a", "/news/b");

            JsonNode sub = ws.ok(op("subscribe").put("pattern", "/news/**").put("initial", "snapshot"));
            assertThat(paths(sub.get("items"), null)).containsExactly("/news/a", "/news/b", "/news/c");
            w.send("PUT", "/api/data/news/secret/s3", "1", "Authorization", bearer(admin));
            w.send("PUT", "/api/data/news/d", "1", "Authorization", bearer(admin));
            assertThat(ws.nextPush().at("/event/path").asText()).isEqualTo("/news/d");

            assertThat(ws.request(op("get").put("path", "/news/secret/**")).at("/error/code").asText()).isEqualTo("FORBIDDEN");
            assertThat(ws.request(op("history").put("pattern", "/news/secret/*")).at("/error/code").asText())
                    .isEqualTo("FORBIDDEN");
        }
    }

    @Test
    void everyReadOfAPartlyReadablePatternIsFilteredOverHttpAndSse() throws Exception {
        String token = w.login("partial");
        String[] auth = {"Authorization", bearer(token)};
        try (SecureWire.Sse sse = w.new Sse("/api/sse?pattern=" + enc("/news/**"), auth)) {
            assertThat(sse.status).isEqualTo(200);
            JsonNode page = json(w.send("GET", "/api/data/news/**", null, auth));
            assertThat(paths(page.get("items"), null)).containsExactly("/news/a", "/news/b", "/news/c");
            assertThat(page.get("total").asInt()).isEqualTo(3);
            assertThat(json(w.send("GET", "/api/count/news/**", null, auth)).get("count").asInt()).isEqualTo(3);
            var history = w.send("GET", "/api/history?pattern=" + enc("/news/**"), null, auth);
            assertThat(history.statusCode()).isEqualTo(200);
            assertThat(paths(json(history).get("events"), null)).containsExactly("/news/a", "/news/b", "/news/c");
            w.send("PUT", "/api/data/news/secret/s3", "1", "Authorization", bearer(admin));
            w.send("PUT", "/api/data/news/d", "1", "Authorization", bearer(admin));
            assertThat(sse.nextPath()).isEqualTo("/news/d");
        }
    }

    @Test
    void theAdminReadsEverythingButSystem() {
        String[] auth = {"Authorization", bearer(admin)};
        for (String route : List.of("/api/data/**", "/api/data/*", "/api/count/**",
                "/api/history?pattern=" + enc("/**") + "&limit=1000")) {
            var r = w.send("GET", route, null, auth);
            assertThat(r.statusCode()).as(route).isEqualTo(200);
            assertThat(r.body()).as(route).doesNotContain("/_system");
        }
        JsonNode page = json(w.send("GET", "/api/data/**", null, auth));
        assertThat(page.get("total").asInt()).isEqualTo(5);
        assertThat(json(w.send("GET", "/api/count/**", null, auth)).get("count").asInt()).isEqualTo(5);
        assertThat(w.send("GET", "/api/data/_system/**", null, auth).statusCode()).isEqualTo(403);
    }
}
