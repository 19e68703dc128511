package io.switchboard.server;

import com.fasterxml.jackson.databind.JsonNode;
import io.lettuce.core.KillArgs;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import io.switchboard.bus.nats.NatsBus;
import io.switchboard.core.json.Json;
import io.switchboard.core.store.memory.MemoryData;
import io.switchboard.core.store.memory.MemoryStore;
import io.switchboard.server.config.ConfigException;
import io.switchboard.server.config.ConfigKeys;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import static io.switchboard.server.WsClient.op;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * Three nodes over one log and a real bus (Redis pub/sub, NATS): a subscriber on node A gets
 * every write made on B and C, in offset order, none twice, none missing, also while A's bus
 * connection is cut and restored mid-stream (what the bus lost is filled from the log). The log
 * is a {@link MemoryStore} per node on one shared {@link MemoryData}: one offset sequence in
 * commit order, each node told only of its own commits, as a shared database gives.
 */
class ClusterBusWireTest {
    @TempDir
    Path dir;
    final List<SwitchboardServer> nodes = new ArrayList<>();
    final List<WsClient> clients = new ArrayList<>();

    @AfterEach
    void stop() {
        clients.forEach(WsClient::close);
        nodes.forEach(SwitchboardServer::close);
    }

    static void assumeRunning(String bus) {
        int port = bus.equals("redis") ? 6379 : 4222;
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress("127.0.0.1", port), 1000);
        } catch (Exception e) {
            Assumptions.abort((bus.equals("redis") ? "Redis" : "NATS") + " is not running on 127.0.0.1:" + port);
        }
    }

    private SwitchboardServer node(String bus, String channel, String id, MemoryData log) {
        SwitchboardServer s = SwitchboardServer.start(TestServers.config(dir.resolve(id))
                .with(ConfigKeys.BUS_TYPE, bus).with(ConfigKeys.BUS_CHANNEL, channel)
                .with(ConfigKeys.BUS_HEARTBEAT_MS, 200L).with(ConfigKeys.CLUSTER_NODE_ID, id), b -> { }, new MemoryStore(log));
        nodes.add(s);
        return s;
    }

    private WsClient client(SwitchboardServer s) {
        WsClient c = WsClient.connected(s.port());
        clients.add(c);
        return c;
    }

    @ParameterizedTest
    @ValueSource(strings = {"redis", "nats"})
    void aSubscriberOnOneNodeGetsEveryWriteOfTheOthersInOrderAcrossABusCut(String bus) throws Exception {
        assumeRunning(bus);
        String channel = "sb-cluster-" + UUID.randomUUID();
        MemoryData log = new MemoryData();
        String idA = "A-" + UUID.randomUUID();
        SwitchboardServer a = node(bus, channel, idA, log);
        SwitchboardServer b = node(bus, channel, "B-" + UUID.randomUUID(), log);
        SwitchboardServer c = node(bus, channel, "C-" + UUID.randomUUID(), log);
        WsClient subscriber = client(a);
        subscriber.ok(op("subscribe").put("pattern", "/c/**"));
        WsClient onB = client(b);
        WsClient onC = client(c);
        int written = 0;
        for (int round = 0; round < 50 && (round < 3 || a.engine().feed().filledFromLog() == 0); round++) {
            if (round >= 2) {
                // mid-stream: what the bus carries while A is disconnected never reaches A
                cut(bus, a, idA);
                long until = System.nanoTime() + 500_000_000L;
                while (a.engine().bus().isHealthy() && System.nanoTime() < until) {
                    Thread.onSpinWait();
                }
            }
            for (int i = 0; i < 20; i++) {
                WsClient w = i % 2 == 0 ? onB : onC;
                w.ok(op("set").put("path", "/c/" + (i % 2 == 0 ? "b" : "c") + "/" + written)
                        .set("data", Json.object().put("n", written)));
                written++;
            }
        }
        final int total = written;
        assertThat(a.engine().feed().filledFromLog()).as("holes filled from the log").isPositive();
        List<Long> offsets = new ArrayList<>();
        List<Integer> seen = new ArrayList<>();
        for (int i = 0; i < total; i++) {
            JsonNode push = subscriber.nextPush();
            offsets.add(push.at("/event/offset").asLong());
            seen.add(push.at("/event/data/n").asInt());
        }
        assertThat(offsets).isSorted().doesNotHaveDuplicates();
        assertThat(seen).containsExactlyInAnyOrderElementsOf(java.util.stream.IntStream.range(0, total).boxed().toList());
        // nothing more arrives: none twice
        assertThat(subscriber.ok(op("ping")).asText()).isEqualTo("pong");
        await().atMost(Duration.ofSeconds(5)).until(() -> a.engine().bus().isHealthy());
    }

    @ParameterizedTest
    @ValueSource(strings = {"redis", "nats"})
    void scheduledPublishesFireOnceWhateverNodeRunsTheScheduler(String bus) {
        assumeRunning(bus);
        String channel = "sb-cluster-" + UUID.randomUUID();
        MemoryData log = new MemoryData();
        SwitchboardServer a = node(bus, channel, "A-" + UUID.randomUUID(), log);
        node(bus, channel, "B-" + UUID.randomUUID(), log);
        SwitchboardServer c = node(bus, channel, "C-" + UUID.randomUUID(), log);
        WsClient subscriber = client(c);
        subscriber.ok(op("subscribe").put("pattern", "/sched/**"));
        WsClient writer = client(a);
        long at = System.currentTimeMillis() + 300;
        for (int i = 0; i < 30; i++) {
            writer.ok(op("publish").put("path", "/sched/" + i).put("at", at + i * 5).put("data", i));
        }
        List<Integer> got = new ArrayList<>();
        for (int i = 0; i < 30; i++) {
            got.add(subscriber.nextPush().at("/event/data").asInt());
        }
        assertThat(got).containsExactlyInAnyOrderElementsOf(java.util.stream.IntStream.range(0, 30).boxed().toList());
        // every node's scheduler saw them due; each fired once (the store claims a due publish atomically)
        JsonNode history = subscriber.ok(op("history").put("pattern", "/sched/**"));
        assertThat(history.path("events").size()).isEqualTo(30);
    }

    @ParameterizedTest
    @ValueSource(strings = {"redis", "nats"})
    void aNodeWhoseBusIsUnreachableDoesNotStart(String bus) {
        String key = bus.equals("redis") ? ConfigKeys.BUS_REDIS_URL : ConfigKeys.BUS_NATS_URL;
        assertThatThrownBy(() -> SwitchboardServer.start(TestServers.config(dir.resolve("x")).with(ConfigKeys.BUS_TYPE, bus)
                .with(key, bus + "://127.0.0.1:1"), b -> { }, new MemoryStore()))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("bus.type " + bus + ": cannot connect to " + bus + "://127.0.0.1:1");
    }

    @ParameterizedTest
    @ValueSource(strings = {"redis", "nats"})
    void aBusWithTheOneProcessSqliteStoreDoesNotStart(String bus) {
        assertThatThrownBy(() -> SwitchboardServer.start(TestServers.config(dir.resolve("y")).with(ConfigKeys.BUS_TYPE, bus)))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("bus.type: '" + bus + "' needs a store every node shares");
    }

    @ParameterizedTest
    @ValueSource(strings = {"redis", "nats"})
    void aSecureClusterNodeNeedsTheSharedJwtSecret(String bus) {
        assertThatThrownBy(() -> SwitchboardServer.start(TestServers.secureConfig(dir.resolve("z")).with(ConfigKeys.BUS_TYPE, bus),
                b -> { }, new MemoryStore()))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("auth.jwtSecret: must be set, the same on every node, when bus.type is " + bus);
    }

    private static void cut(String bus, SwitchboardServer node, String nodeId) throws Exception {
        if (bus.equals("nats")) {
            ((NatsBus) node.engine().bus()).connection().forceReconnect();
            return;
        }
        RedisClient admin = RedisClient.create("redis://127.0.0.1:6379");
        try (StatefulRedisConnection<String, String> c = admin.connect()) {
            for (String line : c.sync().clientList().split("\n")) {
                if (line.contains(" name=switchboard:" + nodeId + " ")) {
                    String id = line.substring(line.indexOf("id=") + 3, line.indexOf(' ', line.indexOf("id=")));
                    c.sync().clientKill(KillArgs.Builder.id(Long.parseLong(id)));
                }
            }
        } finally {
            admin.shutdown();
        }
    }
}
