package io.switchboard.core.engine;

import io.switchboard.core.store.memory.MemoryData;
import io.switchboard.core.store.memory.MemoryStore;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.switchboard.core.client.ClientSubscription;
import io.switchboard.core.client.InProcessClient;
import io.switchboard.core.engine.Engine;
import io.switchboard.core.engine.EngineOptions;
import io.switchboard.core.pipeline.Pipeline;
import io.switchboard.core.testing.RecordingSink;
import io.switchboard.core.error.ErrorCode;
import io.switchboard.core.error.SwitchboardException;
import io.switchboard.core.json.Json;
import io.switchboard.core.model.Event;
import io.switchboard.core.model.EventType;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/** The engine end to end through the in-process client, on the in-memory store. */
class EngineTest {
    /** What a restart keeps (a new store on the same data). */
    private final MemoryData data = new MemoryData();
    Engine engine;
    Pipeline pipeline;
    InProcessClient client;

    @BeforeEach
    void start() {
        open();
    }

    private void open() {
        engine = new Engine(new MemoryStore(data), EngineOptions.defaults());
        engine.start();
        pipeline = Pipeline.builder(engine).build();
        client = InProcessClient.connect(pipeline);
    }

    @AfterEach
    void stop() {
        client.close();
        engine.close();
    }

    private static ObjectNode j(String s) {
        try {
            return (ObjectNode) Json.parse(s.replace('\'', '"'));
        } catch (Exception e) {
            throw new IllegalArgumentException(e);
        }
    }

    private static ErrorCode codeOf(Runnable r) {
        try {
            r.run();
        } catch (CompletionException e) {
            return ((SwitchboardException) e.getCause()).code();
        }
        throw new AssertionError("expected a failure");
    }

    @Test
    void documentsRoundTrip() {
        var set = client.set("/users/ann", j("{'name':'Ann','age':30}")).join();
        assertThat(set.offset()).isPositive();
        assertThat(set.meta().get("version").asLong()).isEqualTo(1);
        assertThat(client.get("/users/ann").join().data()).isEqualTo(j("{'name':'Ann','age':30}"));
        client.merge("/users/ann", j("{'age':31}")).join();
        var doc = client.get("/users/ann").join();
        assertThat(doc.data()).isEqualTo(j("{'name':'Ann','age':31}"));
        assertThat(doc.meta().version()).isEqualTo(2);
        assertThat(codeOf(() -> client.set("/users/ann", j("{}"), j("{'ifVersion':1}")).join())).isEqualTo(ErrorCode.CONFLICT);
        client.set("/users/bob", j("{'name':'Bob','age':20}")).join();
        var page = client.query("/users/*", j("{'criteria':{'age':{'$gt':25}}}")).join();
        assertThat(page.items()).extracting(d -> d.path()).containsExactly("/users/ann");
        assertThat(client.count("/users/*", null).join()).isEqualTo(2);
        assertThat(client.remove("/users/*").join()).isEqualTo(2);
        assertThat(codeOf(() -> client.get("/users/ann").join())).isEqualTo(ErrorCode.NOT_FOUND);
    }

    @Test
    void badInputChangesNothing() {
        client.set("/a", j("{'x':1}")).join();
        long offset = engine.store().lastOffset();
        assertThat(codeOf(() -> client.request("set", j("{'path':'/a/*','data':1}")).join())).isEqualTo(ErrorCode.BAD_REQUEST);
        assertThat(codeOf(() -> client.request("get", j("{'path':'/a/*','criteria':{'x':{'$bogus':1}}}")).join())).isEqualTo(ErrorCode.BAD_REQUEST);
        assertThat(codeOf(() -> client.request("set", j("{'path':'/a','data':{},'merge':'no'}")).join())).isEqualTo(ErrorCode.BAD_REQUEST);
        assertThat(codeOf(() -> client.request("nope", j("{}")).join())).isEqualTo(ErrorCode.BAD_REQUEST);
        assertThat(engine.store().lastOffset()).isEqualTo(offset);
        assertThat(client.get("/a").join().data()).isEqualTo(j("{'x':1}"));
    }

