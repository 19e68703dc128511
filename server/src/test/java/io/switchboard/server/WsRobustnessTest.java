package io.switchboard.server;

import com.fasterxml.jackson.databind.JsonNode;
import io.switchboard.core.json.Json;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

import static io.switchboard.server.WsClient.op;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** Bad input, oversized frames, floods, heartbeats and slow consumers over WebSocket. */
class WsRobustnessTest {
    @TempDir
    Path dir;
    SwitchboardServer server;

    @AfterEach
    void stop() {
        if (server != null) {
            server.close();
        }
    }

    private static String code(JsonNode reply) {
        return reply.get("error").get("code").asText();
    }

    @Test
    void badInputGetsBadRequestAndTheConnectionStaysOpen() {
        server = TestServers.start(dir);
        WsClient c = WsClient.connected(server.port());
        c.ok(op("set").put("path", "/keep").put("data", 1));

        c.sendText("this is not json");
        JsonNode r = c.awaitReply(0);
        assertThat(r.get("ok").asBoolean()).isFalse();
        assertThat(code(r)).isEqualTo("BAD_REQUEST");

        JsonNode noOp = c.request(Json.object().put("path", "/a"));
        assertThat(code(noOp)).isEqualTo("BAD_REQUEST");
        assertThat(noOp.get("error").get("message").asText()).contains("op");

        JsonNode unknown = c.request(op("explode"));
        assertThat(code(unknown)).isEqualTo("BAD_REQUEST");

        JsonNode wrongType = c.request(op("set").put("path", "/keep").put("data", 2).put("merge", "yes"));
        assertThat(code(wrongType)).isEqualTo("BAD_REQUEST");
        assertThat(wrongType.get("error").get("message").asText()).contains("merge");

        c.ws.sendBinary(java.nio.ByteBuffer.wrap(new byte[] {1, 2, 3}), true).join();
        assertThat(code(c.awaitReply(0))).isEqualTo("BAD_REQUEST");

        assertThat(c.ok(op("ping")).asText()).isEqualTo("pong");
        assertThat(c.ok(op("get").put("path", "/keep")).get("data").asInt()).isEqualTo(1);
        c.close();
    }

    @Test
    void oversizedFrameIsAnErrorThenClose1009() {
        server = SwitchboardServer.start(TestServers.config(dir).withMaxFrameBytes(1024));
        WsClient big = WsClient.connected(server.port());
        WsClient other = WsClient.connected(server.port());
        big.sendText("{\"op\":\"set\",\"path\":\"/big\",\"data\":\"" + "x".repeat(4096) + "\"}");
        JsonNode err = big.awaitReply(0);
        assertThat(code(err)).isEqualTo("PAYLOAD_TOO_LARGE");
        assertThat(big.closeCode.orTimeout(10, TimeUnit.SECONDS).join()).isEqualTo(1009);
        assertThat(other.ok(op("ping")).asText()).isEqualTo("pong");
        assertThat(other.request(op("get").put("path", "/big")).get("ok").asBoolean()).isFalse();
        other.close();
    }

    @Test
    void aFloodFromOneClientDoesNotStopAnother() {
        server = TestServers.start(dir);
        WsClient flood = WsClient.connected(server.port());
        WsClient calm = WsClient.connected(server.port());
        for (int i = 0; i < 2000; i++) {
            flood.sendText(i % 2 == 0 ? "{\"id\":" + i + ",\"op\":\"get\",\"path\":\"/f/" + i + "\"}" : "garbage " + i);
        }
        assertThat(calm.ok(op("set").put("path", "/calm").put("data", "ok")).get("offset").asLong()).isPositive();
        assertThat(calm.ok(op("count").put("path", "/**")).get("count").asLong()).isEqualTo(1);
        // the flooder gets every answer too
        flood.awaitReply(1998);
        calm.close();
        flood.close();
    }

    @Test
    void heartbeatPingsAndClosesSilentClients() throws Exception {
        // 500 ms: short enough to see several pings, long enough that a live client on a loaded
        // CI machine still answers within the two intervals.
        server = SwitchboardServer.start(TestServers.config(dir).withHeartbeatMs(500));
        WsClient live = WsClient.open(server.port());
        assertThat(live.ok(op("connect")).get("heartbeatMs").asLong()).isEqualTo(500);
        // connect is once per connection, in insecure mode too
        assertThat(live.request(op("connect")).at("/error/code").asText()).isEqualTo("BAD_REQUEST");
        await().atMost(Duration.ofSeconds(10)).until(() -> live.pings.get() >= 3);

        try (RawWs silent = new RawWs(server.port(), 0)) {
            assertThat(silent.awaitServerClose(10_000)).isTrue();
        }
        // the answering client is still fine
        assertThat(live.ok(op("ping")).asText()).isEqualTo("pong");
        assertThat(live.closeCode).isNotDone();
        live.close();
    }

    @Test
    void slowConsumerIsClosedWhileOthersKeepReceiving() throws Exception {
        server = SwitchboardServer.start(TestServers.config(dir).withMaxOutboundBytes(2L << 20));
        WsClient normal = WsClient.connected(server.port());
        normal.ok(op("subscribe").put("pattern", "/big/*"));
        try (RawWs slow = new RawWs(server.port(), 4096)) {
            slow.sendText("{\"id\":1,\"op\":\"connect\"}");
            slow.sendText("{\"id\":2,\"op\":\"subscribe\",\"pattern\":\"/big/*\"}");
            WsClient pub = WsClient.connected(server.port());
            // both subscriptions (normal and slow) exist before publishing
            await().atMost(Duration.ofSeconds(10)).until(() -> server.pipeline().engine().sessions().stream()
                    .filter(s -> !s.subscriptions().isEmpty()).count() >= 2);
            String blob = "y".repeat(64 * 1024);
            int n = 400;
            // One publish at a time: the normal subscriber keeps up, the slow one never reads.
            for (int i = 0; i < n; i++) {
                pub.ok(op("publish").put("path", "/big/" + i).put("data", blob));
                assertThat(normal.nextPush().get("event").get("path").asText()).isEqualTo("/big/" + i);
            }
            assertThat(normal.closeCode).isNotDone();
            await().atMost(Duration.ofSeconds(20)).until(() -> server.slowConsumerCloses() >= 1);
            assertThat(slow.awaitServerClose(10_000)).isTrue();
            pub.close();
        }
        normal.close();
    }
}
