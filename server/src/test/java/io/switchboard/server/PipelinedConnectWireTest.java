package io.switchboard.server;

import com.fasterxml.jackson.databind.JsonNode;
import io.switchboard.core.json.Json;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Clients pipeline: ops written right behind a {@code connect}, in the same TCP write, wait for
 * it over a real socket. After a good connect they all succeed and the connect is answered
 * first; after a bad one each is UNAUTHENTICATED, and nothing is written.
 */
class PipelinedConnectWireTest {
    @TempDir
    Path dir;
    SecureWire wire;

    @BeforeEach
    void start() {
        wire = new SecureWire(dir);
    }

    @AfterEach
    void stop() {
        wire.close();
    }

    private static byte[] pipelined(String connect) {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        b.writeBytes(RawWs.frame(connect));
        b.writeBytes(RawWs.frame("{\"id\":2,\"op\":\"subscribe\",\"pattern\":\"/users/*\"}"));
        b.writeBytes(RawWs.frame("{\"id\":3,\"op\":\"set\",\"path\":\"/users/ann\",\"data\":{\"name\":\"Ann\"}}"));
        b.writeBytes(RawWs.frame("{\"id\":4,\"op\":\"get\",\"path\":\"/users/*\"}"));
        b.writeBytes(RawWs.frame("{\"id\":5,\"op\":\"count\",\"path\":\"/users/*\"}"));
        return b.toByteArray();
    }

    private static List<JsonNode> replies(List<String> lines) {
        List<JsonNode> out = new ArrayList<>();
        for (String l : lines) {
            JsonNode m = Json.parseTrusted(l);
            if (m.has("id")) {
                out.add(m);
            }
        }
        return out;
    }

    @RepeatedTest(5)
    void opsPipelinedBehindAGoodConnectWaitForItAndSucceed() throws Exception {
        try (RawWs ws = new RawWs(wire.port(), 0)) {
            ws.out.write(pipelined("{\"id\":1,\"op\":\"connect\",\"username\":\"admin\",\"password\":\"" + SecureWire.ADMIN_PW + "\"}"));
            ws.out.flush();
            // five replies plus the event of the set on the subscription
            List<String> lines = ws.readMessages(6, 10_000);
            List<JsonNode> replies = replies(lines);
            // The connect is answered first; the rest run concurrently (a get may pass the set).
            assertThat(replies).extracting(r -> r.get("id").asInt()).startsWith(1).containsExactlyInAnyOrder(1, 2, 3, 4, 5);
            assertThat(replies).allSatisfy(r -> assertThat(r.path("ok").asBoolean()).as("%s", r).isTrue());
            assertThat(lines).anySatisfy(l -> assertThat(l).contains("\"sub\":\"s1\"").contains("/users/ann"));
        }
    }

    @RepeatedTest(3)
    void opsPipelinedBehindABadConnectFailUnauthenticated() throws Exception {
        try (RawWs ws = new RawWs(wire.port(), 0)) {
            ws.out.write(pipelined("{\"id\":1,\"op\":\"connect\",\"username\":\"admin\",\"password\":\"wrong-password\"}"));
            ws.out.flush();
            List<JsonNode> replies = replies(ws.readMessages(5, 10_000));
            assertThat(replies).extracting(r -> r.get("id").asInt()).containsExactly(1, 2, 3, 4, 5);
            assertThat(replies).allSatisfy(r -> {
                assertThat(r.path("ok").asBoolean()).as("%s", r).isFalse();
                assertThat(r.path("error").path("code").asText()).isEqualTo("UNAUTHENTICATED");
            });
        }
        try (WsClient admin = wire.ws(wire.login("admin", SecureWire.ADMIN_PW))) {
            assertThat(admin.ok(WsClient.op("count").put("path", "/users/*")).get("count").asInt()).isZero();
        }
    }
}
