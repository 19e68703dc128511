package io.switchboard.core.rules;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.switchboard.core.client.InProcessClient;
import io.switchboard.core.engine.Engine;
import io.switchboard.core.engine.EngineOptions;
import io.switchboard.core.error.ErrorCode;
import io.switchboard.core.error.SwitchboardException;
import io.switchboard.core.json.Json;
import io.switchboard.core.metrics.Meters;
import io.switchboard.core.model.Event;
import io.switchboard.core.pipeline.Pipeline;
import io.switchboard.core.store.memory.MemoryStore;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/** The rules stage and the read-rule delivery filter in a real pipeline over the engine (anonymous caller). */
class RulesStageTest {
    static final String CONFIG = """
            [{"name": "small", "pattern": "/nums/{id}", "validate": "newData.v < 10"},
             {"name": "frozen", "pattern": "/frozen/**", "write": "false"},
             {"name": "public", "pattern": "/docs/{id}", "read": "data.public == true"},
             {"name": "keepKind", "pattern": "/typed/{id}", "write": "op == 'remove' || data == null || newData.kind == data.kind"}]
            """;

    Engine engine;
    Rules rules;
    InProcessClient client;

    @BeforeEach
    void start() {
        engine = new Engine(new MemoryStore(), EngineOptions.defaults());
        engine.start();
        RuleCompiler c = new RuleCompiler();
        rules = new Rules(engine, c, Rules.parseConfig(Json.parseTrusted(CONFIG), c, "rules"), Meters.NONE);
        rules.start();
        client = InProcessClient.connect(rules.install(Pipeline.builder(engine)).build());
    }

    @AfterEach
    void stop() {
        client.close();
        engine.close();
    }

    private JsonNode call(String op, ObjectNode f) {
        return client.request(op, f).join();
    }

    private static ObjectNode set(String path, String json) {
        return (ObjectNode) Json.object().put("path", path).set("data", Json.parseTrusted(json));
    }

    private static SwitchboardException failure(Runnable r) {
        try {
            r.run();
        } catch (CompletionException e) {
            return (SwitchboardException) e.getCause();
        }
        throw new AssertionError("expected a failure");
    }

    /** A remembered read decision holds only for the document it judged: the next write is judged afresh. */
    @Test
    void aRepeatedGetOfAnUnchangedDocumentKeepsItsDecisionUntilAWrite() {
        call("set", set("/docs/m", "{\"public\": true}"));
        for (int i = 0; i < 3; i++) {
            assertThat(call("get", Json.object().put("path", "/docs/m")).get("data").get("public").asBoolean()).isTrue();
        }
        call("set", set("/docs/m", "{\"public\": false}"));
        for (int i = 0; i < 3; i++) {
            assertThat(failure(() -> call("get", Json.object().put("path", "/docs/m"))).code()).isEqualTo(ErrorCode.FORBIDDEN);
        }
        call("set", set("/docs/m", "{\"public\": true}"));
        assertThat(call("get", Json.object().put("path", "/docs/m")).get("data").get("public").asBoolean()).isTrue();
        // many documents, read twice over: every answer still right
        for (int i = 0; i < 40; i++) {
            call("set", set("/docs/n" + i, "{\"public\": " + (i % 2 == 0) + "}"));
        }
        for (int round = 0; round < 2; round++) {
            for (int i = 0; i < 40; i++) {
                String p = "/docs/n" + i;
                if (i % 2 == 0) {
                    assertThat(call("get", Json.object().put("path", p)).get("data").get("public").asBoolean()).isTrue();
                } else {
                    assertThat(failure(() -> call("get", Json.object().put("path", p))).code()).isEqualTo(ErrorCode.FORBIDDEN);
                }
            }
        }
    }

