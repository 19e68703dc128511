package io.switchboard.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.switchboard.core.json.Json;
import io.switchboard.core.store.memory.MemoryData;
import io.switchboard.core.store.memory.MemoryStore;
import io.switchboard.server.config.ConfigKeys;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import static io.switchboard.server.WsClient.op;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Delivery across nodes as on one node: a write's {@code acknowledged} reply counts (and waits
 * for) the acks of subscribers on every node, a timeout counts the missing ones as failed, a
 * {@code deferred} write's notice counts every node's deliveries, and {@code targetSessions}
 * reaches a session on another node and no one else. Three nodes on one shared log and a real
 * bus (Redis, NATS).
 */
class ClusterDeliveryWireTest {
    @TempDir
    Path dir;
    private final List<AutoCloseable> open = new ArrayList<>();

    @AfterEach
    void stop() throws Exception {
        for (int i = open.size() - 1; i >= 0; i--) {
            open.get(i).close();
        }
    }

    private SwitchboardServer node(String bus, String channel, String id, MemoryData log) {
        SwitchboardServer s = SwitchboardServer.start(TestServers.config(dir.resolve(id))
                .with(ConfigKeys.BUS_TYPE, bus).with(ConfigKeys.BUS_CHANNEL, channel)
                .with(ConfigKeys.BUS_HEARTBEAT_MS, 200L).with(ConfigKeys.CLUSTER_NODE_ID, id), b -> { }, new MemoryStore(log));
        open.add(s);
        return s;
    }

    /** A connected client on {@code s} subscribed to /d/**; returns it with its session id. */
    private record Peer(WsClient ws, String session) { }

    private Peer subscriber(SwitchboardServer s) {
        WsClient c = WsClient.open(s.port());
        open.add(c);
        String session = c.ok(op("connect")).get("session").asText();
        c.ok(op("subscribe").put("pattern", "/d/**"));
        return new Peer(c, session);
    }

    private static ObjectNode set(String path, String consistency) {
        return op("set").put("path", path).put("consistency", consistency).set("data", Json.object().put("v", 1));
    }

    private static void ack(WsClient c, String path) {
        JsonNode push = c.next(m -> path.equals(m.path("event").path("path").asText()), "push of " + path);
        assertThat(push.path("ack").asBoolean()).as("the push asks for an ack").isTrue();
        c.ok(op("ack").put("offset", push.at("/event/offset").asLong()));
    }

    @ParameterizedTest
    @ValueSource(strings = {"redis", "nats"})
    void countsAcksAndTargetsSessionsOnEveryNode(String bus) {
        ClusterBusWireTest.assumeRunning(bus);
        String channel = "sb-deliveries-" + UUID.randomUUID();
        MemoryData log = new MemoryData();
        String idA = "A-" + UUID.randomUUID();
        String idB = "B-" + UUID.randomUUID();
        String idC = "C-" + UUID.randomUUID();
        SwitchboardServer a = node(bus, channel, idA, log);
        SwitchboardServer b = node(bus, channel, idB, log);
        SwitchboardServer c = node(bus, channel, idC, log);
        await().until(() -> a.engine().bus().peers().containsAll(List.of(idB, idC)));
        Peer onA = subscriber(a);
        Peer onB = subscriber(b);
        Peer onC = subscriber(c);
        WsClient writer = WsClient.connected(a.port());
        open.add(writer);

        // acknowledged: the reply waits for the acks of all three nodes' subscribers
        long id = 1_000;
        writer.sendText(Json.write(set("/d/all", "acknowledged").put("ackTimeout", 20_000).put("id", id)));
        for (Peer p : List.of(onA, onB, onC)) {
            ack(p.ws(), "/d/all");
        }
        JsonNode counts = writer.awaitReply(id).get("result");
        assertThat(counts.path("queued").asInt()).isEqualTo(3);
        assertThat(counts.path("delivered").asInt()).isEqualTo(3);
        assertThat(counts.path("acknowledged").asInt()).isEqualTo(3);
        assertThat(counts.path("failed").asInt()).isZero();

        // a subscriber on C that never acks counts as failed when the timeout passes
        writer.sendText(Json.write(set("/d/late", "acknowledged").put("ackTimeout", 1_500).put("id", id + 1)));
        ack(onA.ws(), "/d/late");
        ack(onB.ws(), "/d/late");
        onC.ws().next(m -> "/d/late".equals(m.path("event").path("path").asText()), "push of /d/late on C");
        counts = writer.awaitReply(id + 1).get("result");
        assertThat(counts.path("queued").asInt()).isEqualTo(3);
        assertThat(counts.path("acknowledged").asInt()).isEqualTo(2);
        assertThat(counts.path("failed").asInt()).isEqualTo(1);

        // deferred: the published notice counts every node's deliveries
        JsonNode deferred = writer.request(set("/d/deferred", "deferred"));
        assertThat(deferred.path("ok").asBoolean()).isTrue();
        JsonNode notice = writer.next(m -> "published".equals(m.path("sys").asText()), "published notice");
        assertThat(notice.toString()).contains("\"queued\":3").contains("\"delivered\":3");

        // targetSessions: a session on node B, written for on node A, and no one else
        ObjectNode targeted = op("publish").put("path", "/d/for-b").put("data", 1);
        targeted.set("targetSessions", Json.MAPPER.createArrayNode().add(onB.session()));
        writer.ok(targeted);
        writer.ok(op("publish").put("path", "/d/for-all").put("data", 2));
        assertThat(onB.ws().next(m -> m.has("event") && !m.path("event").path("path").asText().startsWith("/d/d")
                && !m.path("event").path("path").asText().equals("/d/all")
                && !m.path("event").path("path").asText().equals("/d/late"), "targeted push")
                .at("/event/path").asText()).isEqualTo("/d/for-b");
        for (Peer other : List.of(onA, onC)) {
            JsonNode next = other.ws().next(m -> m.has("event") && m.path("event").path("path").asText().startsWith("/d/for-"),
                    "the next /d/for- push");
            assertThat(next.at("/event/path").asText()).isEqualTo("/d/for-all");
        }
    }
}
