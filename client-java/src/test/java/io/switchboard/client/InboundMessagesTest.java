package io.switchboard.client;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.switchboard.core.json.Json;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import static io.switchboard.client.ScriptedServer.ok;
import static io.switchboard.client.ScriptedServer.push;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** Frames a {@link ScriptedServer} writes, read by {@link InboundMessages} over a real connection. */
class InboundMessagesTest {
    private static final Duration WAIT = Duration.ofSeconds(10);

    private final Object lock = new Object();
    /** What reached the listeners, in the order the event thread ran them. */
    private final List<String> seen = new CopyOnWriteArrayList<>();
    private final List<String> tokens = new CopyOnWriteArrayList<>();
    private final Set<NetworkSubscription> live = ConcurrentHashMap.newKeySet();
    private ScriptedServer server;
    private EventLoopGroup group;
    private EventDispatcher events;
    private RequestTracker tracker;
    private WsConnection connection;

    @BeforeEach
    void start() throws Exception {
        server = new ScriptedServer();
        server.replies = r -> null;
        group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
        events = new EventDispatcher("inbound-test-events", m -> seen.add("sys " + m.path("sys").asText()));
        tracker = new RequestTracker(lock, Scheduler.on(group), Duration.ofSeconds(10), Runnable::run);
        InboundMessages inbound = new InboundMessages(tracker, events, live, tokens::add);
        connection = server.connect(group, inbound::onFrame, c -> { });
        synchronized (lock) {
            tracker.sessionUpLocked(connection);
        }
    }

    @AfterEach
    void stop() {
        connection.abort();
        events.shutdown();
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS);
        server.close();
    }

    private static ObjectNode subscribed(String sub, long offset) {
        return Json.object().put("sub", sub).put("epoch", "E").put("offset", offset);
    }

    /** A subscription registered on the connection as a subscribe reply would, at {@code offset}. */
    private NetworkSubscription registered(String sub, long offset, ObjectNode options) {
        NetworkSubscription s = new NetworkSubscription(null, "/a/*", options, e -> seen.add("event " + e.offset()));
        s.onSubscribed(subscribed(sub, offset), null);
        connection.subscriptions.put(sub, s);
        live.add(s);
        return s;
    }

    @Test
    void aBatchedFrameIsReadInOrderSoTheReplyRegistersTheSubscriptionBeforeItsPushes() throws Exception {
        NetworkSubscription sub = new NetworkSubscription(null, "/a/*", null, e -> seen.add("event " + e.offset()));
        PendingRequest p = tracker.user("subscribe", Json.object().put("pattern", "/a/*"), (c, r) -> {
            sub.onSubscribed(r, null);
            c.subscriptions.put(sub.id(), sub);
        }, null);
        tracker.submit(p);
        var request = server.next("subscribe").message();

        server.send(ok(request, subscribed("s1", 0).toString()) + "\n" + push("s1", 1, false) + "\r\n"
                + push("s1", 2, false) + "\n\n{\"sys\":\"notice\"}\n");
        await().atMost(WAIT).until(() -> seen.size() == 3);
        assertThat(seen).containsExactly("event 1", "event 2", "sys notice");
        assertThat(p.future.get(10, TimeUnit.SECONDS).path("sub").asText()).isEqualTo("s1");
        assertThat(sub.lastOffset()).isEqualTo(2);
    }

    @Test
    void anUnparsableMessageIsSkippedAndTheRestOfItsFrameStillCounts() throws Exception {
        PendingRequest p = tracker.user("get", Json.object().put("path", "/x"), null, null);
        tracker.submit(p);
        var request = server.next("get").message();
        server.send("{not json\n" + ok(request, "{\"path\":\"/x\"}"));
        assertThat(p.future.get(10, TimeUnit.SECONDS).path("path").asText()).isEqualTo("/x");
    }

    @Test
    void aRolledTokenIsPassedOnAndStillReachesTheSystemListener() {
        server.send("{\"sys\":\"token\",\"token\":\"t2\"}\n{\"sys\":\"token\"}");
        await().atMost(WAIT).until(() -> seen.size() == 2);
        assertThat(tokens).containsExactly("t2");
        assertThat(seen).containsExactly("sys token", "sys token");
    }

    @Test
    void aReplayedDuplicateIsDroppedButStillAcknowledged() throws Exception {
        NetworkSubscription sub = registered("s1", 10, null);
        server.send(push("s1", 9, true));
        assertThat(server.next("ack").message().path("offset").asLong()).isEqualTo(9);
        assertThat(seen).isEmpty();

        server.send(push("s1", 11, true));
        assertThat(server.next("ack").message().path("offset").asLong()).isEqualTo(11);
        assertThat(seen).as("acknowledged after the listener ran").containsExactly("event 11");
        assertThat(sub.lastOffset()).isEqualTo(11);
    }

    @Test
    void aPushForAnUnknownSubscriptionIsIgnoredWithoutAnAck() throws Exception {
        registered("s1", 0, null);
        server.send(push("gone", 1, true) + "\n" + push("s1", 2, false));
        await().atMost(WAIT).until(() -> seen.size() == 1);
        assertThat(seen).containsExactly("event 2");
        assertThat(server.poll(200)).isNull();
    }

    @Test
    void aSubscriptionWhoseCountIsUsedUpLeavesTheConnectionAndTheLiveSet() {
        NetworkSubscription sub = registered("s1", 0, Json.object().put("count", 1));
        server.send(push("s1", 1, false) + "\n" + push("s1", 2, false));
        await().atMost(WAIT).until(() -> !live.contains(sub) && connection.subscriptions.isEmpty());
        await().atMost(WAIT).until(() -> seen.size() == 1);
        assertThat(seen).containsExactly("event 1");
    }
}
