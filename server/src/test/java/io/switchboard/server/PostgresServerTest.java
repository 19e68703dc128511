package io.switchboard.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.switchboard.core.json.Json;
import io.switchboard.server.config.ConfigKeys;
import io.switchboard.server.config.ServerConfig;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.UUID;

import static io.switchboard.server.WsClient.op;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The server on {@code store.type: postgres} (the test PostgreSQL, a schema of its own): the wire works as on SQLite. */
class PostgresServerTest {
    private static final String URL = "jdbc:postgresql://127.0.0.1:5432/test";

    @TempDir
    java.nio.file.Path dir;
    private final String schema = "sbsrv_" + UUID.randomUUID().toString().replace("-", "").substring(0, 16);
    private SwitchboardServer server;

    @BeforeAll
    static void needsPostgres() {
        boolean up;
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress("127.0.0.1", 5432), 1000);
            up = true;
        } catch (IOException e) {
            up = false;
        }
        Assumptions.assumeTrue(up, "PostgreSQL is not reachable at 127.0.0.1:5432: skipping the postgres server test");
    }

    @AfterEach
    void stop() throws Exception {
        if (server != null) {
            server.close();
        }
        try (Connection c = DriverManager.getConnection(URL, "postgres", null); Statement s = c.createStatement()) {
            s.execute("DROP SCHEMA IF EXISTS " + schema + " CASCADE");
        }
    }

    private ServerConfig config(String url) {
        return TestServers.config(dir).with(ConfigKeys.STORE_TYPE, "postgres").with(ConfigKeys.STORE_POSTGRES_URL, url)
                .with(ConfigKeys.STORE_POSTGRES_SCHEMA, schema).with(ConfigKeys.STORE_POSTGRES_POOL_SIZE, 4);
    }

    private static ObjectNode set(String path, String data) {
        ObjectNode m = op("set").put("path", path);
        m.set("data", Json.parseTrusted(data));
        return m;
    }

    @Test
    void setGetQuerySubscribeOverWebSocketAndRestart() throws Exception {
        server = SwitchboardServer.start(config(URL));
        assertThat(ready(server.port())).isEqualTo(200);
        try (WsClient c = WsClient.connected(server.port()); WsClient watcher = WsClient.connected(server.port())) {
            String sub = watcher.ok(op("subscribe").put("pattern", "/pg/*")).get("sub").asText();
            JsonNode written = c.ok(set("/pg/ann", "{\"name\":\"Ann\",\"age\":31,\"tags\":[\"a\",\"b\"]}"));
            assertThat(written.get("meta").get("version").asLong()).isEqualTo(1);
            c.ok(set("/pg/bob", "{\"name\":\"Bob\",\"age\":20}"));
            JsonNode push = watcher.nextPush();
            assertThat(push.get("sub").asText()).isEqualTo(sub);
            assertThat(push.get("event").get("path").asText()).isEqualTo("/pg/ann");
            assertThat(watcher.nextPush().get("event").get("path").asText()).isEqualTo("/pg/bob");

            JsonNode doc = c.ok(op("get").put("path", "/pg/ann"));
            // the stored text comes back as written, key order included
            assertThat(Json.write(doc.get("data"))).isEqualTo("{\"name\":\"Ann\",\"age\":31,\"tags\":[\"a\",\"b\"]}");
            ObjectNode q = op("get").put("path", "/pg/*");
            q.set("criteria", Json.parseTrusted("{\"$or\":[{\"tags\":\"b\"},{\"name\":{\"$regex\":\"^b\",\"$options\":\"i\"}}]}"));
            q.set("sort", Json.parseTrusted("{\"age\":1}"));
            JsonNode found = c.ok(q);
            assertThat(found.get("items")).hasSize(2);
            assertThat(found.get("items").get(0).get("path").asText()).isEqualTo("/pg/bob");
        }
        server.close();
        server = SwitchboardServer.start(config(URL));
        try (WsClient c = WsClient.connected(server.port())) {
            assertThat(c.ok(op("get").put("path", "/pg/bob")).get("data").get("age").asInt()).isEqualTo(20);
        }
    }

    @Test
    void unreachableDatabaseStopsStartUpWithAClearMessage() throws Exception {
        int closedPort;
        try (ServerSocket s = new ServerSocket(0)) {
            closedPort = s.getLocalPort();
        }
        assertThatThrownBy(() -> SwitchboardServer.start(config("jdbc:postgresql://127.0.0.1:" + closedPort + "/test")))
                .isInstanceOf(io.switchboard.server.config.ConfigException.class)
                .hasMessageContaining("cannot open the PostgreSQL store at jdbc:postgresql://127.0.0.1:" + closedPort);
    }

    private static int ready(int port) throws IOException {
        try (Socket sock = new Socket("127.0.0.1", port)) {
            OutputStream out = sock.getOutputStream();
            out.write(("GET /ready HTTP/1.1\r\nHost: x\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            out.flush();
            return RawHttp.read(sock.getInputStream()).status();
        }
    }
}
