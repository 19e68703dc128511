package io.switchboard.server;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.http.HttpResponse;
import java.nio.file.Path;

import static io.switchboard.server.SecureWire.json;
import static org.assertj.core.api.Assertions.assertThat;

/** What a new user's first requests get: a landing answer at {@code /}, a hint at a plain {@code GET /ws}, a clear admin-token error. */
class FirstRequestsWireTest {
    @TempDir
    Path dir;

    @Test
    void rootAnswersWithVersionAndLinks() {
        try (SecureWire w = new SecureWire(dir)) {
            HttpResponse<String> r = w.send("GET", "/", null);
            assertThat(r.statusCode()).isEqualTo(200);
            JsonNode body = json(r);
            assertThat(body.get("version").asText()).isEqualTo(json(w.send("GET", "/version", null)).get("version").asText());
            assertThat(body.at("/links/health").asText()).isEqualTo("/health");
            assertThat(body.get("docs").asText()).contains("getting-started");
            assertThat(w.send("GET", body.at("/links/health").asText(), null).statusCode()).isEqualTo(200);
        }
    }

    @Test
    void aPlainGetOfTheWebSocketEndpointIs426WithAHint() {
        try (SecureWire w = new SecureWire(dir)) {
            HttpResponse<String> r = w.send("GET", "/ws", null);
            assertThat(r.statusCode()).isEqualTo(426);
            assertThat(json(r).at("/error/message").asText()).contains("Upgrade: websocket");
        }
    }

    @Test
    void aWrongAdminTokenSaysSo() {
        try (SecureWire w = new SecureWire(dir)) {
            HttpResponse<String> r = w.send("GET", "/api/admin/users", null, "X-Admin-Token", "not-the-key");
            assertThat(r.statusCode()).isEqualTo(401);
            assertThat(json(r).at("/error/message").asText()).isEqualTo("invalid admin token");
        }
    }
}
