package io.switchboard.server;

import io.switchboard.core.engine.Outcome;
import io.switchboard.core.error.ErrorCode;
import io.switchboard.core.error.SwitchboardException;
import io.switchboard.core.op.Credentials;
import io.switchboard.core.op.Request;
import io.switchboard.core.pipeline.Call;
import io.switchboard.core.pipeline.Slot;
import io.switchboard.core.pipeline.Stage;
import io.switchboard.core.session.SessionType;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;

import static io.switchboard.server.SecureWire.basic;
import static io.switchboard.server.SecureWire.bearer;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every door authenticates and opens its sessions through the pipeline: a stage added by the
 * embedder sees the connect of every WebSocket, HTTP request (data, auth, admin) and SSE stream,
 * and a stage that refuses connects locks every door at once.
 */
class PipelineDoorsTest {
    @TempDir
    Path dir;
    SecureWire wire;

    /** What a counting stage saw: the session's type, the op, the credentials' kind. */
    record Seen(SessionType type, String op, String credentials) { }

    final List<Seen> seen = new CopyOnWriteArrayList<>();
    volatile boolean refuseConnects;

    final Stage counting = new Stage() {
        @Override
        public String name() {
            return "counting";
        }

        @Override
        public CompletableFuture<Outcome> apply(Call call, Next next) {
            Request r = call.request();
            String creds = r instanceof Request.Connect c ? c.credentials().getClass().getSimpleName() : null;
            seen.add(new Seen(call.session().type(), r.op(), creds));
            if (refuseConnects && r instanceof Request.Connect) {
                return CompletableFuture.failedFuture(new SwitchboardException(ErrorCode.FORBIDDEN, "doors closed"));
            }
            return next.proceed(call);
        }
    };

    @AfterEach
    void stop() {
        if (wire != null) {
            wire.close();
        }
    }

    private long count(SessionType type, String op, String creds) {
        return seen.stream().filter(s -> s.type() == type && s.op().equals(op)
                && (creds == null || creds.equals(s.credentials()))).count();
    }

    @Test
    void everyDoorGoesThroughThePipeline() throws Exception {
        wire = new SecureWire(dir, c -> c, b -> b.add(Slot.ADMIT, counting));
        assertThat(wire.server.pipeline().stageNames())
                .containsExactly("admit", "login-throttle", "counting", "authenticate", "rate-limit", "authorize", "channels", "tenant", "rules", "cache");
        wire.user("ann", null, List.of("admin"), List.of());
        seen.clear();

        // HTTP login: a connect with a password on a stateless session
        String token = wire.login("ann");
        assertThat(count(SessionType.STATELESS, "connect", "Password")).isEqualTo(1);

        // WebSocket: connect with the token, then ops
        WsClient ws = wire.ws(token);
        ws.ok(WsClient.op("set").put("path", "/doors/a").put("data", 1));
        assertThat(count(SessionType.STATEFUL, "connect", "Token")).isEqualTo(1);
        assertThat(count(SessionType.STATEFUL, "set", null)).isEqualTo(1);

        // HTTP data with bearer and basic: each request its own session, connected first
        assertThat(wire.send("GET", "/api/data/doors/a", null, "Authorization", bearer(token)).statusCode()).isEqualTo(200);
        assertThat(wire.send("GET", "/api/data/doors/a", null, "Authorization", basic("ann", "password-ann")).statusCode())
                .isEqualTo(200);
        assertThat(count(SessionType.STATELESS, "connect", "Token")).isEqualTo(1);
        assertThat(count(SessionType.STATELESS, "connect", "Basic")).isEqualTo(1);
        assertThat(count(SessionType.STATELESS, "get", null)).isEqualTo(2);

        // auth/me and the admin API (API key and admin user)
        assertThat(wire.send("GET", "/api/auth/me", null, "Authorization", bearer(token)).statusCode()).isEqualTo(200);
        wire.admin("GET", "/users", null);
        assertThat(wire.send("GET", "/api/admin/groups", null, "Authorization", bearer(token)).statusCode()).isEqualTo(200);
        assertThat(count(SessionType.STATELESS, "connect", "ApiKey")).isEqualTo(1);
        assertThat(count(SessionType.STATELESS, "connect", "Token")).isEqualTo(3);

        // SSE: a stateful session, connected, then one subscribe per pattern
        try (SecureWire.Sse sse = wire.new Sse("/api/sse?pattern=/doors/*&pattern=/other/*", "Authorization", bearer(token))) {
            assertThat(sse.status).isEqualTo(200);
            assertThat(count(SessionType.STATEFUL, "connect", "Token")).isEqualTo(2);
            assertThat(count(SessionType.STATEFUL, "subscribe", null)).isEqualTo(2);
        }
        ws.close();
    }

    @Test
    void aStageThatRefusesConnectsClosesEveryDoor() throws Exception {
        wire = new SecureWire(dir, c -> c, b -> b.add(Slot.AUTHENTICATE, counting));
        wire.user("ann", null, List.of("admin"), List.of());
        String token = wire.login("ann");
        refuseConnects = true;

        HttpResponse<String> login = wire.send("POST", "/api/auth/login", "{\"username\":\"ann\",\"password\":\"password-ann\"}");
        assertThat(login.statusCode()).isEqualTo(403);
        assertThat(wire.send("GET", "/api/data/x", null, "Authorization", bearer(token)).statusCode()).isEqualTo(403);
        assertThat(wire.send("GET", "/api/admin/users", null, "X-Admin-Token", SecureWire.ADMIN_KEY).statusCode())
                .isEqualTo(403);
        try (SecureWire.Sse sse = wire.new Sse("/api/sse?pattern=/x/*", "Authorization", bearer(token))) {
            assertThat(sse.status).isEqualTo(403);
        }
        WsClient ws = WsClient.open(wire.port());
        assertThat(ws.request(WsClient.op("connect").put("token", token)).at("/error/code").asText()).isEqualTo("FORBIDDEN");
        assertThat(ws.request(WsClient.op("get").put("path", "/x")).at("/error/code").asText()).isEqualTo("UNAUTHENTICATED");
        ws.close();
        assertThat(Credentials.NONE).isInstanceOf(Credentials.None.class);
    }
}
