package io.switchboard.client;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.switchboard.core.client.ClientSubscription;
import io.switchboard.core.error.ErrorCode;
import io.switchboard.core.error.SwitchboardException;
import io.switchboard.core.json.Json;
import io.switchboard.core.model.Event;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static io.switchboard.client.ScriptedServer.error;
import static io.switchboard.client.ScriptedServer.ok;
import static io.switchboard.client.ScriptedServer.push;
import static io.switchboard.client.ScriptedServer.signedIn;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * The reconnect decisions, seen from a {@link ScriptedServer}: when to retry and when to give up,
 * what a new session signs in with, and what it resubscribes with.
 */
class ReconnectorTest {
    private static final Duration WAIT = Duration.ofSeconds(10);

    private ScriptedServer server;
    private SwitchboardNetworkClient client;

    @BeforeEach
    void start() {
        server = new ScriptedServer();
    }

    @AfterEach
    void stop() {
        if (client != null) {
            client.close();
        }
        server.close();
    }

    private ClientOptions.Builder options() {
        return SwitchboardNetworkClient.builder().address("127.0.0.1", server.port())
                .backoff(Duration.ofMillis(10), Duration.ofMillis(50))
                .requestTimeout(WAIT).connectTimeout(WAIT);
    }

    private static boolean isConnect(ScriptedServer.Received r) {
        return r.op().equals("connect");
    }

    @Test
    void refusedCredentialsFailConnectAtOnceAndAreNotRetried() throws Exception {
        server.replies = r -> isConnect(r) ? error(r.message(), "UNAUTHENTICATED") : null;
        client = options().token("wrong").build();
        long t0 = System.nanoTime();
        assertThatThrownBy(client::connect).isInstanceOfSatisfying(SwitchboardException.class,
                e -> assertThat(e.code()).isEqualTo(ErrorCode.UNAUTHENTICATED));
        assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(WAIT);
        Thread.sleep(300); // several backoff delays
        assertThat(server.connectionCount()).isEqualTo(1);
        assertThatThrownBy(() -> client.get("/x").join()).hasMessageContaining("client closed");
    }

    @Test
    void anyOtherSignInFailureIsRetriedAfterABackoff() throws Exception {
        AtomicInteger attempts = new AtomicInteger();
        server.replies = r -> !isConnect(r) ? null
                : attempts.getAndIncrement() == 0 ? error(r.message(), "INTERNAL") : signedIn(r.message(), "E");
        client = options().build().connect();
        assertThat(client.isConnected()).isTrue();
        assertThat(server.connectionCount()).isEqualTo(2);
        assertThat(client.session().path("epoch").asText()).isEqualTo("E");
    }

    @Test
    void theConnectDeadlineClosesAClientThatNeverGetsASession() {
        server.replies = r -> null; // handshakes, but never answers connect
        client = options().connectTimeout(Duration.ofMillis(300)).build();
        assertThatThrownBy(client::connect).isInstanceOfSatisfying(SwitchboardException.class, e -> {
            assertThat(e.code()).isEqualTo(ErrorCode.UNAVAILABLE);
            assertThat(e.getMessage()).contains("no session with");
        });
        assertThatThrownBy(() -> client.get("/x").join()).hasMessageContaining("client closed");
    }

    @Test
    void anOrderedPoolFailsOverPastAServerThatIsDown() throws Exception {
        // A port bound by a socket that does not listen refuses connections and, held for the
        // whole test, cannot be taken by another process's server (a freed port could be).
        try (java.net.Socket reserved = new java.net.Socket()) {
            reserved.bind(new java.net.InetSocketAddress("127.0.0.1", 0));
            int down = reserved.getLocalPort();
            client = SwitchboardNetworkClient.builder().address("127.0.0.1", down).address("127.0.0.1", server.port())
                    .strategy(AddressStrategy.ORDERED).backoff(Duration.ofMillis(10), Duration.ofMillis(50))
                    .connectTimeout(WAIT).build().connect();
            assertThat(client.connectedAddress().port()).isEqualTo(server.port());
        }
    }

