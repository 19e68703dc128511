package io.switchboard.client;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.switchboard.core.client.ClientSubscription;
import io.switchboard.core.client.SwitchboardClient;
import io.switchboard.core.error.ErrorCode;
import io.switchboard.core.error.SwitchboardException;
import io.switchboard.core.json.Json;
import io.switchboard.core.model.Document;
import io.switchboard.core.model.Event;
import io.switchboard.core.model.EventType;
import io.switchboard.server.SwitchboardServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/** Every client operation against a real server on an ephemeral port. */
class ClientOperationsE2ETest {
    @TempDir
    Path dir;
    SwitchboardServer server;
    SwitchboardNetworkClient client;
    BlockingSwitchboardClient blocking;

    @BeforeEach
    void start() {
        server = TestServers.start(dir, 0);
        client = TestServers.connect(server);
        blocking = new BlockingSwitchboardClient(client);
    }

    @AfterEach
    void stop() {
        client.close();
        server.close();
    }

    @Test
    void incrementReturnsTheNewValueAndRefusesANonNumber() {
        assertThat(blocking.increment("/stats/page", "views", 2).asLong()).isEqualTo(2);
        assertThat(client.increment("/stats/page", "views", 3).join().asLong()).isEqualTo(5);
        assertThat(blocking.increment("/stats/page", "time.total", 0.5).asDouble()).isEqualTo(0.5);
        assertThat(blocking.get("/stats/page").data()).isEqualTo(Json.parseTrusted("{\"views\":5,\"time\":{\"total\":0.5}}"));
        blocking.set("/stats/label", Json.object().put("views", "many"));
        assertThatThrownBy(() -> blocking.increment("/stats/label", "views", 1))
                .isInstanceOfSatisfying(SwitchboardException.class, e -> {
                    assertThat(e.code()).isEqualTo(ErrorCode.VALIDATION_FAILED);
                    assertThat(e.getMessage()).contains("'views'");
                });
    }

    @Test
    void connectReplyCarriesTheSession() {
        assertThat(client.isConnected()).isTrue();
        assertThat(client.session().has("epoch")).isTrue();
        assertThat(client.connectedAddress().port()).isEqualTo(server.port());
    }

