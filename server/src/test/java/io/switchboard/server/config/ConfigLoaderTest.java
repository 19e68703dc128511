package io.switchboard.server.config;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ConfigLoaderTest {
    @TempDir
    Path dir;

    @Test
    void defaultsMatchTheSpec() {
        ServerConfig c = ServerConfig.defaults();
        assertThat(c.host()).isEqualTo("0.0.0.0");
        assertThat(c.port()).isEqualTo(8080);
        assertThat(c.dataDir()).isEqualTo(Path.of("./data"));
        assertThat(c.securityEnabled()).isTrue();
        assertThat(c.maxFrameBytes()).isEqualTo(1_048_576);
        assertThat(c.heartbeatMs()).isEqualTo(25_000);
        assertThat(c.maxOutboundBytes()).isEqualTo(16L << 20);
        assertThat(c.get("compat.broker.v1Prefix")).isEqualTo("/broker/v1");
    }

    @Test
    void flagBeatsEnvBeatsFileBeatsDefault() throws Exception {
        Path f = dir.resolve("sb.yaml");
        Files.writeString(f, "http:\n  port: 9001\n  host: 127.0.0.1\n  cors:\n    origins: [\"https://a\", \"https://b\"]\n"
                + "ws.heartbeatMs: 1000\ndata:\n  dir: /tmp/x\n");
        ServerConfig fileOnly = ConfigLoader.load(f, Map.of(), Map.of());
        assertThat(fileOnly.port()).isEqualTo(9001);
        assertThat(fileOnly.corsOrigins()).containsExactly("https://a", "https://b");
        assertThat(fileOnly.heartbeatMs()).isEqualTo(1000);

        ServerConfig env = ConfigLoader.load(f, Map.of("SWITCHBOARD_HTTP_PORT", "9002",
                "SWITCHBOARD_SECURITY_ENABLED", "false", "SWITCHBOARD_LIMITS_MAX_FRAME_BYTES", "2048",
                "SWITCHBOARD_ADMIN_PASSWORD", "not-a-key"), Map.of());
        assertThat(env.port()).isEqualTo(9002);
        assertThat(env.securityEnabled()).isFalse();
        assertThat(env.maxFrameBytes()).isEqualTo(2048);
        assertThat(env.host()).isEqualTo("127.0.0.1");

        ServerConfig flag = ConfigLoader.load(f, Map.of("SWITCHBOARD_HTTP_PORT", "9002"), Map.of("http.port", "9003"));
        assertThat(flag.port()).isEqualTo(9003);
        assertThat(ConfigKeys.get("auth.adminToken").envName()).isEqualTo("SWITCHBOARD_AUTH_ADMIN_TOKEN");
        assertThat(ServerConfig.defaults().with("http.cors.origins", "https://x, https://y").corsOrigins())
                .isEqualTo(List.of("https://x", "https://y"));
    }

    @Test
    void unknownKeysAndBadValuesNameTheKey() throws Exception {
        Path f = dir.resolve("bad.yaml");
        Files.writeString(f, "http:\n  prot: 1\n");
        assertThatThrownBy(() -> ConfigLoader.load(f, Map.of(), Map.of()))
                .isInstanceOf(ConfigException.class).hasMessageContaining("http.prot");
        Files.writeString(f, "http:\n  port: eighty\n");
        assertThatThrownBy(() -> ConfigLoader.load(f, Map.of(), Map.of()))
                .isInstanceOf(ConfigException.class).hasMessageContaining("http.port");
        assertThatThrownBy(() -> ConfigLoader.load(null, Map.of("SWITCHBOARD_HTTP_PORT", "70000"), Map.of()))
                .isInstanceOf(ConfigException.class).hasMessageContaining("http.port").hasMessageContaining("SWITCHBOARD_HTTP_PORT");
        assertThatThrownBy(() -> ConfigLoader.load(null, Map.of("SWITCHBOARD_SECURITY_ENABLED", "maybe"), Map.of()))
                .hasMessageContaining("security.enabled");
        assertThatThrownBy(() -> ConfigLoader.load(null, Map.of(), Map.of("store.type", "mongo")))
                .hasMessageContaining("store.type");
        assertThatThrownBy(() -> ConfigLoader.load(null, Map.of(), Map.of("no.such.key", "1")))
                .hasMessageContaining("no.such.key");
        assertThatThrownBy(() -> ConfigLoader.load(dir.resolve("missing.yaml"), Map.of(), Map.of()))
                .hasMessageContaining("missing.yaml");
    }
}