    @Test
    void subscribersReceiveMatchingEventsInOrder() {
        List<Event> all = new CopyOnWriteArrayList<>();
        List<Event> removes = new CopyOnWriteArrayList<>();
        List<Event> merges = new CopyOnWriteArrayList<>();
        client.subscribe("/chat/**", null, all::add).join();
        client.subscribe("/chat/*", j("{'events':['remove']}"), removes::add).join();
        client.subscribe("/chat/*", j("{'mergeOnly':true,'events':['merge']}"), merges::add).join();
        client.set("/chat/1", j("{'text':'hi','n':1}")).join();
        client.merge("/chat/1", j("{'n':2}")).join();
        client.publish("/chat/1/typing", j("{'who':'ann'}")).join();
        client.set("/other/1", j("{}")).join();
        client.remove("/chat/1").join();
        await().atMost(Duration.ofSeconds(5)).until(() -> all.size() == 4 && removes.size() == 1 && merges.size() == 1);
        assertThat(all).extracting(Event::type).containsExactly(EventType.SET, EventType.MERGE, EventType.PUBLISH, EventType.REMOVE);
        assertThat(all).extracting(Event::offset).isSorted();
        assertThat(all.get(1).data()).isEqualTo(j("{'text':'hi','n':2}"));
        assertThat(merges.get(0).data()).isEqualTo(j("{'n':2}"));
    }

    /** Several clients increment one counter from their own threads: the total is exact, each value seen once. */
    @Test
    void concurrentIncrementsFromSeveralClientsAddUpAndPublishSets() throws Exception {
        List<Event> events = new CopyOnWriteArrayList<>();
        client.subscribe("/counters/*", null, events::add).join();
        int writers = 4;
        int each = 100;
        List<InProcessClient> clients = new ArrayList<>();
        List<Thread> threads = new ArrayList<>();
        List<Long> values = Collections.synchronizedList(new ArrayList<>());
        try {
            for (int w = 0; w < writers; w++) {
                InProcessClient c = InProcessClient.connect(pipeline);
                clients.add(c);
                Thread t = new Thread(() -> {
                    List<java.util.concurrent.CompletableFuture<JsonNode>> mine = new ArrayList<>();
                    for (int i = 0; i < each; i++) {
                        mine.add(c.increment("/counters/hits", "n", 1));
                    }
                    mine.forEach(f -> values.add(f.join().asLong()));
                });
                threads.add(t);
                t.start();
            }
            for (Thread t : threads) {
                t.join(30_000);
            }
        } finally {
            clients.forEach(InProcessClient::close);
        }
        int total = writers * each;
        assertThat(values).hasSize(total).doesNotHaveDuplicates();
        assertThat(client.get("/counters/hits").join().data()).isEqualTo(j("{'n':" + total + "}"));
        await().atMost(Duration.ofSeconds(10)).until(() -> events.size() == total);
        assertThat(events).extracting(Event::type).containsOnly(EventType.SET);
        assertThat(events.get(total - 1).data()).isEqualTo(j("{'n':" + total + "}"));
        assertThat(events).extracting(e -> e.data().get("n").asLong()).doesNotHaveDuplicates();
    }

    @Test
    void incrementRefusesBadInputAndNonNumbersNamingTheField() {
        client.set("/c/1", j("{'label':'x'}")).join();
        long offset = engine.store().lastOffset();
        SwitchboardException e = (SwitchboardException) org.assertj.core.api.Assertions.catchThrowableOfType(
                () -> client.increment("/c/1", "label", 1).join(), CompletionException.class).getCause();
        assertThat(e.code()).isEqualTo(ErrorCode.VALIDATION_FAILED);
        assertThat(e.getMessage()).contains("'label'");
        assertThat(codeOf(() -> client.request("increment", j("{'path':'/c/1','field':'n','by':'1'}")).join()))
                .isEqualTo(ErrorCode.BAD_REQUEST);
        assertThat(codeOf(() -> client.request("increment", j("{'path':'/c/1','field':'a..b'}")).join()))
                .isEqualTo(ErrorCode.BAD_REQUEST);
        assertThat(codeOf(() -> client.request("increment", j("{'path':'/c/*','field':'n'}")).join()))
                .isEqualTo(ErrorCode.BAD_REQUEST);
        assertThat(engine.store().lastOffset()).isEqualTo(offset);
        JsonNode reply = client.request("increment", j("{'path':'/c/1','field':'n'}")).join();
        assertThat(reply.get("value").asInt()).isEqualTo(1);
        assertThat(reply.get("field").asText()).isEqualTo("n");
        assertThat(reply.get("meta").get("version").asLong()).isEqualTo(2);
        assertThat(reply.get("offset").asLong()).isEqualTo(offset + 1);
    }

