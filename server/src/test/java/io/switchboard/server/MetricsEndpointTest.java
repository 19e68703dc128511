package io.switchboard.server;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.regex.Matcher;

import static org.assertj.core.api.Assertions.assertThat;

/** GET /metrics over a real socket: Prometheus text, series present, and moving after traffic. */
class MetricsEndpointTest {
    @TempDir
    Path dir;

    @Test
    void seriesArePresentAndMoveAfterTraffic() throws Exception {
        try (SwitchboardServer s = SwitchboardServer.start(TestServers.config(dir))) {
            String before = get(s.port(), "/metrics", null).body();
            assertThat(before).contains("switchboard_sessions", "switchboard_connections{transport=\"ws\"}",
                    "switchboard_fanout_deliveries_total", "switchboard_slow_consumer_closes_total",
                    "switchboard_scheduled_backlog", "switchboard_event_log_events", "switchboard_jvm_memory_used_bytes",
                    "switchboard_process_uptime_seconds");
            double commitsBefore = value(before, "switchboard_store_commit_seconds_count");

            RawHttp.Response put = request(s.port(), "PUT", "/api/data/m/a", "{\"v\":1}", null);
            assertThat(put.status()).isEqualTo(200);
            assertThat(request(s.port(), "GET", "/api/data/m/a", null, null).status()).isEqualTo(200);

            String after = get(s.port(), "/metrics", null).body();
            assertThat(value(after, "switchboard_ops_total{op=\"set\",status=\"ok\"}")).isGreaterThanOrEqualTo(1);
            assertThat(value(after, "switchboard_ops_total{op=\"get\",status=\"ok\"}")).isGreaterThanOrEqualTo(1);
            assertThat(after).contains("switchboard_op_seconds_bucket{op=\"set\",status=\"ok\"");
            assertThat(value(after, "switchboard_store_commit_seconds_count")).isGreaterThan(commitsBefore);
            assertThat(value(after, "switchboard_event_log_events")).isGreaterThanOrEqualTo(1);
        }
    }

    @Test
    void tokenProtectsTheEndpoint() throws Exception {
        try (SwitchboardServer s = SwitchboardServer.start(TestServers.config(dir).with("metrics.token", "sekret"))) {
            assertThat(get(s.port(), "/metrics", null).status()).isEqualTo(401);
            assertThat(get(s.port(), "/metrics", "Bearer wrong").status()).isEqualTo(401);
            RawHttp.Response ok = get(s.port(), "/metrics", "Bearer sekret");
            assertThat(ok.status()).isEqualTo(200);
            assertThat(ok.headers().toLowerCase()).contains("content-type: text/plain; version=0.0.4");
        }
    }

    /** The value of the first sample line that starts with {@code series} (name plus labels prefix). */
    private static double value(String text, String series) {
        for (String line : text.split("\n")) {
            if (line.startsWith(series) && (line.charAt(series.length()) == ' ' || series.endsWith("}")
                    || line.charAt(series.length()) == '{')) {
                Matcher m = java.util.regex.Pattern.compile(" ([-+0-9.eE]+)$").matcher(line);
                if (m.find()) {
                    return Double.parseDouble(m.group(1));
                }
            }
        }
        throw new AssertionError("no series " + series + " in\n" + text);
    }

    private static RawHttp.Response get(int port, String path, String auth) throws IOException {
        return request(port, "GET", path, null, auth);
    }

    private static RawHttp.Response request(int port, String method, String path, String body, String auth) throws IOException {
        try (Socket sock = new Socket("127.0.0.1", port)) {
            byte[] b = body == null ? new byte[0] : body.getBytes(StandardCharsets.UTF_8);
            StringBuilder h = new StringBuilder(method + " " + path + " HTTP/1.1\r\nHost: x\r\nConnection: close\r\n");
            if (auth != null) {
                h.append("Authorization: ").append(auth).append("\r\n");
            }
            if (body != null) {
                h.append("Content-Type: application/json\r\n");
            }
            h.append("Content-Length: ").append(b.length).append("\r\n\r\n");
            OutputStream out = sock.getOutputStream();
            out.write(h.toString().getBytes(StandardCharsets.UTF_8));
            out.write(b);
            out.flush();
            return RawHttp.read(sock.getInputStream());
        }
    }
}