    @Test
    void validateFailureIsValidationFailedNamingTheRule() {
        call("set", set("/nums/a", "{\"v\": 3}"));
        SwitchboardException e = failure(() -> call("set", set("/nums/a", "{\"v\": 30}")));
        assertThat(e.code()).isEqualTo(ErrorCode.VALIDATION_FAILED);
        assertThat(e.getMessage()).contains("'small'");
        assertThat(call("get", Json.object().put("path", "/nums/a")).get("data").get("v").asInt()).isEqualTo(3);
    }

    @Test
    void writeDenialIsForbiddenNamingTheRuleForSetRemoveAndPublish() {
        for (Runnable r : List.<Runnable>of(() -> call("set", set("/frozen/x", "{}")),
                () -> call("remove", Json.object().put("path", "/frozen/x")),
                () -> call("publish", set("/frozen/x", "{}")),
                () -> call("publish", set("/frozen/x", "{}").put("at", engine.now() + 60_000)))) {
            SwitchboardException e = failure(r);
            assertThat(e.code()).isEqualTo(ErrorCode.FORBIDDEN);
            assertThat(e.getMessage()).contains("'frozen'");
        }
    }

    @Test
    void aPatternRemoveReachingAWriteRuleIsRefusedAndValidateRulesDoNotJudgeRemoves() {
        call("set", set("/typed/a", "{\"kind\": \"cat\"}"));
        SwitchboardException e = failure(() -> call("remove", Json.object().put("path", "/typed/*")));
        assertThat(e.code()).isEqualTo(ErrorCode.FORBIDDEN);
        assertThat(e.getMessage()).contains("'keepKind'");
        call("remove", Json.object().put("path", "/typed/a"));
        call("set", set("/nums/a", "{\"v\": 1}"));
        call("remove", Json.object().put("path", "/nums/*"));
    }

    @Test
    void mergeRulesSeeTheStoredDocumentMergedWithThePatch() {
        call("set", set("/typed/a", "{\"kind\": \"cat\", \"n\": 1}"));
        call("set", set("/typed/a", "{\"n\": 2}").put("merge", true));
        SwitchboardException e = failure(() -> call("set", set("/typed/a", "{\"kind\": \"dog\"}").put("merge", true)));
        assertThat(e.getMessage()).contains("'keepKind'");
        // a plain set must carry the same kind too
        failure(() -> call("set", set("/typed/a", "{\"n\": 3}")));
        assertThat(call("get", Json.object().put("path", "/typed/a")).get("data").get("n").asInt()).isEqualTo(2);
    }

    /** newData of an increment is the stored document with the sum in place; write rules see op 'increment'. */
    @Test
    void incrementRulesSeeTheDocumentAfterTheSum() {
        assertThat(client.increment("/nums/c", "v", 4).join().asInt()).isEqualTo(4);
        assertThat(client.increment("/nums/c", "v", 5).join().asInt()).isEqualTo(9);
        SwitchboardException e = failure(() -> client.increment("/nums/c", "v", 1).join());
        assertThat(e.code()).isEqualTo(ErrorCode.VALIDATION_FAILED);
        assertThat(e.getMessage()).contains("'small'").contains("increment");
        assertThat(call("get", Json.object().put("path", "/nums/c")).get("data").get("v").asInt()).isEqualTo(9);
        assertThat(failure(() -> client.increment("/frozen/n", "v", 1).join()).code()).isEqualTo(ErrorCode.FORBIDDEN);
    }

    @Test
    void anEvaluationErrorDenies() {
        // newData.v is missing: the validate rule cannot be evaluated, so the write is refused
        SwitchboardException e = failure(() -> call("set", set("/nums/b", "{\"w\": 1}")));
        assertThat(e.code()).isEqualTo(ErrorCode.VALIDATION_FAILED);
        assertThat(e.getMessage()).contains("'small'");
    }

