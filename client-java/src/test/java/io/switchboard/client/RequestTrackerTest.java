package io.switchboard.client;

import com.fasterxml.jackson.databind.JsonNode;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.switchboard.core.error.ErrorCode;
import io.switchboard.core.error.SwitchboardException;
import io.switchboard.core.json.Json;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import static io.switchboard.client.ScriptedServer.error;
import static io.switchboard.client.ScriptedServer.ok;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/** Requests and replies over a real connection to a {@link ScriptedServer}, with no reconnector. */
class RequestTrackerTest {
    private final Object lock = new Object();
    private ScriptedServer server;
    private EventLoopGroup group;
    private RequestTracker tracker;
    private WsConnection connection;

    @BeforeEach
    void start() {
        server = new ScriptedServer();
        server.replies = r -> null; // the tests answer themselves
        group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
    }

    @AfterEach
    void stop() {
        if (connection != null) {
            connection.abort();
        }
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS);
        server.close();
    }

    /** A tracker with {@code timeout}, and an open connection whose frames are replies for it. */
    private void connect(Duration timeout) throws Exception {
        tracker = new RequestTracker(lock, Scheduler.on(group), timeout, Runnable::run);
        connection = server.connect(group, (c, text) -> tracker.onReply(c, Json.parseTrusted(text)), c -> {
            List<PendingRequest> lost;
            synchronized (lock) {
                lost = tracker.connectionClosedLocked(c);
            }
            RequestTracker.failLost(c, lost);
        });
    }

    private void sessionUp() {
        synchronized (lock) {
            tracker.sessionUpLocked(connection);
        }
    }

    private PendingRequest get(String path) {
        PendingRequest p = tracker.user("get", Json.object().put("path", path), null, null);
        tracker.submit(p);
        return p;
    }

    private static SwitchboardException failure(PendingRequest p) {
        ExecutionException e = org.junit.jupiter.api.Assertions.assertThrows(ExecutionException.class,
                () -> p.future.get(10, TimeUnit.SECONDS));
        return (SwitchboardException) e.getCause();
    }

    @Test
    void repliesAreMatchedByIdInWhateverOrderTheyCome() throws Exception {
        connect(Duration.ofSeconds(10));
        sessionUp();
        PendingRequest a = get("/a");
        // The caller's fields cannot take over the id or the op.
        PendingRequest b = tracker.user("get", Json.object().put("path", "/b").put("id", 99).put("op", "set"), null, null);
        tracker.submit(b);
        JsonNode ra = server.next("get").message();
        JsonNode rb = server.next("get").message();
        assertThat(rb.path("id").asLong()).isNotEqualTo(99).isNotEqualTo(ra.path("id").asLong());

        server.send(ok(rb, "{\"path\":\"/b\"}"));
        server.send(ok(ra, "{\"path\":\"/a\"}"));
        assertThat(a.future.get(10, TimeUnit.SECONDS).path("path").asText()).isEqualTo("/a");
        assertThat(b.future.get(10, TimeUnit.SECONDS).path("path").asText()).isEqualTo("/b");
        assertThat(connection.pending).isEmpty();
    }

    @Test
    void anErrorReplyIsAServerErrorWithItsCode() throws Exception {
        connect(Duration.ofSeconds(10));
        sessionUp();
        PendingRequest p = get("/x");
        server.send(error(server.next("get").message(), "CONFLICT"));
        assertThat(failure(p)).isInstanceOf(ServerError.class)
                .satisfies(e -> assertThat(e.code()).isEqualTo(ErrorCode.CONFLICT));
    }

    @Test
    void requestsIssuedWhileDisconnectedWaitAndGoOutAfterWhatTheNewSessionSentFirst() throws Exception {
        connect(Duration.ofSeconds(10));
        PendingRequest first = get("/1");
        PendingRequest second = get("/2");
        assertThat(server.poll(200)).as("nothing goes out without a session").isNull();
        assertThat(first.future).isNotDone();

        PendingRequest resubscribe = tracker.internal("subscribe", Json.object().put("pattern", "/a/*"), null, null);
        synchronized (lock) {
            tracker.sendLocked(connection, resubscribe);
            tracker.sessionUpLocked(connection);
        }
        assertThat(server.next().op()).isEqualTo("subscribe");
        assertThat(server.next("get").message().path("path").asText()).isEqualTo("/1");
        assertThat(server.next("get").message().path("path").asText()).isEqualTo("/2");
        assertThat(tracker.sessionConnection()).isSameAs(connection);
    }

    @Test
    void aTimeoutFailsTheRequestAndItsLateReplyIsDropped() throws Exception {
        connect(Duration.ofMillis(200));
        PendingRequest waited = get("/never-sent");
        assertThat(failure(waited).getMessage()).contains("'get' got no reply within 200 ms");
        sessionUp();
        assertThat(server.poll(200)).as("a request that timed out while waiting is not sent").isNull();

        PendingRequest p = get("/slow");
        JsonNode request = server.next("get").message();
        assertThat(failure(p).code()).isEqualTo(ErrorCode.UNAVAILABLE);
        // The timer settles the request first, then forgets it.
        await().atMost(Duration.ofSeconds(5)).until(() -> connection.pending.isEmpty());
        server.send(ok(request, "{\"path\":\"/slow\"}"));
        // Still usable, and the late reply settled nothing.
        PendingRequest next = get("/next");
        server.send(ok(server.next("get").message(), "{\"path\":\"/next\"}"));
        assertThat(next.future.get(10, TimeUnit.SECONDS).path("path").asText()).isEqualTo("/next");
        assertThat(failure(p).code()).isEqualTo(ErrorCode.UNAVAILABLE);
    }

    @Test
    void aSubscribeAnsweredAfterItsCallerGaveUpIsUndone() throws Exception {
        connect(Duration.ofSeconds(10));
        sessionUp();
        AtomicBoolean registered = new AtomicBoolean();
        PendingRequest p = tracker.user("subscribe", Json.object().put("pattern", "/a/*"),
                (c, r) -> registered.set(true), tracker::unsubscribeOrphan);
        tracker.submit(p);
        JsonNode request = server.next("subscribe").message();

        List<PendingRequest> orphans;
        synchronized (lock) {
            orphans = tracker.closeLocked(connection);
        }
        orphans.forEach(o -> o.fail(RequestTracker.clientClosed()));
        assertThat(failure(p).getMessage()).isEqualTo("client closed");

        server.send(ok(request, "{\"sub\":\"s9\"}"));
        assertThat(server.next("unsubscribe").message().path("sub").asText()).isEqualTo("s9");
        assertThat(registered).isFalse();
    }

    @Test
    void connectionLossFailsWhatWasInFlightAndLaterRequestsWaitAgain() throws Exception {
        connect(Duration.ofSeconds(10));
        sessionUp();
        PendingRequest inFlight = get("/a");
        server.next("get");
        server.drop();
        assertThat(failure(inFlight)).satisfies(e -> {
            assertThat(e.code()).isEqualTo(ErrorCode.UNAVAILABLE);
            assertThat(e.getMessage()).contains("lost before the reply");
        });
        assertThat(tracker.sessionConnection()).isNull();
        PendingRequest later = get("/b");
        assertThat(later.future).isNotDone();
    }

    @Test
    void afterCloseRequestsFailAtOnce() throws Exception {
        connect(Duration.ofSeconds(10));
        sessionUp();
        synchronized (lock) {
            assertThat(tracker.closeLocked(null)).isEmpty();
        }
        assertThat(failure(get("/a")).getMessage()).isEqualTo("client closed");
        assertThat(tracker.sessionConnection()).isNull();
        assertThat(server.poll(200)).isNull();
    }

    @Test
    void acksGoToTheLiveSessionOnly() throws Exception {
        connect(Duration.ofSeconds(10));
        tracker.sendOnSession("ack", Json.object().put("offset", 1));
        assertThat(server.poll(200)).as("dropped while disconnected").isNull();
        sessionUp();
        tracker.sendOnSession("ack", Json.object().put("offset", 2));
        assertThat(server.next("ack").message().path("offset").asLong()).isEqualTo(2);
    }

    @Test
    void theClientsOwnRequestsDoNotWaitForASession() throws Exception {
        connect(Duration.ofSeconds(10));
        PendingRequest p = tracker.internal("connect", Json.object(), null, null);
        tracker.submit(p);
        assertThat(failure(p).getMessage()).isEqualTo("not connected");
        await().atMost(Duration.ofSeconds(5)).until(() -> connection.pending.isEmpty());
    }
}
