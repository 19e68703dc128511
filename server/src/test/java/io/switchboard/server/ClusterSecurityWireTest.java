package io.switchboard.server;

import com.fasterxml.jackson.databind.JsonNode;
import io.switchboard.core.store.memory.MemoryData;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.file.Path;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import static io.switchboard.server.WsClient.op;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Security is cluster-wide: what the admin API changes on node A acts on node B's sessions at
 * once, because every node's security cache follows the committed {@code /_system} events from
 * the bus (or the log). Two secure nodes on one shared log and a real bus.
 */
class ClusterSecurityWireTest {
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
    void aRevocationOnOneNodeDisconnectsTheUserOnAnother(String bus) throws Exception {
        ClusterBusWireTest.assumeRunning(bus);
        String channel = "sb-sec-" + UUID.randomUUID();
        MemoryData log = new MemoryData();
        SecureWire a = node(bus, channel, "A", log);
        SecureWire b = node(bus, channel, "B", log);
        a.group("readers", "{'/news/**': {'actions': ['get', 'on']}}");
        a.user("reader", null, List.of("readers"), List.of());
        WsClient onB = b.ws(loginOnceKnown(b, "reader"));
        cluster.track(onB);
        onB.ok(op("subscribe").put("pattern", "/news/**"));
        a.admin("POST", "/users/reader-id/revoke", null);
        JsonNode bye = onB.next(m -> "disconnect".equals(m.path("sys").asText()), "disconnect");
        assertThat(bye.get("reason").asText()).isIn("token-revoked", "user-revoked");
        assertThat(onB.closeCode.orTimeout(5, TimeUnit.SECONDS).join()).isEqualTo(1000);
        // and the revoked user cannot log in on either node
        assertThat(b.send("POST", "/api/auth/login", "{\"username\":\"reader\",\"password\":\"password-reader\"}")
                .statusCode()).isEqualTo(401);
    }

    @ParameterizedTest
    @ValueSource(strings = {"redis", "nats"})
    void aPermissionRemovedOnOneNodeStopsDeliveriesOnAnotherAtTheNextEvent(String bus) throws Exception {
        ClusterBusWireTest.assumeRunning(bus);
        String channel = "sb-sec-" + UUID.randomUUID();
        MemoryData log = new MemoryData();
        SecureWire a = node(bus, channel, "A", log);
        SecureWire b = node(bus, channel, "B", log);
        a.group("readers", "{'/news/**': {'actions': ['get', 'on']}}");
        a.user("reader", null, List.of("readers"), List.of());
        WsClient onB = b.ws(loginOnceKnown(b, "reader"));
        cluster.track(onB);
        onB.ok(op("subscribe").put("pattern", "/news/**"));
        WsClient adminOnA = a.ws(a.login("admin", SecureWire.ADMIN_PW));
        cluster.track(adminOnA);
        adminOnA.ok(op("set").put("path", "/news/1").put("data", 1));
        assertThat(onB.nextPush().at("/event/path").asText()).isEqualTo("/news/1");
        a.group("readers", "{'/other/**': {'actions': ['get', 'on']}}");
        adminOnA.ok(op("set").put("path", "/news/2").put("data", 2));
        adminOnA.ok(op("set").put("path", "/news/3").put("data", 3));
        // the marker: a write B's reader may still see, so we know B has processed /news/2 and /news/3
        a.group("readers", "{'/other/**': {'actions': ['get', 'on']}, '/news/marker': {'actions': ['get', 'on']}}");
        adminOnA.ok(op("set").put("path", "/news/marker").put("data", 0));
        assertThat(onB.nextPush().at("/event/path").asText()).isEqualTo("/news/marker");
    }

    /**
     * Logs in on {@code node} once the user created through another node has reached it over the
     * bus (until then the login is refused as unknown); 10 s at most.
     */
    static String loginOnceKnown(SecureWire node, String username) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (true) {
            var r = node.send("POST", "/api/auth/login", "{\"username\":\"" + username + "\",\"password\":\"password-"
                    + username + "\"}");
            if (r.statusCode() == 200 || System.nanoTime() > deadline) {
                return SecureWire.json(r).path("token").asText(null) != null ? SecureWire.json(r).get("token").asText()
                        : node.login(username);
            }
            Thread.sleep(20);
        }
    }
}
