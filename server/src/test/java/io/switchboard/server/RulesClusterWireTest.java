package io.switchboard.server;

import com.fasterxml.jackson.databind.JsonNode;
import io.switchboard.core.store.memory.MemoryData;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.UUID;

import static io.switchboard.server.WsClient.op;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Rules are cluster-wide: a rule put or deleted through node A's admin API acts on node B's
 * next op, because every node follows the committed {@code /_system/rules} events from the bus.
 * Two secure nodes on one shared log and a real bus.
 */
class RulesClusterWireTest {
    @TempDir
    Path dir;
    SecureCluster cluster;

    @BeforeEach
    void start() {
        cluster = new SecureCluster(dir);
    }

    @AfterEach
    void stop() throws Exception {
        cluster.close();
    }

    private SecureWire node(String bus, String channel, String id, MemoryData log) {
        return cluster.node(bus, channel, id, log);
    }

    @ParameterizedTest
    @ValueSource(strings = {"redis", "nats"})
    void aRulePutOnOneNodeActsOnAnotherAndItsDeletionLiftsIt(String bus) throws Exception {
        ClusterBusWireTest.assumeRunning(bus);
        String channel = "sb-rules-" + UUID.randomUUID();
        MemoryData log = new MemoryData();
        SecureWire a = node(bus, channel, "A", log);
        SecureWire b = node(bus, channel, "B", log);
        a.group("writers", "{'/notes/**': {'actions': ['*']}}");
        a.user("writer", null, List.of("writers"), List.of());
        WsClient onB = b.ws(ClusterSecurityWireTest.loginOnceKnown(b, "writer"));
        cluster.track(onB);
        onB.ok(op("set").put("path", "/notes/1").put("data", 1));
        a.admin("PUT", "/rules/readOnlyNotes", "{\"pattern\": \"/notes/**\", \"write\": \"false\"}");
        await().atMost(Duration.ofSeconds(10)).until(() -> {
            JsonNode r = onB.request(op("set").put("path", "/notes/2").put("data", 2));
            return r.at("/error/message").asText().contains("'readOnlyNotes'");
        });
        assertThat(b.admin("GET", "/rules/readOnlyNotes", null).get("origin").asText()).isEqualTo("admin");
        a.admin("DELETE", "/rules/readOnlyNotes", null);
        await().atMost(Duration.ofSeconds(10)).until(() ->
                onB.request(op("set").put("path", "/notes/3").put("data", 3)).path("ok").asBoolean());
    }
}
