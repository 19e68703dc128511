package io.switchboard.server;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.http.HttpResponse;
import java.util.List;
import java.util.concurrent.CompletableFuture;

import static io.switchboard.server.SecureWire.json;
import static org.assertj.core.api.Assertions.assertThat;

/** The channel API over HTTP ({@code /api/channels...}): the same ops and checks as over WebSocket. */
class ChannelHttpTest {
    @TempDir
    java.nio.file.Path dir;
    SecureWire w;
    final java.util.Map<String, String> tokens = new java.util.HashMap<>();

    @BeforeEach
    void setUp() {
        w = new SecureWire(dir);
        for (String u : List.of("olive", "mia", "otto")) {
            w.user(u, null, List.of(), List.of());
        }
    }

    @AfterEach
    void tearDown() {
        w.close();
    }

    HttpResponse<String> as(String user, String method, String path, String body) {
        String token = tokens.computeIfAbsent(user, u -> w.login(u));
        return w.send(method, path, body, "Authorization", SecureWire.bearer(token), "Content-Type", "application/json");
    }

    static String code(HttpResponse<String> r) {
        return json(r).get("error").get("code").asText();
    }

    @Test
    void wholeFlow() throws Exception {
        HttpResponse<String> r = as("olive", "POST", "/api/channels", "{\"channel\":\"team\",\"inviteModel\":\"owner\",\"name\":\"Team\"}");
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        assertThat(json(r).get("owner").asText()).isEqualTo("olive-id");
        assertThat(as("olive", "POST", "/api/channels", "{\"channel\":\"team\"}").statusCode()).isEqualTo(409);
        assertThat(as("mia", "POST", "/api/channels/team/invite", "{\"user\":\"otto-id\"}").statusCode()).isEqualTo(403);
        assertThat(as("olive", "POST", "/api/channels/team/invite", "{\"user\":\"mia-id\"}").statusCode()).isEqualTo(200);
        assertThat(as("otto", "POST", "/api/channels/team/join", null).statusCode()).isEqualTo(403);
        assertThat(as("otto", "GET", "/api/channels/team", null).statusCode()).isEqualTo(403);
        assertThat(as("otto", "GET", "/api/channels/nope", null).statusCode()).isEqualTo(404);
        JsonNode details = json(as("mia", "GET", "/api/channels/team", null));
        assertThat(details.get("members")).hasSize(2);
        assertThat(json(as("mia", "GET", "/api/channels", null)).get("channels")).hasSize(1);

        // a long-poll on the channel's messages returns when a member posts
        CompletableFuture<HttpResponse<String>> poll = CompletableFuture.supplyAsync(() ->
                as("olive", "GET", "/api/channels/team/messages?wait=20", null));
        assertThat(as("mia", "POST", "/api/channels/team/messages", "{\"data\":{\"text\":\"hello\"}}").statusCode())
                .isEqualTo(200);
        JsonNode events = json(poll.get()).get("events");
        assertThat(events).hasSize(1);
        assertThat(events.get(0).get("data").get("text").asText()).isEqualTo("hello");
        assertThat(events.get(0).get("by").asText()).isEqualTo("mia");
        assertThat(as("otto", "POST", "/api/channels/team/messages", "{\"data\":1}").statusCode()).isEqualTo(403);
        assertThat(as("otto", "GET", "/api/channels/team/messages", null).statusCode()).isEqualTo(403);
        // the plain data API sees the same area with the same rule
        assertThat(as("otto", "GET", "/api/history?pattern=/_channels/team/messages", null).statusCode()).isEqualTo(403);
        assertThat(as("mia", "GET", "/api/history?pattern=/_channels/team/messages", null).statusCode()).isEqualTo(200);

        assertThat(as("olive", "PATCH", "/api/channels/team", "{\"inviteModel\":\"self\"}").statusCode()).isEqualTo(200);
        assertThat(as("otto", "POST", "/api/channels/team/join", null).statusCode()).isEqualTo(200);
        assertThat(as("otto", "GET", "/api/channels/team/messages", null).statusCode()).isEqualTo(200);
        assertThat(as("olive", "DELETE", "/api/channels/team/members/otto-id", null).statusCode()).isEqualTo(200);
        assertThat(as("otto", "GET", "/api/channels/team/messages", null).statusCode()).isEqualTo(403);
        assertThat(as("mia", "POST", "/api/channels/team/leave", null).statusCode()).isEqualTo(200);
        assertThat(as("mia", "DELETE", "/api/channels/team", null).statusCode()).isEqualTo(403);
        assertThat(as("olive", "DELETE", "/api/channels/team", null).statusCode()).isEqualTo(200);
        assertThat(as("olive", "GET", "/api/channels/team", null).statusCode()).isEqualTo(404);
    }

    @Test
    void badInputNamesTheField() {
        HttpResponse<String> r = as("olive", "POST", "/api/channels", "{\"inviteModel\":\"all\"}");
        assertThat(r.statusCode()).isEqualTo(400);
        assertThat(json(r).get("error").get("message").asText()).contains("inviteModel");
        r = as("olive", "POST", "/api/channels", "{\"chanel\":\"x\"}");
        assertThat(r.statusCode()).isEqualTo(400);
        assertThat(json(r).get("error").get("message").asText()).contains("chanel");
        r = as("olive", "PATCH", "/api/channels/x", "{\"owner\":\"mia-id\"}");
        assertThat(code(r)).isEqualTo("BAD_REQUEST");
        r = as("olive", "GET", "/api/channels/x/messages?since=abc", null);
        assertThat(r.statusCode()).isEqualTo(400);
        r = as("olive", "GET", "/api/channels/x?foo=1", null);
        assertThat(r.statusCode()).isEqualTo(400);
        assertThat(w.send("GET", "/api/channels", null).statusCode()).isEqualTo(401);
    }
}
