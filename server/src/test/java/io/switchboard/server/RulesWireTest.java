package io.switchboard.server;

import com.fasterxml.jackson.databind.JsonNode;
import io.switchboard.server.config.ConfigException;
import io.switchboard.server.config.ConfigKeys;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.http.HttpResponse;
import java.util.List;

import static io.switchboard.server.PartialReadWireTest.enc;
import static io.switchboard.server.PartialReadWireTest.paths;
import static io.switchboard.server.SecureWire.bearer;
import static io.switchboard.server.SecureWire.json;
import static io.switchboard.server.WsClient.op;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Rules in CEL over real sockets (WebSocket, HTTP, SSE): the hapta recipes (owner-only update
 * and delete, fields a user may not change on their own record, a whitelist of fields on someone
 * else's), validation failures naming the rule, read filtering of get, pattern query, history,
 * SSE and fan-out, a rule changed through the admin API without restart, compile errors with
 * their position, evaluation errors denying, and the rule metrics.
 */
class RulesWireTest {
    /** The recipes of docs/rules.md, as configuration. */
    static final String RULES = """
            [{"name": "posts", "pattern": "/posts/{postId}",
              "read": "data.public == true || data.owner == auth.id",
              "write": "data == null ? newData.owner == auth.id : data.owner == auth.id && (op == 'remove' || newData.owner == data.owner)"},
             {"name": "profiles", "pattern": "/profiles/{userId}",
              "write": "userId == auth.id ? !changedKeys(data, newData).exists(k, k in ['role', 'verified']) : changedKeys(data, newData).all(k, k in ['likes'])"},
             {"name": "profileShape", "pattern": "/profiles/{userId}",
              "validate": "has(newData.name) && newData.name.size() <= 20"},
             {"name": "counts", "pattern": "/counts/{id}", "write": "newData.count > 0"}]
            """;

    @TempDir
    java.nio.file.Path dir;
    SecureWire w;
    String admin;
    String[] adminAuth;

    @BeforeEach
    void setUp() {
        w = new SecureWire(dir, c -> c.with(ConfigKeys.RULES, RULES));
        w.group("members", "{'/posts/**': {'actions': ['*']}, '/profiles/**': {'actions': ['*']},"
                + " '/counts/**': {'actions': ['*']}, '/comments/**': {'actions': ['*']}}");
        w.user("ann", null, List.of("members"), List.of());
        w.user("bob", null, List.of("members"), List.of());
        admin = w.login("admin", SecureWire.ADMIN_PW);
        adminAuth = new String[] {"Authorization", bearer(admin), "Content-Type", "application/json"};
    }

    @AfterEach
    void tearDown() {
        w.close();
    }

    private HttpResponse<String> put(String path, String body, String token) {
        return w.send("PUT", "/api/data" + path, body, "Authorization", bearer(token), "Content-Type", "application/json");
    }

    private static String code(JsonNode reply) {
        return reply.at("/error/code").asText();
    }

    @Test
    void ownerOnlyUpdateAndDeleteOverWebSocketAndHttp() {
        String ann = w.login("ann");
        String bob = w.login("bob");
        try (WsClient a = w.ws(ann); WsClient b = w.ws(bob)) {
            a.ok(op("set").put("path", "/posts/p1").set("data", SecureWire.j("{'owner': 'ann-id', 'title': 'x'}")));
            // creating a post for someone else is refused
            JsonNode forged = b.request(op("set").put("path", "/posts/p2").set("data", SecureWire.j("{'owner': 'ann-id'}")));
            assertThat(code(forged)).isEqualTo("FORBIDDEN");
            assertThat(forged.at("/error/message").asText()).contains("'posts'");
            JsonNode update = b.request(op("set").put("path", "/posts/p1").put("merge", true)
                    .set("data", SecureWire.j("{'title': 'mine now'}")));
            assertThat(code(update)).isEqualTo("FORBIDDEN");
            assertThat(code(b.request(op("remove").put("path", "/posts/p1")))).isEqualTo("FORBIDDEN");
            // the owner may update, but not give the post away
            a.ok(op("set").put("path", "/posts/p1").put("merge", true).set("data", SecureWire.j("{'title': 'y'}")));
            assertThat(code(a.request(op("set").put("path", "/posts/p1").put("merge", true)
                    .set("data", SecureWire.j("{'owner': 'bob-id'}"))))).isEqualTo("FORBIDDEN");
        }
        HttpResponse<String> denied = put("/posts/p1", "{\"owner\": \"bob-id\"}", bob);
        assertThat(denied.statusCode()).isEqualTo(403);
        assertThat(denied.body()).contains("'posts'");
        assertThat(w.send("DELETE", "/api/data/posts/p1", null, "Authorization", bearer(bob)).statusCode()).isEqualTo(403);
        assertThat(w.send("DELETE", "/api/data/posts/p1", null, "Authorization", bearer(ann)).statusCode()).isEqualTo(200);
    }

    @Test
    void protectedFieldsOnOnesOwnRecordAndAWhitelistOnSomeoneElses() {
        for (String id : List.of("ann-id", "bob-id")) {
            assertThat(w.send("PUT", "/api/data/profiles/" + id,
                    "{\"name\": \"n\", \"role\": \"user\", \"verified\": false, \"likes\": 0}", adminAuth).statusCode())
                    .isEqualTo(200);
        }
        String ann = w.login("ann");
        try (WsClient a = w.ws(ann)) {
            a.ok(op("set").put("path", "/profiles/ann-id").put("merge", true).set("data", SecureWire.j("{'name': 'Ann'}")));
            JsonNode promote = a.request(op("set").put("path", "/profiles/ann-id").put("merge", true)
                    .set("data", SecureWire.j("{'role': 'admin'}")));
            assertThat(code(promote)).isEqualTo("FORBIDDEN");
            assertThat(promote.at("/error/message").asText()).contains("'profiles'");
            a.ok(op("set").put("path", "/profiles/bob-id").put("merge", true).set("data", SecureWire.j("{'likes': 1}")));
            assertThat(code(a.request(op("set").put("path", "/profiles/bob-id").put("merge", true)
                    .set("data", SecureWire.j("{'name': 'Bobby'}"))))).isEqualTo("FORBIDDEN");
            JsonNode tooLong = a.request(op("set").put("path", "/profiles/ann-id").put("merge", true)
                    .set("data", SecureWire.j("{'name': 'a name much longer than twenty'}")));
            assertThat(code(tooLong)).isEqualTo("VALIDATION_FAILED");
            assertThat(tooLong.at("/error/message").asText()).contains("'profileShape'");
        }
        HttpResponse<String> invalid = w.send("PATCH", "/api/data/profiles/ann-id", "{\"name\": \"a name much longer than twenty\"}",
                "Authorization", bearer(ann), "Content-Type", "application/json");
        assertThat(invalid.statusCode()).isEqualTo(422);
        assertThat(invalid.body()).contains("VALIDATION_FAILED").contains("'profileShape'");
        JsonNode stored = json(w.send("GET", "/api/data/profiles/ann-id", null, adminAuth));
        assertThat(stored.at("/data/name").asText()).isEqualTo("Ann");
        assertThat(stored.at("/data/role").asText()).isEqualTo("user");
    }

    @Test
    void readRulesFilterGetPatternQueryHistorySseAndFanOut() throws Exception {
        String ann = w.login("ann");
        String bob = w.login("bob");
        put("/posts/p1", "{\"owner\": \"ann-id\", \"public\": false}", ann);
        put("/posts/p2", "{\"owner\": \"bob-id\", \"public\": false}", bob);
        put("/posts/p3", "{\"owner\": \"ann-id\", \"public\": true}", ann);
        String[] bobAuth = {"Authorization", bearer(bob)};
        // a cached copy of p1 (read by its owner) still passes bob's read rule
        assertThat(w.send("GET", "/api/data/posts/p1", null, "Authorization", bearer(ann)).statusCode()).isEqualTo(200);
        HttpResponse<String> hidden = w.send("GET", "/api/data/posts/p1", null, bobAuth);
        assertThat(hidden.statusCode()).isEqualTo(403);
        assertThat(hidden.body()).contains("'posts'");
        JsonNode page = json(w.send("GET", "/api/data/posts/*", null, bobAuth));
        assertThat(paths(page.get("items"), null)).containsExactly("/posts/p2", "/posts/p3");
        assertThat(page.get("total").asInt()).isEqualTo(2);
        JsonNode history = json(w.send("GET", "/api/history?pattern=" + enc("/posts/*"), null, bobAuth));
        assertThat(paths(history.get("events"), null)).containsExactly("/posts/p2", "/posts/p3");

        try (SecureWire.Sse sse = w.new Sse("/api/sse?pattern=" + enc("/posts/*"), bobAuth);
             WsClient b = w.ws(bob)) {
            assertThat(sse.status).isEqualTo(200);
            JsonNode sub = b.ok(op("subscribe").put("pattern", "/posts/*").put("initial", "snapshot"));
            assertThat(paths(sub.get("items"), null)).containsExactly("/posts/p2", "/posts/p3");
            assertThat(code(b.request(op("get").put("path", "/posts/p1")))).isEqualTo("FORBIDDEN");
            assertThat(b.ok(op("count").put("path", "/posts/*")).get("count").asInt()).isEqualTo(2);
            put("/posts/p4", "{\"owner\": \"ann-id\", \"public\": false}", ann);
            put("/posts/p5", "{\"owner\": \"ann-id\", \"public\": true}", ann);
            assertThat(b.nextPush().at("/event/path").asText()).isEqualTo("/posts/p5");
            assertThat(sse.nextPath()).isEqualTo("/posts/p5");
        }
    }

    @Test
    void aRuleChangedThroughTheAdminApiAppliesWithoutRestart() {
        String bob = w.login("bob");
        try (WsClient b = w.ws(bob)) {
            b.ok(op("set").put("path", "/comments/c1").set("data", SecureWire.j("{'text': 'hi'}")));
            HttpResponse<String> created = w.send("PUT", "/api/admin/rules/noComments",
                    "{\"pattern\": \"/comments/**\", \"write\": \"auth.username == 'ann'\"}", adminAuth);
            assertThat(created.statusCode()).isEqualTo(200);
            JsonNode denied = b.request(op("set").put("path", "/comments/c2").set("data", SecureWire.j("{'text': 'x'}")));
            assertThat(code(denied)).isEqualTo("FORBIDDEN");
            assertThat(denied.at("/error/message").asText()).contains("'noComments'");
            JsonNode listed = json(w.send("GET", "/api/admin/rules", null, adminAuth));
            assertThat(listed.get("items")).extracting(r -> r.get("name").asText())
                    .contains("posts", "profiles", "noComments");
            assertThat(w.send("GET", "/api/admin/rules/noComments", null, "Authorization", bearer(bob)).statusCode())
                    .isEqualTo(403);
            assertThat(w.send("DELETE", "/api/admin/rules/noComments", null, adminAuth).statusCode()).isEqualTo(200);
            b.ok(op("set").put("path", "/comments/c2").set("data", SecureWire.j("{'text': 'x'}")));
            // configuration rules are changed in the configuration
            assertThat(w.send("DELETE", "/api/admin/rules/posts", null, adminAuth).statusCode()).isEqualTo(400);
        }
    }

    @Test
    void aRuleThatDoesNotCompileIsRefusedWithItsPosition() {
        HttpResponse<String> r = w.send("PUT", "/api/admin/rules/bad",
                "{\"pattern\": \"/x/**\", \"write\": \"auth.id == \\n  data.owner &&\"}", adminAuth);
        assertThat(r.statusCode()).isEqualTo(400);
        assertThat(json(r).at("/error/code").asText()).isEqualTo("BAD_REQUEST");
        assertThat(json(r).at("/error/message").asText()).containsPattern("2:\\d+: ");
        assertThat(w.send("GET", "/api/admin/rules/bad", null, adminAuth).statusCode()).isEqualTo(404);
        assertThatThrownBy(() -> SwitchboardServer.start(SecureWire.config(dir.resolve("other")).with(ConfigKeys.RULES,
                "[{\"name\": \"typo\", \"pattern\": \"/x\", \"read\": \"auth.id = 1\"}]")))
                .isInstanceOf(ConfigException.class).hasMessageContaining("typo").hasMessageMatching("(?s).*1:\\d+: .*");
    }

    @Test
    void anEvaluationErrorDeniesAndIsCounted() {
        String bob = w.login("bob");
        HttpResponse<String> noCount = put("/counts/a", "{\"other\": 1}", bob);
        assertThat(noCount.statusCode()).isEqualTo(403);
        assertThat(noCount.body()).contains("'counts'");
        assertThat(put("/counts/a", "{\"count\": 1}", bob).statusCode()).isEqualTo(200);
        String metrics = w.send("GET", "/metrics", null).body();
        assertThat(metrics).containsPattern("switchboard_rule_errors_total\\{[^}]*rule=\"counts\"[^}]*} 1\\.0");
        assertThat(metrics).containsPattern("switchboard_rule_denials_total\\{[^}]*kind=\"write\"[^}]*rule=\"counts\"[^}]*} 1\\.0");
    }
}
