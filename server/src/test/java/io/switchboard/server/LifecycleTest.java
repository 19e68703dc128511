package io.switchboard.server;

import com.fasterxml.jackson.databind.JsonNode;
import io.switchboard.server.cli.Main;
import io.switchboard.server.config.ConfigException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import static io.switchboard.server.WsClient.op;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Graceful shutdown, restart on the same data dir, and start-up failures. */
class LifecycleTest {
    @TempDir
    Path dir;

    @Test
    void gracefulShutdownThenRestartAndRecoverWithSince() {
        SwitchboardServer first = TestServers.start(dir);
        WsClient c = WsClient.connected(first.port());
        JsonNode sub = c.ok(op("subscribe").put("pattern", "/r/*"));
        String epoch = sub.get("epoch").asText();
        c.ok(op("publish").put("path", "/r/1"));
        long seen = c.nextPush().get("event").get("offset").asLong();
        c.ok(op("set").put("path", "/r/doc").put("data", "kept"));
        c.nextPush();
        first.close();

        JsonNode bye = c.next(m -> "disconnect".equals(m.path("sys").asText()), "disconnect");
        assertThat(bye.get("reason").asText()).isEqualTo("shutdown");
        assertThat(c.closeCode.orTimeout(10, TimeUnit.SECONDS).join()).isEqualTo(1001);

        SwitchboardServer second = TestServers.start(dir);
        try {
            WsClient d = WsClient.connected(second.port());
            WsClient writer = WsClient.connected(second.port());
            writer.ok(op("publish").put("path", "/r/2"));
            assertThat(d.ok(op("get").put("path", "/r/doc")).get("data").asText()).isEqualTo("kept");
            JsonNode since = d.ok(op("subscribe").put("pattern", "/r/*").set("since",
                    io.switchboard.core.json.Json.object().put("epoch", epoch).put("offset", seen)));
            assertThat(since.get("recovered").asBoolean()).isTrue();
            assertThat(d.nextPush().get("event").get("path").asText()).isEqualTo("/r/doc");
            assertThat(d.nextPush().get("event").get("path").asText()).isEqualTo("/r/2");
            d.close();
            writer.close();
        } finally {
            second.close();
        }
    }

    @Test
    void badStoreSettingStopsStartUpNamingTheKey() {
        assertThatThrownBy(() -> SwitchboardServer.start(TestServers.config(dir).with("store.type", "postgres")
                .with("store.postgres.schema", "no-dashes")))
                .isInstanceOf(ConfigException.class).hasMessageContaining("store.postgres").hasMessageContaining("schema");
    }

    @Test
    void cliRejectsBadConfigWithExitCode2() {
        int code = new picocli.CommandLine(new Main()).execute("serve", "--port", "notaport", "--data-dir", dir.toString());
        assertThat(code).isEqualTo(2);
        int unknown = new picocli.CommandLine(new Main()).execute("serve", "--set", "http.nope=1");
        assertThat(unknown).isEqualTo(2);
    }
}