    @Test
    void readRulesFilterGetPatternGetCountHistoryAndSnapshots() {
        call("set", set("/docs/a", "{\"public\": true}"));
        call("set", set("/docs/b", "{\"public\": false}"));
        call("set", set("/docs/c", "{\"public\": true}"));
        assertThat(call("get", Json.object().put("path", "/docs/a")).get("data").get("public").asBoolean()).isTrue();
        SwitchboardException e = failure(() -> call("get", Json.object().put("path", "/docs/b")));
        assertThat(e.code()).isEqualTo(ErrorCode.FORBIDDEN);
        assertThat(e.getMessage()).contains("'public'");
        JsonNode page = call("get", Json.object().put("path", "/docs/*").put("limit", 1).put("skip", 1));
        assertThat(page.get("total").asInt()).isEqualTo(2);
        assertThat(page.get("items").get(0).get("path").asText()).isEqualTo("/docs/c");
        JsonNode paths = call("get", Json.object().put("path", "/docs/*").put("pathsOnly", true));
        assertThat(paths.get("total").asInt()).isEqualTo(2);
        assertThat(paths.get("items").get(0).has("data")).isFalse();
        assertThat(call("count", Json.object().put("path", "/docs/*")).get("count").asInt()).isEqualTo(2);
        JsonNode h = call("history", Json.object().put("pattern", "/docs/*"));
        assertThat(h.get("events")).extracting(x -> x.get("path").asText()).containsExactly("/docs/a", "/docs/c");
        JsonNode sub = client.subscribe("/docs/*", Json.object().put("initial", "snapshot"), ev -> { }).join().reply();
        assertThat(sub.get("items")).extracting(x -> x.get("path").asText()).containsExactly("/docs/a", "/docs/c");
    }

    @Test
    void fanOutDeliversOnlyWhatReadRulesAllow() {
        List<Event> got = new CopyOnWriteArrayList<>();
        client.subscribe("/docs/*", null, got::add).join();
        call("set", set("/docs/x", "{\"public\": false}"));
        call("set", set("/docs/y", "{\"public\": true}"));
        call("set", set("/other/z", "{}"));
        call("set", set("/docs/end", "{\"public\": true}"));
        await().until(() -> got.stream().anyMatch(ev -> ev.path().equals("/docs/end")));
        assertThat(got).extracting(Event::path).containsExactly("/docs/y", "/docs/end");
    }

    @Test
    void aRulePutThroughTheAdminApiAppliesAtTheNextOpAndDeletingItLifts() {
        call("set", set("/notes/a", "{}"));
        rules.put("noNotes", Json.parseTrusted("{\"pattern\": \"/notes/**\", \"write\": \"false\"}")).join();
        assertThat(failure(() -> call("set", set("/notes/a", "{}"))).getMessage()).contains("'noNotes'");
        assertThat(rules.list()).extracting(x -> x.get("name").asText()).contains("noNotes", "small");
        rules.delete("noNotes").join();
        call("set", set("/notes/a", "{}"));
    }

    @Test
    void aRuleThatDoesNotCompileIsRefusedAndChangesNothing() {
        assertThatThrownBy(() -> rules.put("broken", Json.parseTrusted("{\"pattern\": \"/a\", \"write\": \"auth.id ==\"}")))
                .isInstanceOfSatisfying(SwitchboardException.class, e -> {
                    assertThat(e.code()).isEqualTo(ErrorCode.BAD_REQUEST);
                    assertThat(e.getMessage()).containsPattern("1:\\d+: ");
                });
        assertThat(rules.list()).extracting(x -> x.get("name").asText()).doesNotContain("broken");
        assertThatThrownBy(() -> rules.put("small", Json.parseTrusted("{\"pattern\": \"/a\", \"write\": \"true\"}")))
                .hasMessageContaining("configuration");
    }

    @Test
    void aStoredRuleSurvivesARestartOfTheRules() {
        rules.put("noNotes", Json.parseTrusted("{\"pattern\": \"/notes/**\", \"write\": \"false\"}")).join();
        RuleCompiler c = new RuleCompiler();
        Rules again = new Rules(engine, c, List.of(), Meters.NONE);
        again.start();
        assertThat(again.current().matching("/notes/x", Rule.Kind.WRITE)).hasSize(1);
    }
}