    @Test
    void afterADropItSignsInWithTheRolledTokenResubscribesFromTheLastEventThenSendsWhatWaited() throws Exception {
        // The first sign in is answered at once, the second by the test, to issue a request meanwhile.
        server.replies = r -> isConnect(r) && r.connection() == 0 ? signedIn(r.message(), "E") : null;
        client = options().token("t1").build().connect();
        assertThat(server.next("connect").message().path("token").asText()).isEqualTo("t1");

        List<Event> got = new CopyOnWriteArrayList<>();
        CompletableFuture<ClientSubscription> subscribing = client.subscribe("/a/*", null, got::add);
        JsonNode subscribe = server.next("subscribe").message();
        server.send(ok(subscribe, "{\"sub\":\"s1\",\"epoch\":\"E\",\"offset\":5}") + "\n" + push("s1", 6, false)
                + "\n" + push("s1", 7, false));
        ClientSubscription sub = subscribing.get(10, TimeUnit.SECONDS);
        await().atMost(WAIT).until(() -> got.size() == 2);
        server.send("{\"sys\":\"token\",\"token\":\"t2\"}");

        server.drop();
        ScriptedServer.Received connect = server.next("connect");
        assertThat(connect.connection()).isEqualTo(1);
        assertThat(connect.message().path("token").asText()).isEqualTo("t2");
        assertThat(client.isConnected()).isFalse();
        CompletableFuture<JsonNode> waited = client.request("get", Json.object().put("path", "/w"));

        server.send(signedIn(connect.message(), "E"));
        JsonNode resubscribe = server.next("subscribe").message();
        assertThat(resubscribe.path("pattern").asText()).isEqualTo("/a/*");
        assertThat(resubscribe.path("since").path("epoch").asText()).isEqualTo("E");
        assertThat(resubscribe.path("since").path("offset").asLong()).isEqualTo(7);
        JsonNode get = server.next("get").message();
        assertThat(get.path("path").asText()).isEqualTo("/w");

        server.send(ok(resubscribe, "{\"sub\":\"s2\",\"epoch\":\"E\",\"offset\":7,\"recovered\":true}") + "\n"
                + ok(get, "{\"path\":\"/w\"}") + "\n" + push("s2", 7, false) + "\n" + push("s2", 8, false));
        assertThat(waited.get(10, TimeUnit.SECONDS).path("path").asText()).isEqualTo("/w");
        await().atMost(WAIT).until(() -> got.size() == 3);
        assertThat(got).extracting(Event::offset).containsExactly(6L, 7L, 8L);
        assertThat(sub.id()).isEqualTo("s2");
    }

    @Test
    void aLostReplayIsReportedAndARefusedResubscribeEndsTheSubscription() throws Exception {
        List<ClientSubscription> unrecovered = new CopyOnWriteArrayList<>();
        List<ObjectNode> system = new CopyOnWriteArrayList<>();
        client = options().onRecoveryFailed((s, r) -> unrecovered.add(s)).onSystem(system::add).build().connect();
        server.next("connect");
        CompletableFuture<ClientSubscription> a = client.subscribe("/a/*", null, e -> { });
        server.send(ok(server.next("subscribe").message(), "{\"sub\":\"a1\",\"epoch\":\"E\",\"offset\":0}"));
        CompletableFuture<ClientSubscription> b = client.subscribe("/b/*", null, e -> { });
        server.send(ok(server.next("subscribe").message(), "{\"sub\":\"b1\",\"epoch\":\"E\",\"offset\":0}"));
        ClientSubscription subA = a.get(10, TimeUnit.SECONDS);
        b.get(10, TimeUnit.SECONDS);

        server.drop();
        server.next("connect");
        for (int i = 0; i < 2; i++) { // in no particular order
            JsonNode resubscribe = server.next("subscribe").message();
            server.send(resubscribe.path("pattern").asText().equals("/a/*")
                    ? ok(resubscribe, "{\"sub\":\"a2\",\"epoch\":\"F\",\"offset\":3,\"recovered\":false}")
                    : error(resubscribe, "FORBIDDEN"));
        }
        await().atMost(WAIT).until(() -> unrecovered.size() == 1 && system.size() == 1);
        assertThat(unrecovered).containsExactly(subA);
        assertThat(system.get(0).path("sys").asText()).isEqualTo("subscription-failed");
        assertThat(system.get(0).path("pattern").asText()).isEqualTo("/b/*");
        assertThat(system.get(0).path("error").path("code").asText()).isEqualTo("FORBIDDEN");

        server.drop();
        server.next("connect");
        JsonNode again = server.next("subscribe").message();
        assertThat(again.path("pattern").asText()).isEqualTo("/a/*");
        assertThat(again.path("since").path("epoch").asText()).isEqualTo("F");
        assertThat(again.path("since").path("offset").asLong()).isEqualTo(3);
        assertThat(server.poll(300)).as("the refused subscription is not tried again").isNull();
    }
}
