package io.switchboard.client;

import com.fasterxml.jackson.databind.JsonNode;
import io.switchboard.core.json.Json;
import io.switchboard.core.model.Event;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * kill -9 of a node while clients are connected to it. Three child JVMs of the built server jar
 * share one PostgreSQL schema and a bus (Redis, NATS). The Java client's ordered pool is
 * connected to the node that leads the scheduler; that node is killed mid-stream. The client
 * fails over to another node and, resuming with {@code since}, receives exactly the events it
 * missed, none twice, none missing, in offset order; every write acknowledged before the kill
 * (by the dead node too) is in the log; and the scheduled publishes due while the lead passes to
 * another node fire, each once.
 */
class ClusterFailoverTest {
    private static final String PG_URL = "jdbc:postgresql://127.0.0.1:5432/test";
    private static final Duration LONG = Duration.ofSeconds(60);

    @TempDir
    Path dir;
    private final String schema = "sbfail_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
    private final List<AutoCloseable> open = new ArrayList<>();

    @AfterEach
    void stop() throws Exception {
        for (int i = open.size() - 1; i >= 0; i--) {
            open.get(i).close();
        }
        try (Connection c = DriverManager.getConnection(PG_URL, "postgres", null); Statement s = c.createStatement()) {
            s.execute("DROP SCHEMA IF EXISTS " + schema + " CASCADE");
        }
    }

