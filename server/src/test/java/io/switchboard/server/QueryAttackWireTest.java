package io.switchboard.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.switchboard.core.json.Json;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static io.switchboard.server.WsClient.op;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Expensive queries over real sockets: catastrophic regexes run in linear time (RE2) while a
 * second client is served, regex features RE2 lacks and over-long patterns are refused by name,
 * and large but ordinary queries either run or are BAD_REQUEST naming the limit, never 503.
 */
class QueryAttackWireTest {
    @TempDir
    Path dir;
    SwitchboardServer server;
    WsClient bystander;

    @BeforeEach
    void start() {
        server = SwitchboardServer.start(TestServers.config(dir));
        bystander = WsClient.connected(server.port());
        for (int i = 0; i < 40; i++) {
            bystander.ok(op("set").put("path", "/q/" + i).set("data", Json.object()
                    .put("s", "a".repeat(20 + i % 10) + (i % 2 == 0 ? "!" : "b")).put("n", i)));
        }
    }

    @AfterEach
    void stop() {
        bystander.close();
        server.close();
    }

    private static ObjectNode get(JsonNode criteria) {
        ObjectNode m = op("get").put("path", "/q/*");
        m.set("criteria", criteria);
        return m;
    }

    private static JsonNode regex(String pattern) {
        return Json.object().set("s", Json.object().put("$regex", pattern));
    }

    @Test
    void catastrophicRegexesRunInLinearTimeWhileOthersAreServed() {
        List<String> evil = List.of("(.*a){12}$", "(a+)+$", "(a|aa)+$", "(a|a?)+$", "^(([a-z])+.)+[A-Z]([a-z])+$",
                "(.*){1,32000}[bc]", "((a*)*)*b$");
        List<WsClient> attackers = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            attackers.add(WsClient.connected(server.port()));
        }
        long id = 0;
        for (String p : evil) {
            id++;
            for (WsClient a : attackers) {
                a.sendText(Json.write(get(regex(p)).put("id", id)));
            }
            // while four connections run the pattern, a well-behaved client is answered
            assertThat(bystander.ok(op("ping")).asText()).isEqualTo("pong");
            assertThat(bystander.ok(op("get").put("path", "/q/3")).at("/data/n").asInt()).isEqualTo(3);
        }
        for (WsClient a : attackers) {
            for (long i = 1; i <= id; i++) {
                JsonNode r = a.awaitReply(i);
                // every pattern either runs (RE2 accepts it) or is refused by name; none hangs
                if (!r.path("ok").asBoolean()) {
                    assertThat(r.at("/error/code").asText()).isEqualTo("BAD_REQUEST");
                    assertThat(r.at("/error/message").asText()).contains("criteria.s.$regex");
                }
            }
            a.close();
        }
        JsonNode ends = bystander.ok(get(regex("(a+)+b$")));
        assertThat(ends.path("items").size()).isEqualTo(20);
    }

    @Test
    void regexFeaturesRe2LacksAndOverlongPatternsAreRefusedByName() {
        for (String p : List.of("(a)\\1", "a(?=b)", "a(?!b)", "(?<=a)b", "[", "a{2,1}", "x".repeat(1001))) {
            JsonNode r = bystander.request(get(regex(p)));
            assertThat(r.path("ok").asBoolean()).as(p).isFalse();
            assertThat(r.at("/error/code").asText()).isEqualTo("BAD_REQUEST");
            assertThat(r.at("/error/message").asText()).contains("criteria.s.$regex");
        }
        assertThat(bystander.request(get(regex("x".repeat(1001)))).at("/error/message").asText()).contains("1000");
        // flags still work, including extended mode
        ObjectNode flagged = Json.object();
        flagged.set("s", Json.object().put("$regex", "^ A{20} # twenty\n  B $").put("$options", "ix"));
        assertThat(bystander.ok(get(flagged)).path("items").size()).isEqualTo(0);
        flagged.set("s", Json.object().put("$regex", "^ A{29} B $").put("$options", "ix"));
        assertThat(bystander.ok(get(flagged)).path("items").size()).isEqualTo(4);
    }

    @Test
    void largeOrdinaryQueriesRun() {
        ObjectNode in = Json.object();
        ArrayNode values = in.putObject("n").putArray("$in");
        for (int i = 0; i < 1000; i++) {
            values.add(i % 2 == 0 ? Json.MAPPER.getNodeFactory().numberNode(i) : Json.MAPPER.getNodeFactory().textNode("v" + i));
        }
        assertThat(bystander.ok(get(in)).path("items").size()).isEqualTo(20);
        ObjectNode or = Json.object();
        ArrayNode branches = or.putArray("$or");
        for (int i = 0; i < 990; i++) {
            branches.addObject().put("n", i);
        }
        assertThat(bystander.ok(get(or)).path("items").size()).isEqualTo(40);
        ObjectNode keys = Json.object();
        for (int i = 0; i < 999; i++) {
            keys.set("k" + i, Json.object().put("$exists", false));
        }
        keys.put("n", 7);
        assertThat(bystander.ok(get(keys)).path("items").size()).isEqualTo(1);
        ObjectNode nested = Json.object().put("n", 5);
        for (int i = 0; i < 30; i++) {
            ObjectNode outer = Json.object();
            outer.putArray(i % 2 == 0 ? "$and" : "$or").add(nested).addObject().set("n", Json.object().put("$gte", 0));
            nested = outer;
        }
        assertThat(bystander.request(get(nested)).path("ok").asBoolean()).isTrue();
        ObjectNode count = op("count").put("path", "/q/*");
        count.set("criteria", or);
        assertThat(bystander.ok(count).path("count").asLong()).isEqualTo(40);
    }

    @Test
    void queriesOverTheLimitsAreBadRequestNamingTheLimit() {
        ObjectNode in = Json.object();
        ArrayNode values = in.putObject("n").putArray("$nin");
        for (int i = 0; i < 1001; i++) {
            values.add(i);
        }
        assertRefused(get(in), "criteria.n.$nin", "1000");
        ObjectNode keys = Json.object();
        for (int i = 0; i < 1001; i++) {
            keys.put("k" + i, i);
        }
        assertRefused(get(keys), "criteria", "1000 conditions");
        ObjectNode sorted = op("get").put("path", "/q/*");
        ObjectNode sort = sorted.putObject("sort");
        for (int i = 0; i < 5000; i++) {
            sort.put("f" + i, 1);
        }
        assertRefused(sorted, "sort", "32");
        ObjectNode sortedArray = op("get").put("path", "/q/*");
        ArrayNode sortList = sortedArray.putArray("sort");
        for (int i = 0; i < 33; i++) {
            sortList.add("-f" + i);
        }
        assertRefused(sortedArray, "sort", "32");
        assertThat(bystander.ok(op("ping")).asText()).isEqualTo("pong");
    }

    private void assertRefused(ObjectNode msg, String field, String limit) {
        JsonNode r = bystander.request(msg);
        assertThat(r.path("ok").asBoolean()).isFalse();
        assertThat(r.at("/error/code").asText()).isEqualTo("BAD_REQUEST");
        assertThat(r.at("/error/message").asText()).contains("'" + field + "'").contains(limit);
    }
}