    @Test
    void countSnapshotAndTargetSessions() {
        client.set("/s/1", j("{'v':1}")).join();
        List<Event> got = new CopyOnWriteArrayList<>();
        ClientSubscription sub = client.subscribe("/s/*", j("{'count':2,'initial':'snapshot'}"), got::add).join();
        assertThat(sub.reply().get("items")).hasSize(1);
        try (InProcessClient other = InProcessClient.connect(pipeline)) {
            List<Event> otherGot = new CopyOnWriteArrayList<>();
            other.subscribe("/s/*", null, otherGot::add).join();
            ObjectNode only = Json.object();
            only.putArray("targetSessions").add(other.session().id());
            client.publish("/s/x", j("{'private':true}"), only).join();
            client.publish("/s/y", j("{}")).join();
            client.publish("/s/z", j("{}")).join();
            client.publish("/s/w", j("{}")).join();
            await().until(() -> otherGot.size() == 4);
            assertThat(got).extracting(Event::path).containsExactly("/s/y", "/s/z");
        }
    }

    /**
     * The recovery test: a subscriber that resumes {@code since} an offset while a writer keeps
     * writing receives every event after that offset exactly once, in offset order.
     */
    @Test
    void resumeSinceWhileWritesContinueIsGaplessAndExact() throws Exception {
        int total = 3000;
        List<Long> firstRun = Collections.synchronizedList(new ArrayList<>());
        ClientSubscription first = client.subscribe("/feed/*", null, e -> firstRun.add(e.offset())).join();
        String epoch = first.reply().get("epoch").asText();
        try (InProcessClient writer = InProcessClient.connect(pipeline)) {
            Thread w = new Thread(() -> {
                for (int i = 0; i < total; i++) {
                    writer.publish("/feed/" + (i % 7), Json.object().put("i", i)).join();
                }
            });
            w.start();
            await().until(() -> firstRun.size() >= 500);
            first.unsubscribe().join();
            long resumeAfter;
            synchronized (firstRun) {
                resumeAfter = firstRun.get(firstRun.size() - 1);
            }
            List<Event> resumed = new CopyOnWriteArrayList<>();
            ClientSubscription second = client.subscribe("/feed/*",
                    j("{'since':{'epoch':'" + epoch + "','offset':" + resumeAfter + "}}"), resumed::add).join();
            assertThat(second.reply().get("recovered").asBoolean()).isTrue();
            w.join();
            long lastWritten = engine.store().lastOffset();
            await().atMost(Duration.ofSeconds(20)).until(() -> !resumed.isEmpty()
                    && resumed.get(resumed.size() - 1).offset() == lastWritten);
            List<Long> offsets = resumed.stream().map(Event::offset).toList();
            List<Long> expected = new ArrayList<>();
            for (long o = resumeAfter + 1; o <= lastWritten; o++) {
                expected.add(o);
            }
            assertThat(offsets).isEqualTo(expected);
        }
    }

    @Test
    void staleEpochIsNotRecovered() {
        client.publish("/x", j("{}")).join();
        ClientSubscription s = client.subscribe("/x", j("{'since':{'epoch':'other','offset':0}}"), e -> { }).join();
        assertThat(s.reply().get("recovered").asBoolean()).isFalse();
    }

    @Test
    void scheduledPublishFiresAndCanBeCancelled() {
        List<Event> got = new CopyOnWriteArrayList<>();
        client.subscribe("/sched/*", null, got::add).join();
        long now = System.currentTimeMillis();
        var soon = client.publish("/sched/a", j("{'n':1}"), Json.object().put("at", now + 300)).join();
        var later = client.publish("/sched/b", j("{'n':2}"), Json.object().put("at", now + 60_000)).join();
        assertThat(soon.scheduled()).isTrue();
        client.cancel(later.id()).join();
        await().atMost(Duration.ofSeconds(5)).until(() -> got.size() == 1);
        assertThat(got.get(0).id()).isEqualTo(soon.id());
        assertThat(got.get(0).ts()).isGreaterThanOrEqualTo(now + 300);
        assertThat(codeOf(() -> client.cancel(soon.id()).join())).isEqualTo(ErrorCode.CONFLICT);
        assertThat(codeOf(() -> client.cancel("nope").join())).isEqualTo(ErrorCode.NOT_FOUND);
        ObjectNode targeted = Json.object().put("at", now + 60_000);
        targeted.putArray("targetSessions").add(client.session().id());
        assertThat(codeOf(() -> client.publish("/sched/c", j("{}"), targeted).join())).isEqualTo(ErrorCode.BAD_REQUEST);
    }