    @Test
    void setGetMergeRemove() {
        SwitchboardClient.SetResult set = blocking.set("/users/1", Json.object().put("name", "ann").put("age", 30));
        assertThat(set.path()).isEqualTo("/users/1");
        assertThat(set.offset()).isNotNull();
        Document d = blocking.get("/users/1");
        assertThat(d.data().path("name").asText()).isEqualTo("ann");
        assertThat(d.meta().version()).isEqualTo(1);

        blocking.merge("/users/1", Json.object().put("age", 31));
        Document merged = blocking.get("/users/1");
        assertThat(merged.data().path("name").asText()).isEqualTo("ann");
        assertThat(merged.data().path("age").asInt()).isEqualTo(31);

        assertThat(blocking.remove("/users/1")).isEqualTo(1);
        assertThatThrownBy(() -> blocking.get("/users/1"))
                .isInstanceOfSatisfying(SwitchboardException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.NOT_FOUND));
    }

    @Test
    void queryAndCount() {
        for (int i = 0; i < 5; i++) {
            blocking.set("/items/" + i, Json.object().put("n", i));
        }
        ObjectNode criteria = Json.object();
        criteria.putObject("n").put("$gte", 2);
        assertThat(blocking.count("/items/*", null)).isEqualTo(5);
        assertThat(blocking.count("/items/*", criteria)).isEqualTo(3);
        ObjectNode opts = Json.object();
        opts.set("criteria", criteria);
        SwitchboardClient.Page page = blocking.query("/items/*", opts);
        assertThat(page.total()).isEqualTo(3);
        assertThat(page.items()).extracting(Document::path)
                .containsExactlyInAnyOrder("/items/2", "/items/3", "/items/4");
        assertThat(blocking.remove("/items/*")).isEqualTo(5);
    }

    @Test
    void errorsArriveAsTheCatalogueCode() {
        blocking.set("/v", Json.object().put("x", 1));
        ExecutionException ex = org.junit.jupiter.api.Assertions.assertThrows(ExecutionException.class,
                () -> client.set("/v", Json.object().put("x", 2), Json.object().put("ifVersion", 7)).get());
        assertThat(ex.getCause()).isInstanceOf(SwitchboardException.class);
        assertThat(((SwitchboardException) ex.getCause()).code()).isEqualTo(ErrorCode.CONFLICT);
        // The blocking facade unwraps it.
        assertThatThrownBy(() -> blocking.set("/v", Json.object(), Json.object().put("ifVersion", 7)))
                .isInstanceOfSatisfying(SwitchboardException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.CONFLICT));
        assertThatThrownBy(() -> blocking.request("no-such-op", Json.object()))
                .isInstanceOfSatisfying(SwitchboardException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.BAD_REQUEST));
        // The connection stays usable after errors.
        assertThat(blocking.get("/v").data().path("x").asInt()).isEqualTo(1);
    }

    @Test
    void publishHistoryAndScheduledCancel() {
        SwitchboardClient.PublishResult p1 = blocking.publish("/chat/room", Json.object().put("text", "hi"));
        SwitchboardClient.PublishResult p2 = blocking.publish("/chat/room", Json.object().put("text", "ho"));
        assertThat(p2.offset()).isGreaterThan(p1.offset());

        JsonNode h = blocking.history("/chat/*", Json.object().put("since", p1.offset() - 1));
        assertThat(h.path("events")).hasSize(2);
        assertThat(h.path("events").get(1).path("data").path("text").asText()).isEqualTo("ho");
        assertThat(h.has("epoch")).isTrue();

        SwitchboardClient.PublishResult later = blocking.publish("/chat/room", Json.object().put("text", "later"),
                Json.object().put("at", System.currentTimeMillis() + 3_600_000));
        assertThat(later.scheduled()).isTrue();
        blocking.cancel(later.id());
        assertThatThrownBy(() -> blocking.cancel(later.id())).isInstanceOf(SwitchboardException.class);
    }

    @Test
    void subscriptionReceivesEventsInOrderAndStopsAfterUnsubscribe() {
        List<Event> got = new CopyOnWriteArrayList<>();
        ClientSubscription sub = blocking.subscribe("/feed/*", null, got::add);
        assertThat(sub.id()).isNotBlank();
        try (SwitchboardNetworkClient writer = TestServers.connect(server)) {
            for (int i = 0; i < 100; i++) {
                writer.publish("/feed/x", Json.object().put("i", i));
            }
            writer.set("/feed/doc", Json.object().put("k", 1)).join();
            await().atMost(Duration.ofSeconds(30)).until(() -> got.size() == 101);
            for (int i = 0; i < 100; i++) {
                assertThat(got.get(i).data().path("i").asInt()).isEqualTo(i);
                assertThat(got.get(i).type()).isEqualTo(EventType.PUBLISH);
            }
            assertThat(got.get(100).type()).isEqualTo(EventType.SET);
            assertThat(got).extracting(Event::offset).isSorted().doesNotHaveDuplicates();
            assertThat(sub.lastOffset()).isEqualTo(got.get(100).offset());

            blocking.unsubscribe(sub);
            writer.publish("/feed/x", Json.object().put("after", true)).join();
            // A marker subscription proves the server has dispatched the later event.
            List<Event> marker = new CopyOnWriteArrayList<>();
            blocking.subscribe("/marker", null, marker::add);
            writer.publish("/marker", null).join();
            await().atMost(Duration.ofSeconds(30)).until(() -> marker.size() == 1);
            assertThat(got).hasSize(101);
        }
    }

    @Test
    void snapshotAndSinceOnSubscribe() {
        blocking.set("/s/a", Json.object().put("v", 1));
        long first = blocking.publish("/s/p", Json.object().put("n", 1)).offset();
        blocking.publish("/s/p", Json.object().put("n", 2));
        ClientSubscription snap = blocking.subscribe("/s/*", Json.object().put("initial", "snapshot"), e -> { });
        assertThat(snap.reply().path("items")).hasSize(1);

        List<Event> got = new CopyOnWriteArrayList<>();
        ClientSubscription replay = blocking.subscribe("/s/p", Json.object().put("since", first - 1), got::add);
        assertThat(replay.reply().path("recovered").asBoolean()).isTrue();
        await().atMost(Duration.ofSeconds(30)).until(() -> got.size() == 2);
        assertThat(got).extracting(e -> e.data().path("n").asInt()).containsExactly(1, 2);
    }

    @Test
    void acknowledgedPublishIsAckedByTheListenerAutomatically() {
        List<Event> got = new CopyOnWriteArrayList<>();
        blocking.subscribe("/acked", null, got::add);
        JsonNode r = blocking.request("publish", Json.object().put("path", "/acked").put("consistency", "acknowledged")
                .put("ackTimeout", 20_000));
        assertThat(got).hasSize(1);
        assertThat(r.path("acknowledged").asInt()).isEqualTo(1);
    }

    @Test
    void requestTimeoutFailsTheFuture() {
        try (SwitchboardNetworkClient impatient = SwitchboardNetworkClient.builder().address("127.0.0.1", server.port())
                .requestTimeout(Duration.ofMillis(300)).build().connect()) {
            // A long poll on an empty pattern cannot answer within the timeout.
            assertThatThrownBy(() -> new BlockingSwitchboardClient(impatient)
                    .history("/nothing/here", Json.object().put("wait", 30)))
                    .isInstanceOfSatisfying(SwitchboardException.class,
                            e -> assertThat(e.code()).isEqualTo(ErrorCode.UNAVAILABLE));
            assertThat(impatient.isConnected()).isTrue();
        }
    }

    @Test
    void closedClientFailsRequests() {
        client.close();
        assertThatThrownBy(() -> blocking.get("/x"))
                .isInstanceOfSatisfying(SwitchboardException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.UNAVAILABLE));
    }

    @Test
    void connectFailsWhenNoServerAnswers() {
        int port = server.port();
        server.close();
        assertThatThrownBy(() -> SwitchboardNetworkClient.builder().address("127.0.0.1", port)
                .connectTimeout(Duration.ofSeconds(1)).build().connect())
                .isInstanceOfSatisfying(SwitchboardException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.UNAVAILABLE));
        server = TestServers.start(dir, 0); // for @AfterEach
    }
}
