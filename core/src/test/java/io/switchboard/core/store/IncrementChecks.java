package io.switchboard.core.store;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.IntNode;
import com.fasterxml.jackson.databind.node.LongNode;
import io.switchboard.core.error.ErrorCode;
import io.switchboard.core.error.SwitchboardException;
import io.switchboard.core.json.Json;
import io.switchboard.core.model.Document;
import io.switchboard.core.model.EventType;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The increment write every {@link Store} must apply atomically in its writer (part of
 * {@link StoreContract}): missing documents and fields start at 0, the result is stored and
 * published as a plain set, a non-number is refused naming the field, and concurrent increments
 * lose nothing.
 */
public abstract class IncrementChecks {
    /** The store under test, open. */
    protected abstract Store current();

    private static WriteOp.Increment inc(String path, String field, JsonNode by, Long ifVersion) {
        return new WriteOp.Increment(path, List.of(field.split("\\.")), by, ifVersion, null, "tester", 1000, null);
    }

    private WriteResult write(WriteOp op) {
        try {
            return current().write(op).get(30, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw SwitchboardException.of(e);
        }
    }

    private SwitchboardException refused(WriteOp op) {
        try {
            write(op);
        } catch (SwitchboardException e) {
            return e;
        }
        throw new AssertionError("expected a failure");
    }

    private Document doc(String path) {
        return current().get(path).join().orElseThrow();
    }

    private static JsonNode json(String text) {
        return Json.parseTrusted(text.replace('\'', '"'));
    }

    @Test
    void incrementCreatesTheDocumentAndFieldAndPublishesASet() {
        WriteResult r = write(inc("/counters/a", "stats.views", IntNode.valueOf(2), null));
        assertThat(r.document().data()).isEqualTo(json("{'stats':{'views':2}}"));
        assertThat(r.document().meta().version()).isEqualTo(1);
        assertThat(r.event().type()).isEqualTo(EventType.SET);
        assertThat(r.event().data()).isEqualTo(json("{'stats':{'views':2}}"));
        assertThat(r.event().patch()).isNull();

        write(new WriteOp.Set("/counters/b", json("{'name':'b','n':40}"), false, null, null, "tester", false, false, 1000));
        WriteResult b = write(inc("/counters/b", "n", IntNode.valueOf(2), null));
        assertThat(b.document().data()).isEqualTo(json("{'name':'b','n':42}"));
        assertThat(b.document().meta().version()).isEqualTo(2);
        assertThat(doc("/counters/b").data()).isEqualTo(json("{'name':'b','n':42}"));
        WriteResult added = write(inc("/counters/b", "other.count", IntNode.valueOf(-3), null));
        assertThat(added.document().data()).isEqualTo(json("{'name':'b','n':42,'other':{'count':-3}}"));
    }

    @Test
    void wholeNumbersStayWholeAndDecimalsAdd() {
        write(inc("/n", "x", IntNode.valueOf(1), null));
        assertThat(write(inc("/n", "x", IntNode.valueOf(1), null)).document().data().get("x").isIntegralNumber()).isTrue();
        JsonNode half = write(inc("/n", "x", Json.MAPPER.getNodeFactory().numberNode(0.5), null)).document().data().get("x");
        assertThat(half.doubleValue()).isEqualTo(2.5);
        assertThat(Increments.valueAt(doc("/n").data(), List.of("x")).doubleValue()).isEqualTo(2.5);
    }

    @Test
    void aFieldThatIsNotANumberIsRefusedNamingItAndNothingChanges() {
        write(new WriteOp.Set("/t", json("{'label':'x','deep':{'s':'y'},'flat':3}"), false, null, null, "tester",
                false, false, 1000));
        long offset = current().lastOffset();
        SwitchboardException e = refused(inc("/t", "label", IntNode.valueOf(1), null));
        assertThat(e.code()).isEqualTo(ErrorCode.VALIDATION_FAILED);
        assertThat(e.getMessage()).contains("'label'");
        assertThat(refused(inc("/t", "deep.s", IntNode.valueOf(1), null)).getMessage()).contains("'deep.s'");
        assertThat(refused(inc("/t", "flat.x", IntNode.valueOf(1), null)).getMessage()).contains("'flat'");
        write(new WriteOp.Set("/plain", json("'text'"), false, null, null, "tester", false, false, 1000));
        assertThat(refused(inc("/plain", "n", IntNode.valueOf(1), null)).code()).isEqualTo(ErrorCode.VALIDATION_FAILED);
        write(new WriteOp.Set("/big", json("{'n':0}"), false, null, null, "tester", false, false, 1000));
        write(inc("/big", "n", LongNode.valueOf(Long.MAX_VALUE), null));
        assertThat(refused(inc("/big", "n", IntNode.valueOf(1), null)).getMessage()).contains("overflow");
        assertThat(current().lastOffset()).isEqualTo(offset + 3);
        assertThat(doc("/t").meta().version()).isEqualTo(1);
        assertThat(doc("/big").data().get("n").longValue()).isEqualTo(Long.MAX_VALUE);
    }

    @Test
    void ifVersionGuardsAnIncrement() {
        write(inc("/v", "n", IntNode.valueOf(1), 0L));
        assertThat(refused(inc("/v", "n", IntNode.valueOf(1), 0L)).code()).isEqualTo(ErrorCode.CONFLICT);
        assertThat(write(inc("/v", "n", IntNode.valueOf(1), 1L)).document().data().get("n").asLong()).isEqualTo(2);
    }

    /** Many writers at once: every increment lands once, each sees a value no other saw. */
    @Test
    void concurrentIncrementsLoseNothing() throws Exception {
        int threads = 6;
        int each = 50;
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        List<CompletableFuture<WriteResult>> all = java.util.Collections.synchronizedList(new ArrayList<>());
        try {
            List<java.util.concurrent.Future<?>> started = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                started.add(pool.submit(() -> {
                    for (int i = 0; i < each; i++) {
                        all.add(current().write(inc("/hits", "count", IntNode.valueOf(1), null)));
                    }
                }));
            }
            for (var f : started) {
                f.get(30, TimeUnit.SECONDS);
            }
        } finally {
            pool.shutdown();
        }
        Set<Long> seen = new TreeSet<>();
        for (CompletableFuture<WriteResult> f : all) {
            seen.add(f.get(30, TimeUnit.SECONDS).document().data().get("count").asLong());
        }
        assertThat(seen).hasSize(threads * each).first().isEqualTo(1L);
        assertThat(doc("/hits").data().get("count").asLong()).isEqualTo(threads * each);
        assertThat(doc("/hits").meta().version()).isEqualTo(threads * each);
    }
}