    @Test
    void scheduledEventDueWhileDownFiresAfterRestart() throws Exception {
        long at = System.currentTimeMillis() + 400;
        var p = client.publish("/restart/x", j("{'n':1}"), Json.object().put("at", at)).join();
        stop();
        Thread.sleep(Math.max(0, at - System.currentTimeMillis()) + 100);
        open();
        await().atMost(Duration.ofSeconds(5)).until(() ->
                client.history("/restart/*", null).join().get("events").size() == 1);
        JsonNode ev = client.history("/restart/*", null).join().get("events").get(0);
        assertThat(ev.get("id").asText()).isEqualTo(p.id());
    }

    @Test
    void deferredAndAcknowledgedConsistency() {
        List<ObjectNode> system = new CopyOnWriteArrayList<>();
        client.onSystem(system::add);
        try (InProcessClient sub1 = InProcessClient.connect(pipeline); InProcessClient sub2 = InProcessClient.connect(pipeline)) {
            sub1.subscribe("/c/*", null, e -> { }).join();
            sub2.subscribe("/c/*", null, e -> { }).join();
            JsonNode acked = client.request("publish", j("{'path':'/c/1','data':1,'consistency':'acknowledged'}")).join();
            assertThat(acked.get("queued").asInt()).isEqualTo(2);
            assertThat(acked.get("delivered").asInt()).isEqualTo(2);
            assertThat(acked.get("acknowledged").asInt()).isEqualTo(2);
            assertThat(acked.get("failed").asInt()).isZero();
            client.request("set", j("{'path':'/c/2','data':{},'consistency':'deferred'}")).join();
            await().until(() -> system.stream().anyMatch(m -> m.path("sys").asText().equals("published")));
            ObjectNode published = system.stream().filter(m -> m.path("sys").asText().equals("published")).findFirst().orElseThrow();
            assertThat(published.get("delivered").asInt()).isEqualTo(2);
        }
    }

    @Test
    void acknowledgedTimesOutWhenNobodyAcks() {
        // A raw session whose sink accepts pushes but never acks.
        RecordingSink silentSink = new RecordingSink();
        var silent = pipeline.openStateful(silentSink, "test", 0);
        pipeline.handle(silent, j("{'id':0,'op':'connect'}"));
        pipeline.handle(silent, j("{'id':1,'op':'subscribe','pattern':'/t/*'}"));
        await().until(() -> silentSink.replies.size() == 2);
        JsonNode r = client.request("publish", j("{'path':'/t/1','data':1,'consistency':'acknowledged','ackTimeout':200}")).join();
        assertThat(r.get("delivered").asInt()).isEqualTo(1);
        assertThat(r.get("acknowledged").asInt()).isZero();
        assertThat(r.get("failed").asInt()).isEqualTo(1);
    }

    @Test
    void historyWindowsAndLongPoll() throws Exception {
        long t0 = System.currentTimeMillis();
        for (int i = 0; i < 5; i++) {
            client.publish("/h/" + i, Json.object().put("i", i)).join();
        }
        JsonNode all = client.history("/h/*", null).join();
        assertThat(all.get("events")).hasSize(5);
        long second = all.get("events").get(1).get("offset").asLong();
        JsonNode window = client.history("/h/*", j("{'since':" + second + ",'limit':2}")).join();
        assertThat(window.get("events")).hasSize(2);
        assertThat(window.get("events").get(0).get("offset").asLong()).isEqualTo(second + 1);
        JsonNode byTime = client.history("/h/*", j("{'sinceTs':" + t0 + "}")).join();
        assertThat(byTime.get("events")).hasSize(5);
        long last = all.get("offset").asLong();
        var waiting = client.history("/h/*", j("{'since':" + last + ",'wait':10}"));
        Thread.sleep(200);
        assertThat(waiting).isNotDone();
        client.publish("/h/late", j("{}")).join();
        JsonNode woke = waiting.get(5, java.util.concurrent.TimeUnit.SECONDS);
        assertThat(woke.get("events")).hasSize(1);
        assertThat(woke.get("events").get(0).get("path").asText()).isEqualTo("/h/late");
    }

    @Test
    void opsBeforeConnectAreUnauthenticated() {
        RecordingSink sink = new RecordingSink();
        List<SwitchboardException> errors = sink.errors;
        var s = pipeline.openStateful(sink, "test", 0);
        pipeline.handle(s, j("{'id':1,'op':'get','path':'/a'}"));
        await().until(() -> errors.size() == 1);
        assertThat(errors.get(0).code()).isEqualTo(ErrorCode.UNAUTHENTICATED);
        assertThatThrownBy(() -> client.request("get", j("{'path':'/zzz'}")).join()).hasCauseInstanceOf(SwitchboardException.class);
    }
}
