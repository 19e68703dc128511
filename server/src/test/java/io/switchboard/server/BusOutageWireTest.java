package io.switchboard.server;

import io.switchboard.core.testing.CuttableProxy;
import io.switchboard.core.json.Json;
import io.switchboard.core.store.memory.MemoryData;
import io.switchboard.core.store.memory.MemoryStore;
import io.switchboard.server.config.ConfigKeys;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import static io.switchboard.server.WsClient.op;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A node whose bus goes away (a TCP relay in front of Redis or NATS, cut and restored on the same
 * port): {@code /ready} answers 503 while the bus is down and 200 once the node has reconnected
 * by itself, the node keeps serving writes meanwhile, and a peer's writes made during the cut
 * reach the node's subscriber afterwards, in order, from the log.
 */
class BusOutageWireTest {
    @TempDir
    Path dir;
    private final List<AutoCloseable> open = new ArrayList<>();

    @AfterEach
    void stop() throws Exception {
        for (int i = open.size() - 1; i >= 0; i--) {
            open.get(i).close();
        }
    }

    private SwitchboardServer node(String bus, String url, String channel, String id, MemoryData log) {
        String key = bus.equals("redis") ? ConfigKeys.BUS_REDIS_URL : ConfigKeys.BUS_NATS_URL;
        SwitchboardServer s = SwitchboardServer.start(TestServers.config(dir.resolve(id))
                .with(ConfigKeys.BUS_TYPE, bus).with(key, url).with(ConfigKeys.BUS_CHANNEL, channel)
                .with(ConfigKeys.BUS_HEARTBEAT_MS, 200L).with(ConfigKeys.CLUSTER_NODE_ID, id), b -> { }, new MemoryStore(log));
        open.add(s);
        return s;
    }

    @ParameterizedTest
    @ValueSource(strings = {"redis", "nats"})
    void readyIsFalseWhileTheBusIsDownAndTrueAgainAfter(String bus) throws Exception {
        ClusterBusWireTest.assumeRunning(bus);
        CuttableProxy relay = new CuttableProxy(bus.equals("redis") ? 6379 : 4222);
        open.add(relay);
        String channel = "sb-outage-" + UUID.randomUUID();
        MemoryData log = new MemoryData();
        SwitchboardServer cut = node(bus, bus + "://127.0.0.1:" + relay.port(), channel, "cut-" + UUID.randomUUID(), log);
        SwitchboardServer peer = node(bus, bus + "://127.0.0.1:" + (bus.equals("redis") ? 6379 : 4222), channel,
                "peer-" + UUID.randomUUID(), log);
        assertThat(ready(cut.port())).isEqualTo(200);
        WsClient subscriber = WsClient.connected(cut.port());
        open.add(subscriber);
        subscriber.ok(op("subscribe").put("pattern", "/o/**"));
        WsClient onPeer = WsClient.connected(peer.port());
        open.add(onPeer);

        relay.cut();
        await().atMost(Duration.ofSeconds(10)).until(() -> ready(cut.port()) == 503);
        assertThat(ready(peer.port())).isEqualTo(200);
        // the cut node still writes and reads; the peer's writes wait for it in the log
        subscriber.ok(op("set").put("path", "/o/own").set("data", Json.object().put("n", 0)));
        for (int i = 1; i <= 5; i++) {
            onPeer.ok(op("set").put("path", "/o/peer" + i).set("data", Json.object().put("n", i)));
        }
        assertThat(subscriber.nextPush().at("/event/path").asText()).isEqualTo("/o/own");

        relay.restore();
        await().atMost(Duration.ofSeconds(15)).until(() -> ready(cut.port()) == 200);
        List<Integer> got = new ArrayList<>();
        for (int i = 1; i <= 5; i++) {
            got.add(subscriber.nextPush().at("/event/data/n").asInt());
        }
        assertThat(got).containsExactly(1, 2, 3, 4, 5);
    }

    static int ready(int port) throws IOException {
        try (Socket sock = new Socket("127.0.0.1", port)) {
            OutputStream out = sock.getOutputStream();
            out.write(("GET /ready HTTP/1.1\r\nHost: x\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            out.flush();
            return RawHttp.read(sock.getInputStream()).status();
        }
    }
}