    private static void assume(int port, String what) {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress("127.0.0.1", port), 1000);
        } catch (IOException e) {
            Assumptions.abort(what + " is not running on 127.0.0.1:" + port + ": skipping the kill -9 failover test");
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"redis", "nats"})
    void aClientOfAKilledNodeFailsOverAndMissesNothing(String bus) throws Exception {
        assume(5432, "PostgreSQL");
        assume(bus.equals("redis") ? 6379 : 4222, bus.equals("redis") ? "Redis" : "NATS");
        Assumptions.assumeTrue(Files.isRegularFile(NodeProcess.JAR),
                "no server jar at " + NodeProcess.JAR.toAbsolutePath() + " (build it with mvn package -pl server -am)");
        Map<String, String> env = new HashMap<>();
        env.put("SWITCHBOARD_STORE_TYPE", "postgres");
        env.put("SWITCHBOARD_STORE_POSTGRES_URL", PG_URL);
        env.put("SWITCHBOARD_STORE_POSTGRES_SCHEMA", schema);
        env.put("SWITCHBOARD_STORE_POSTGRES_POOL_SIZE", "3");
        env.put("SWITCHBOARD_BUS_TYPE", bus);
        env.put("SWITCHBOARD_BUS_CHANNEL", "sb-failover-" + UUID.randomUUID());
        env.put("SWITCHBOARD_BUS_HEARTBEAT_MS", "200");
        List<NodeProcess> nodes = new ArrayList<>();
        for (int i = 1; i <= 3; i++) {
            NodeProcess n = NodeProcess.start("n" + i + "-" + UUID.randomUUID().toString().substring(0, 6),
                    dir.resolve("n" + i), env);
            open.add(n);
            nodes.add(n);
        }
        nodes.forEach(NodeProcess::port);
        NodeProcess victim = nodes.stream().filter(NodeProcess::logsLead).findFirst().orElseThrow(
                () -> new AssertionError("no node took the scheduler lead"));
        List<NodeProcess> others = nodes.stream().filter(n -> n != victim).toList();

        List<JsonNode> recoveryFailures = new CopyOnWriteArrayList<>();
        SwitchboardNetworkClient pooled = SwitchboardNetworkClient.builder()
                .onRecoveryFailed((sub, reply) -> recoveryFailures.add(reply))
                .address("127.0.0.1", victim.port()).address("127.0.0.1", others.get(0).port())
                .address("127.0.0.1", others.get(1).port()).strategy(AddressStrategy.ORDERED)
                .backoff(Duration.ofMillis(50), Duration.ofMillis(500)).build().connect();
        open.add(pooled);
        SwitchboardNetworkClient writer = SwitchboardNetworkClient.builder()
                .address("127.0.0.1", others.get(0).port()).build().connect();
        open.add(writer);
        assertThat(pooled.connectedAddress().port()).isEqualTo(victim.port());
        List<Event> got = new CopyOnWriteArrayList<>();
        pooled.subscribe("/f/**", null, got::add).join();

        // writes acknowledged by the node about to die
        Set<String> acked = ConcurrentHashMap.newKeySet();
        for (int i = 0; i < 20; i++) {
            pooled.set("/f/v/" + i, Json.object().put("i", i)).join();
            acked.add("/f/v/" + i);
        }
        // a writer on another node goes on across the kill
        int total = 300;
        CompletableFuture<Void> writing = CompletableFuture.runAsync(() -> {
            for (int i = 0; i < total; i++) {
                writer.set("/f/w/" + i, Json.object().put("i", i)).join();
                acked.add("/f/w/" + i);
            }
        });
        await().atMost(LONG).until(() -> got.size() >= 60 || writing.isDone());
        // scheduled through the leader, due while it is dead and the lead changes hands
        long at = System.currentTimeMillis() + 600;
        for (int k = 0; k < 10; k++) {
            pooled.publish("/f/sched/" + k, Json.object().put("k", k),
                    Json.object().put("at", at + k * 100L)).join();
        }
        // in flight as it dies: may or may not be applied, so not counted as acknowledged
        for (int i = 20; i < 30; i++) {
            String path = "/f/v/" + i;
            pooled.set(path, Json.object().put("i", i)).thenRun(() -> acked.add(path));
        }
        victim.kill9();

        await().atMost(LONG).until(() -> pooled.isConnected() && pooled.connectedAddress().port() != victim.port());
        writing.get(120, TimeUnit.SECONDS);
        await().atMost(LONG).until(() -> others.stream().anyMatch(NodeProcess::logsLead));

        // the log, read on a node that lived: every /f/ event, in offset order
        List<Long> logOffsets = new ArrayList<>();
        List<String> logPaths = new ArrayList<>();
        await().atMost(LONG).until(() -> {
            readLog(writer, logOffsets, logPaths);
            return logPaths.stream().filter(p -> p.startsWith("/f/sched/")).count() >= 10;
        });
        await().atMost(LONG).until(() -> got.size() >= logOffsets.size());
        assertThat(got).extracting(Event::offset).as("what the pooled client received is the log, exactly")
                .containsExactlyElementsOf(logOffsets);
        assertThat(logPaths).as("every acknowledged write is in the log").containsAll(acked);
        assertThat(logPaths.stream().filter(p -> p.startsWith("/f/sched/")).toList()).as("each scheduled publish fired once")
                .containsExactlyInAnyOrder("/f/sched/0", "/f/sched/1", "/f/sched/2", "/f/sched/3", "/f/sched/4",
                        "/f/sched/5", "/f/sched/6", "/f/sched/7", "/f/sched/8", "/f/sched/9");
        assertThat(recoveryFailures).isEmpty();
        // and nothing arrives after: none twice
        pooled.request("ping", Json.object()).join();
        assertThat(got).hasSize(logOffsets.size());
    }

    private static void readLog(SwitchboardNetworkClient c, List<Long> offsets, List<String> paths) {
        offsets.clear();
        paths.clear();
        long since = 0;
        while (true) {
            JsonNode page = c.history("/f/**", Json.object().put("since", since).put("limit", 500)).join();
            for (JsonNode e : page.path("events")) {
                offsets.add(e.path("offset").asLong());
                paths.add(e.path("path").asText());
            }
            if (!page.path("more").asBoolean(false) || page.path("events").isEmpty()) {
                return;
            }
            since = offsets.get(offsets.size() - 1);
        }
    }
}
