package io.switchboard.core.cache;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.switchboard.core.client.InProcessClient;
import io.switchboard.core.engine.Engine;
import io.switchboard.core.engine.EngineOptions;
import io.switchboard.core.json.Json;
import io.switchboard.core.pipeline.Pipeline;
import io.switchboard.core.store.WriteOp;
import io.switchboard.core.store.memory.MemoryStore;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** The read cache in a real pipeline over the engine: hits, the size bound, writes that bypass the pipeline, races. */
class ReadCacheTest {
    Engine engine;
    ReadCache cache;
    InProcessClient client;

    @BeforeEach
    void start() {
        engine = new Engine(new MemoryStore(), EngineOptions.defaults());
        engine.start();
        cache = new ReadCache(10);
        client = InProcessClient.connect(cache.install(Pipeline.builder(engine), engine).build());
    }

    @AfterEach
    void stop() {
        client.close();
        engine.close();
    }

    private JsonNode get(String path) {
        return client.request("get", Json.object().put("path", path)).join();
    }

    private void set(String path, int v) {
        client.request("set", (ObjectNode) Json.object().put("path", path).set("data", Json.object().put("v", v))).join();
    }

    @Test
    void repeatedReadsAreHits() {
        set("/a", 1);
        long misses = cache.misses();
        for (int i = 0; i < 5; i++) {
            assertThat(get("/a").get("data").get("v").asInt()).isEqualTo(1);
        }
        assertThat(cache.misses()).isEqualTo(misses + 1);
        assertThat(cache.hits()).isEqualTo(4);
    }

    @Test
    void aWriteThatBypassesThePipelineInvalidatesThroughTheCommitFeed() {
        // What another node's write, or an internal writer's, looks like to this node: a commit on the feed.
        set("/a", 1);
        assertThat(get("/a").get("data").get("v").asInt()).isEqualTo(1);
        engine.write(new WriteOp.Set("/a", Json.object().put("v", 2), false, null, null, "other", false, false,
                engine.now(), null)).join();
        assertThat(get("/a").get("data").get("v").asInt()).isEqualTo(2);
        assertThat(client.request("get", Json.object().put("path", "/*")).join().get("items").get(0).get("data")
                .get("v").asInt()).isEqualTo(2);
        engine.write(new WriteOp.Remove(io.switchboard.core.path.Pattern.compile("/*", "path"), null, "other", false,
                engine.now(), null)).join();
        assertThat(client.request("get", Json.object().put("path", "/*")).join().get("total").asInt()).isZero();
        try {
            get("/a");
            throw new AssertionError("expected NOT_FOUND");
        } catch (CompletionException e) {
            assertThat(e.getCause().getMessage()).contains("no document at /a");
        }
    }

    @Test
    void theCacheStaysWithinItsBound() {
        for (int i = 0; i < 100; i++) {
            set("/d/" + i, i);
            get("/d/" + i);
        }
        await().until(() -> cache.size() <= 10 && cache.evictions() >= 90);
        // Evicted entries come back from the store, right.
        assertThat(get("/d/3").get("data").get("v").asInt()).isEqualTo(3);
    }

    @Test
    void readsRacingWritesNeverKeepAnOldValue() throws Exception {
        set("/r/x", 0);
        AtomicInteger committed = new AtomicInteger();
        AtomicBoolean done = new AtomicBoolean();
        List<String> stale = new CopyOnWriteArrayList<>();
        List<Thread> readers = new ArrayList<>();
        for (int r = 0; r < 4; r++) {
            Thread t = new Thread(() -> {
                while (!done.get()) {
                    int floor = committed.get();
                    int v = get("/r/x").get("data").get("v").asInt();
                    int pageFloor = committed.get();
                    int pv = client.request("get", Json.object().put("path", "/r/*")).join()
                            .get("items").get(0).get("data").get("v").asInt();
                    if (v < floor || pv < pageFloor) {
                        stale.add("read " + v + "/" + pv + " after " + floor + "/" + pageFloor + " replied");
                    }
                }
            });
            t.start();
            readers.add(t);
        }
        for (int i = 1; i <= 2000; i++) {
            set("/r/x", i);
            committed.set(i);
        }
        done.set(true);
        for (Thread t : readers) {
            t.join();
        }
        assertThat(stale).isEmpty();
        assertThat(cache.hits()).isPositive();
    }
}
