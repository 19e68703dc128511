package io.switchboard.server.compat.happn;

import com.fasterxml.jackson.databind.JsonNode;
import io.switchboard.core.json.Json;
import io.switchboard.server.SwitchboardServer;
import io.switchboard.server.config.ServerConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * happn's HTTP auth routes with {@code compat.happn.allowLogoutOverHttp} on (digest.js checks the
 * default, and the rest of the routes, with the real client against both servers): a logout
 * revokes the token it carries; one without a token is 401 with happn's challenge-free body.
 */
class HappnHttpAuthTest {
    static final String PW = "happn-test-pw";
    final HttpClient http = HttpClient.newHttpClient();

    @TempDir
    Path data;

    private HttpResponse<String> get(int port, String path, String cookie) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path));
        if (cookie != null) {
            b.header("Cookie", cookie);
        }
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void aLogoutOverHttpRevokesItsTokenWhenAllowed() throws Exception {
        ServerConfig cfg = ServerConfig.defaults().withPort(0).withHost("127.0.0.1").withDataDir(data)
                .withSqliteSynchronous("NORMAL").withAdminPassword(PW).with("compat.happn.enabled", true)
                .with("compat.happn.allowLogoutOverHttp", true);
        try (SwitchboardServer s = SwitchboardServer.start(cfg)) {
            int port = s.port();
            HttpResponse<String> login = get(port, "/auth/login?username=_ADMIN&password=" + PW, null);
            assertThat(login.statusCode()).isEqualTo(200);
            String token = Json.parse(login.body()).get("data").asText();
            String q = "?happn_token=" + URLEncoder.encode(token, StandardCharsets.UTF_8);
            assertThat(get(port, "/auth/login" + q, null).statusCode()).isEqualTo(200);

            HttpResponse<String> none = get(port, "/auth/logout", null);
            assertThat(none.statusCode()).isEqualTo(401);
            assertThat(Json.parse(none.body()).get("message").asText()).isEqualTo("logout failed");

            HttpResponse<String> out = get(port, "/auth/logout", "happn_token=" + token);
            JsonNode body = Json.parse(out.body());
            assertThat(out.statusCode()).isEqualTo(200);
            assertThat(body.get("message").asText()).isEqualTo("logout successful");
            assertThat(body.get("error").isNull()).isTrue();
            HttpResponse<String> again = get(port, "/auth/login" + q, null);
            assertThat(again.statusCode()).isEqualTo(401);
            assertThat(Json.parse(again.body()).get("error").get("code").asInt()).isEqualTo(401);
            // a bad password, a missing public key for a nonce: happn's shape, no crash
            assertThat(get(port, "/auth/login?u=_ADMIN&p=nope", null).statusCode()).isEqualTo(401);
            assertThat(get(port, "/auth/request-nonce", null).statusCode()).isEqualTo(400);
            assertThat(get(port, "/auth/login?username=_ADMIN&publicKey=x&digest=eA==", null).statusCode()).isEqualTo(401);
        }
    }
}
