package io.switchboard.server;

import com.fasterxml.jackson.databind.JsonNode;
import io.switchboard.core.json.Json;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicInteger;

import static io.switchboard.server.WsClient.op;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Flood control (limits.maxInFlightPerConnection): a client pipelining sets without reading
 * replies is held back by TCP, a second client is answered meanwhile, and once the flooder
 * closes its queued backlog is dropped instead of applied.
 */
class FloodControlWireTest {
    @TempDir
    Path dir;
    SwitchboardServer server;

    @AfterEach
    void stop() {
        if (server != null) {
            server.close();
        }
    }

    private static long count(WsClient c, String pattern) {
        return c.ok(op("count").put("path", pattern)).get("count").asLong();
    }

    @Test
    void closedFloodersBacklogIsDroppedWhileOthersAreAnswered() throws Exception {
        int max = 64;
        server = SwitchboardServer.start(TestServers.config(dir).withMaxInFlightPerConnection(max));
        RawWs flood = new RawWs(server.port(), 0);
        flood.sendText("{\"id\":1,\"op\":\"connect\"}");
        int total = 200_000;
        AtomicInteger written = new AtomicInteger();
        Thread writer = new Thread(() -> {
            ByteArrayOutputStream batch = new ByteArrayOutputStream();
            try {
                for (int i = 0; i < total; i++) {
                    batch.write(RawWs.frame("{\"id\":" + (i + 2) + ",\"op\":\"set\",\"path\":\"/flood/" + i
                            + "\",\"data\":{\"i\":" + i + "}}"));
                    if (batch.size() > 16_384 || i == total - 1) {
                        flood.out.write(batch.toByteArray());
                        batch.reset();
                        written.set(i + 1);
                    }
                }
            } catch (IOException e) {
                // the test closed the socket under a blocked write: the flood ends here
            }
        }, "flooder");
        writer.start();
        try (WsClient other = WsClient.connected(server.port())) {
            while (count(other, "/flood/*") < 500) {
                Thread.onSpinWait();
            }
            // While the flood runs, another client's writes and reads are answered.
            other.ok(op("set").put("path", "/other/x").set("data", Json.object().put("v", 1)));
            assertThat(other.ok(op("get").put("path", "/other/x")).path("data").path("v").asInt()).isEqualTo(1);

            flood.socket.close();
            writer.join();
            long atClose = count(other, "/flood/*");
            long last = atClose;
            int stable = 0;
            while (stable < 5) {
                Thread.sleep(100);
                long now = count(other, "/flood/*");
                stable = now == last ? stable + 1 : 0;
                last = now;
            }
            System.out.printf("flood: written %d, applied at close %d, finally %d%n", written.get(), atClose, last);
            // At most the requests already started (max in flight) complete after the close.
            assertThat(last - atClose).isLessThanOrEqualTo(2L * max);
            assertThat(last).as("applied of %d pipelined", written.get()).isLessThan(written.get());
            assertThat(count(other, "/other/*")).isEqualTo(1);
        }
    }

    @Test
    void pipelinedRequestsOverTheBoundAreAllAnsweredInTime() {
        server = SwitchboardServer.start(TestServers.config(dir).withMaxInFlightPerConnection(4));
        try (WsClient c = WsClient.connected(server.port())) {
            int n = 3_000;
            for (int i = 0; i < n; i++) {
                c.sendText("{\"id\":" + (10_000 + i) + ",\"op\":\"set\",\"path\":\"/p/" + i + "\",\"data\":{\"i\":" + i + "}}");
            }
            for (int i = 0; i < n; i++) {
                JsonNode r = c.awaitReply(10_000 + i);
                assertThat(r.path("ok").asBoolean()).as("reply %s", r).isTrue();
            }
            assertThat(count(c, "/p/*")).isEqualTo(n);
        }
    }
}
