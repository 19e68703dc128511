package io.switchboard.client;

import com.fasterxml.jackson.databind.JsonNode;
import io.switchboard.core.client.ClientSubscription;
import io.switchboard.core.json.Json;
import io.switchboard.core.model.Event;
import io.switchboard.server.SwitchboardServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** Reconnect, resubscribe with {@code since}, and failover between servers. */
class ReconnectE2ETest {
    private static final Duration LONG = Duration.ofSeconds(60);

    @TempDir
    Path dir;
    @TempDir
    Path dir2;

    /** Every event exactly once, in offset order, with the payloads 0..n-1. */
    private static void assertExactlyOnceInOrder(List<Event> got, int n) {
        assertThat(got).hasSize(n);
        assertThat(got).extracting(Event::offset).isSorted().doesNotHaveDuplicates();
        for (int i = 0; i < n; i++) {
            assertThat(got.get(i).data().path("i").asInt()).as("event %d", i).isEqualTo(i);
        }
    }

    @Test
    void connectionDropsWhileWritesContinueLoseAndDuplicateNothing() throws Exception {
        int n = 400;
        List<JsonNode> recoveryFailures = new CopyOnWriteArrayList<>();
        try (SwitchboardServer server = TestServers.start(dir, 0);
             SwitchboardNetworkClient subscriber = SwitchboardNetworkClient.builder().address("127.0.0.1", server.port())
                     .onRecoveryFailed((s, r) -> recoveryFailures.add(r)).build().connect();
             SwitchboardNetworkClient writer = TestServers.connect(server)) {
            List<Event> got = new CopyOnWriteArrayList<>();
            ClientSubscription sub = subscriber.subscribe("/r/*", null, got::add).join();

            CompletableFuture<Void> writing = CompletableFuture.runAsync(() -> {
                for (int i = 0; i < n; i++) {
                    writer.publish("/r/x", Json.object().put("i", i)).join();
                }
            });
            // Drop the subscriber's socket several times while the writer goes on.
            for (int k = 1; k <= 4; k++) {
                int seen = k * n / 6;
                await().atMost(LONG).until(() -> got.size() >= seen || writing.isDone());
                JsonNode before = subscriber.session();
                subscriber.abortConnection();
                await().atMost(LONG).until(() -> subscriber.isConnected() && subscriber.session() != before);
            }
            writing.get();
            await().atMost(LONG).until(() -> got.size() >= n);
            assertExactlyOnceInOrder(got, n);
            assertThat(recoveryFailures).isEmpty();
            assertThat(sub.lastOffset()).isEqualTo(got.get(n - 1).offset());
        }
    }

    @Test
    void serverRestartOnTheSameDataDirAndPortIsRecovered() throws Exception {
        SwitchboardServer server = TestServers.start(dir, 0);
        int port = server.port();
        List<JsonNode> recoveryFailures = new CopyOnWriteArrayList<>();
        SwitchboardNetworkClient subscriber = SwitchboardNetworkClient.builder().address("127.0.0.1", port)
                .onRecoveryFailed((s, r) -> recoveryFailures.add(r)).build().connect();
        SwitchboardNetworkClient writer = TestServers.connect(server);
        try {
            List<Event> got = new CopyOnWriteArrayList<>();
            subscriber.subscribe("/r/*", null, got::add).join();
            for (int i = 0; i < 50; i++) {
                writer.publish("/r/x", Json.object().put("i", i)).join();
            }
            await().atMost(LONG).until(() -> got.size() == 50);

            server.close();
            await().atMost(LONG).until(() -> !subscriber.isConnected() && !writer.isConnected());
            // Issued while disconnected: waits for the reconnection instead of failing.
            CompletableFuture<?> queued = writer.publish("/r/x", Json.object().put("i", 50));
            server = TestServers.start(dir, port);
            queued.get();
            for (int i = 51; i < 100; i++) {
                writer.publish("/r/x", Json.object().put("i", i)).join();
            }
            await().atMost(LONG).until(() -> got.size() >= 100);
            assertExactlyOnceInOrder(got, 100);
            assertThat(recoveryFailures).isEmpty();
        } finally {
            subscriber.close();
            writer.close();
            server.close();
        }
    }

    @Test
    void orderedPoolFailsOverToTheNextServerAndReportsTheLostRecovery() {
        SwitchboardServer first = TestServers.start(dir, 0);
        try (SwitchboardServer second = TestServers.start(dir2, 0)) {
            AtomicReference<ClientSubscription> failed = new AtomicReference<>();
            try (SwitchboardNetworkClient client = SwitchboardNetworkClient.builder()
                    .address("127.0.0.1", first.port()).address("127.0.0.1", second.port())
                    .strategy(AddressStrategy.ORDERED).onRecoveryFailed((s, r) -> failed.set(s)).build().connect();
                 SwitchboardNetworkClient writer = TestServers.connect(second)) {
                assertThat(client.connectedAddress().port()).isEqualTo(first.port());
                List<Event> got = new CopyOnWriteArrayList<>();
                ClientSubscription sub = client.subscribe("/f/*", null, got::add).join();
                client.set("/f/one", Json.object().put("i", 0)).join();
                await().atMost(LONG).until(() -> got.size() == 1);

                first.close();
                await().atMost(LONG).until(() -> client.connectedAddress() != null
                        && client.connectedAddress().port() == second.port());
                // Another server has another epoch: it cannot replay, and says so.
                await().atMost(LONG).until(() -> failed.get() == sub);
                writer.publish("/f/two", Json.object().put("i", 1)).join();
                await().atMost(LONG).until(() -> got.size() == 2);
                assertThat(got.get(1).path()).isEqualTo("/f/two");
                assertThat(client.count("/f/*", null).join()).isZero();
            }
        } finally {
            first.close();
        }
    }

    @Test
    void randomPoolConnectsToOneOfTheServers() {
        try (SwitchboardServer a = TestServers.start(dir, 0); SwitchboardServer b = TestServers.start(dir2, 0);
             SwitchboardNetworkClient client = SwitchboardNetworkClient.builder()
                     .address("127.0.0.1", a.port()).address("127.0.0.1", b.port())
                     .strategy(AddressStrategy.RANDOM).build().connect()) {
            assertThat(client.connectedAddress().port()).isIn(a.port(), b.port());
            assertThat(client.set("/x", Json.object()).join().path()).isEqualTo("/x");
        }
    }
}
