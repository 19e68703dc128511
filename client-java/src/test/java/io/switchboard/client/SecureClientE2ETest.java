package io.switchboard.client;

import com.fasterxml.jackson.databind.JsonNode;
import io.switchboard.core.error.ErrorCode;
import io.switchboard.core.error.SwitchboardException;
import io.switchboard.core.json.Json;
import io.switchboard.server.SwitchboardServer;
import io.switchboard.server.config.ServerConfig;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The network client against a server with security on: connect with a token and with username/password. */
class SecureClientE2ETest {
    static final String ADMIN_PW = "client-e2e-admin-password";
    static final String ADMIN_KEY = "client-e2e-admin-api-key-0123456789";
    @TempDir
    Path dir;
    SwitchboardServer server;
    final HttpClient http = HttpClient.newHttpClient();

    @BeforeEach
    void start() throws Exception {
        server = SwitchboardServer.start(ServerConfig.defaults().withPort(0).withHost("127.0.0.1").withDataDir(dir)
                .withSecurityEnabled(true).withAdminPassword(ADMIN_PW).withAdminToken(ADMIN_KEY));
        post("/api/admin/groups", "{\"name\":\"readers\",\"permissions\":{\"/news/**\":{\"actions\":[\"get\",\"subscribe\"]}}}", true);
        post("/api/admin/users", "{\"username\":\"reader\",\"password\":\"pw-reader\",\"groups\":[\"readers\"]}", true);
    }

    @AfterEach
    void stop() {
        server.close();
    }

    private JsonNode post(String path, String body, boolean admin) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + path))
                .POST(HttpRequest.BodyPublishers.ofString(body)).header("Content-Type", "application/json");
        if (admin) {
            b.header("X-Admin-Token", ADMIN_KEY);
        }
        HttpResponse<String> r = http.send(b.build(), HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as(r.body()).isBetween(200, 201);
        return Json.parseTrusted(r.body());
    }

    @Test
    void connectsWithUsernameAndPassword() {
        try (SwitchboardNetworkClient admin = SwitchboardNetworkClient.builder().address("127.0.0.1", server.port())
                .credentials("admin", ADMIN_PW).build().connect()) {
            assertThat(admin.isConnected()).isTrue();
            BlockingSwitchboardClient b = new BlockingSwitchboardClient(admin);
            b.set("/news/1", Json.object().put("title", "hello"));
            assertThat(b.get("/news/1").data().path("title").asText()).isEqualTo("hello");
        }
    }

    @Test
    void connectsWithATokenAndIsHeldToItsPermissions() throws Exception {
        String token = post("/api/auth/login", "{\"username\":\"reader\",\"password\":\"pw-reader\"}", false).get("token").asText();
        try (SwitchboardNetworkClient admin = SwitchboardNetworkClient.builder().address("127.0.0.1", server.port())
                .credentials("admin", ADMIN_PW).build().connect()) {
            new BlockingSwitchboardClient(admin).set("/news/2", Json.object().put("title", "read me"));
        }
        try (SwitchboardNetworkClient reader = SwitchboardNetworkClient.builder().address("127.0.0.1", server.port())
                .token(token).build().connect()) {
            BlockingSwitchboardClient b = new BlockingSwitchboardClient(reader);
            assertThat(b.get("/news/2").data().path("title").asText()).isEqualTo("read me");
            assertThatThrownBy(() -> b.set("/news/3", Json.object()))
                    .isInstanceOfSatisfying(SwitchboardException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.FORBIDDEN));
        }
    }
}
