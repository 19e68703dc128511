package io.switchboard.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.switchboard.core.json.Json;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;

import static io.switchboard.server.SecureWire.bearer;
import static io.switchboard.server.WsClient.op;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The smaller hardening findings, each over real sockets with several variants: sorting on an
 * unknown meta field, numbers no stored number holds, reserved meta names, malformed HTTP that
 * must close the connection, a second connect, cookie requests from other sites, the database
 * file's mode, and a write-only user's CONFLICT.
 */
class SmallHardeningWireTest {
    @TempDir
    Path dir;
    SwitchboardServer server;
    SecureWire secure;

    @AfterEach
    void stop() {
        if (server != null) {
            server.close();
        }
        if (secure != null) {
            secure.close();
        }
    }

    static ObjectNode msg(String json) throws Exception {
        return (ObjectNode) Json.parse(json);
    }

    @Test
    void sortingOnAnUnknownMetaFieldIsABadRequestOnEveryDoor() throws Exception {
        server = SwitchboardServer.start(TestServers.config(dir));
        WsClient c = WsClient.connected(server.port());
        c.ok(op("set").put("path", "/s/a").set("data", Json.object().put("n", 1)));
        for (String sort : List.of("{\"_meta.nope\":1}", "\"-_meta.nope\"", "[\"_meta.\"]", "[\"n\",\"_meta.createdBy\"]")) {
            JsonNode r = c.request(msg("{\"op\":\"get\",\"path\":\"/s/*\",\"sort\":" + sort + "}"));
            assertThat(r.at("/error/code").asText()).as(sort).isEqualTo("BAD_REQUEST");
            assertThat(r.at("/error/message").asText()).startsWith("'sort'").contains("_meta.");
        }
        for (String q : List.of("_meta.nope", "-_meta.x", enc("{\"_meta.nope\":-1}"))) {
            HttpResponse<String> r = new SecureWire(server).send("GET", "/api/data/s/*?sort=" + q, null);
            assertThat(r.statusCode()).as(q).isEqualTo(400);
            assertThat(r.body()).contains("BAD_REQUEST").contains("'sort'");
        }
        assertThat(c.ok(msg("{\"op\":\"get\",\"path\":\"/s/*\",\"sort\":\"-_meta.modified\"}")).path("items").size()).isEqualTo(1);
        c.close();
    }

    @Test
    void numbersNoStoredNumberHoldsAreRefusedAndTheRestReadBackExactly() throws Exception {
        server = SwitchboardServer.start(TestServers.config(dir));
        WsClient c = WsClient.connected(server.port());
        for (String n : List.of("1e400", "-1e400", "1E+999", "1e-400", "-2.5e-500", "123456789012345678901234567890",
                "-9223372036854775809")) {
            for (String m : List.of("{\"op\":\"set\",\"path\":\"/n/a\",\"data\":{\"n\":" + n + "}}",
                    "{\"op\":\"set\",\"path\":\"/n/a\",\"data\":[[" + n + "]]}",
                    "{\"op\":\"set\",\"path\":\"/n/a\",\"data\":" + n + "}",
                    "{\"op\":\"publish\",\"path\":\"/n/a\",\"data\":{\"n\":" + n + "}}")) {
                JsonNode r = c.request(msg(m));
                assertThat(r.at("/error/code").asText()).as(m).isEqualTo("BAD_REQUEST");
                assertThat(r.at("/error/message").asText()).as(m).startsWith("'data'").contains("out of range");
            }
            JsonNode q = c.request(msg("{\"op\":\"get\",\"path\":\"/n/*\",\"criteria\":{\"n\":{\"$gt\":" + n + "}}}"));
            assertThat(q.at("/error/message").asText()).startsWith("'criteria'");
            HttpResponse<String> h = new SecureWire(server).send("PUT", "/api/data/n/h", "{\"n\":" + n + "}",
                    "Content-Type", "application/json");
            assertThat(h.statusCode()).isEqualTo(400);
            assertThat(h.body()).contains("out of range");
        }
        assertThat(c.request(op("get").put("path", "/n/a")).at("/error/code").asText()).isEqualTo("NOT_FOUND");
        // at the edges of what a double and a long hold: stored and read back as sent
        c.ok(msg("{\"op\":\"set\",\"path\":\"/n/ok\",\"data\":{\"big\":1.7976931348623157e308,\"tiny\":4.9e-324,"
                + "\"zero\":0.0,\"max\":9223372036854775807,\"min\":-9223372036854775808,\"x\":1.5}}"));
        JsonNode d = c.ok(op("get").put("path", "/n/ok")).get("data");
        assertThat(d.get("big").asDouble()).isEqualTo(Double.MAX_VALUE);
        assertThat(d.get("tiny").asDouble()).isEqualTo(Double.MIN_VALUE);
        assertThat(d.get("zero").asDouble()).isZero();
        assertThat(d.get("max").asLong()).isEqualTo(Long.MAX_VALUE);
        assertThat(d.get("min").asLong()).isEqualTo(Long.MIN_VALUE);
        assertThat(d.get("x").asDouble()).isEqualTo(1.5);
        c.close();
    }

    @Test
    void reservedMetaNamesCannotBeSetAsCustomMeta() throws Exception {
        server = SwitchboardServer.start(TestServers.config(dir));
        WsClient c = WsClient.connected(server.port());
        for (String name : List.of("modifiedBy", "version", "by", "created")) {
            for (String op : List.of("set", "publish")) {
                JsonNode r = c.request(msg("{\"op\":\"" + op + "\",\"path\":\"/m/a\",\"data\":1,\"meta\":{\"" + name + "\":\"x\"}}"));
                assertThat(r.at("/error/code").asText()).isEqualTo("BAD_REQUEST");
                assertThat(r.at("/error/message").asText()).contains("'meta." + name + "'").contains("reserved");
            }
            HttpResponse<String> h = new SecureWire(server).send("PUT", "/api/data/m/a?meta=" + enc("{\"" + name + "\":\"x\"}"),
                    "1", "Content-Type", "application/json");
            assertThat(h.statusCode()).isEqualTo(400);
            assertThat(h.body()).contains("meta." + name);
        }
        assertThat(c.request(op("get").put("path", "/m/a")).at("/error/code").asText()).isEqualTo("NOT_FOUND");
        c.close();
    }

    @Test
    void malformedHttpIsAnsweredWith400AndTheConnectionIsClosed() throws Exception {
        server = SwitchboardServer.start(TestServers.config(dir));
        WsClient bystander = WsClient.connected(server.port());
        String smuggled = "GET /api/data/secret HTTP/1.1\r\nHost: x\r\n\r\n";
        List<String> requests = List.of(
                "POST /api/publish/p HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 4\r\n"
                        + "Transfer-Encoding: chunked\r\n\r\n0\r\n\r\n" + smuggled,
                "POST /api/publish/p HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n"
                        + "Content-Length: 60\r\n\r\n0\r\n\r\n" + smuggled,
                "PUT /api/data/p HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 2\r\n"
                        + "Content-Length: 40\r\n\r\n{}" + smuggled,
                "GET /health HTTP/1.1\r\nHost: x\r\nX-Big: " + "a".repeat(100_000) + "\r\n\r\n" + smuggled,
                "GET /health HTTP/1.1\r\nHost: x\r\n" + "X-Many: b\r\n".repeat(5000) + "\r\n" + smuggled);
        for (String req : requests) {
            try (Socket s = new Socket("127.0.0.1", server.port())) {
                s.setSoTimeout(10_000);
                OutputStream out = s.getOutputStream();
                out.write(req.getBytes(StandardCharsets.ISO_8859_1));
                out.flush();
                InputStream in = s.getInputStream();
                RawHttp.Response r = RawHttp.read(in);
                assertThat(r.status()).as(req.substring(0, 60)).isEqualTo(400);
                assertThat(r.body()).contains("BAD_REQUEST").contains("not valid HTTP");
                assertThat(r.headers().toLowerCase()).contains("connection: close");
                assertThat(closedByServer(in)).as("closed after " + req.substring(0, 60)).isTrue();
            }
            assertThat(bystander.ok(op("ping")).asText()).isEqualTo("pong");
        }
        bystander.close();
    }

    /** True when the server closed (nothing more, in particular no answer to a smuggled request). */
    private static boolean closedByServer(InputStream in) throws IOException {
        try {
            return in.read() < 0;
        } catch (SocketTimeoutException e) {
            return false;
        } catch (IOException reset) {
            return true;
        }
    }

    @Test
    void aSecondConnectIsABadRequestInInsecureModeToo() {
        server = SwitchboardServer.start(TestServers.config(dir));
        WsClient c = WsClient.connected(server.port());
        for (int i = 0; i < 3; i++) {
            JsonNode r = c.request(op("connect"));
            assertThat(r.at("/error/code").asText()).isEqualTo("BAD_REQUEST");
            assertThat(r.at("/error/message").asText()).contains("connect");
        }
        assertThat(c.ok(op("ping")).asText()).isEqualTo("pong");
        c.close();
    }

    @Test
    void cookieRequestsThatChangeStateFromAnotherSiteAreRefused() throws Exception {
        secure = new SecureWire(dir, c -> c.withCorsOrigins(List.of("https://app.example")));
        HttpResponse<String> login = secure.send("POST", "/api/auth/login",
                "{\"username\":\"admin\",\"password\":\"" + SecureWire.ADMIN_PW + "\"}", "Content-Type", "application/json");
        String cookie = login.headers().firstValue("set-cookie").orElseThrow().split(";")[0];
        String token = SecureWire.json(login).get("token").asText();
        String self = "http://127.0.0.1:" + secure.port();
        String json = "application/json";
        // {method, path, origin or null, content type or null}
        String[][] refused = {
                {"PUT", "/api/data/c/a", "https://evil.example", json},
                {"PUT", "/api/data/c/a", "null", json},
                {"PATCH", "/api/data/c/a", "http://127.0.0.1:1", json},
                {"DELETE", "/api/data/c/a", "https://evil.example", null},
                {"POST", "/api/publish/c/a", "https://app.example.evil", json},
                {"PUT", "/api/data/c/a", null, "text/plain"},
                {"PUT", "/api/data/c/a", self, "text/plain;charset=UTF-8"},
                {"POST", "/api/publish/c/a", null, "application/x-www-form-urlencoded"},
                {"POST", "/api/publish/c/a", "https://app.example", "multipart/form-data; boundary=x"},
                {"POST", "/api/auth/logout", "https://evil.example", null},
        };
        for (String[] r : refused) {
            String body = r[0].equals("DELETE") || r[1].contains("logout") ? null
                    : r[1].startsWith("/api/publish") ? "{\"data\":1}" : "{\"v\":1}";
            HttpResponse<String> res = secure.send(r[0], r[1], body,
                    headers(cookie, r[2], r[3]));
            assertThat(res.statusCode()).as(String.join(" ", java.util.Arrays.asList(r))).isEqualTo(403);
            assertThat(res.body()).contains("FORBIDDEN").contains("sb_token").containsAnyOf("origin", "Content-Type");
        }
        assertThat(secure.send("GET", "/api/data/c/a", null, "Authorization", bearer(token)).statusCode()).isEqualTo(404);
        // the same cookie from this server's own pages, or from a listed origin, or without Origin: allowed
        assertThat(secure.send("PUT", "/api/data/c/a", "{\"v\":1}", headers(cookie, self, json)).statusCode()).isEqualTo(200);
        assertThat(secure.send("PUT", "/api/data/c/a", "{\"v\":2}", headers(cookie, "https://app.example", json)).statusCode()).isEqualTo(200);
        assertThat(secure.send("PUT", "/api/data/c/a", "{\"v\":3}", headers(cookie, null, json)).statusCode()).isEqualTo(200);
        // reads are not guarded (CORS keeps other sites from reading the answer)
        assertThat(secure.send("GET", "/api/data/c/a", null, headers(cookie, "https://evil.example", null)).statusCode()).isEqualTo(200);
        // a bearer token is not a cookie: no other site can attach it
        assertThat(secure.send("PUT", "/api/data/c/b", "{\"v\":1}", "Authorization", bearer(token),
                "Origin", "https://evil.example", "Content-Type", "text/plain").statusCode()).isEqualTo(200);
    }

    private static String[] headers(String cookie, String origin, String type) {
        List<String> h = new java.util.ArrayList<>(List.of("Cookie", cookie));
        if (origin != null) {
            h.addAll(List.of("Origin", origin));
        }
        if (type != null) {
            h.addAll(List.of("Content-Type", type));
        }
        return h.toArray(new String[0]);
    }

    @Test
    void theDatabaseAndItsWalAreOwnerOnly() throws Exception {
        server = SwitchboardServer.start(TestServers.config(dir));
        WsClient c = WsClient.connected(server.port());
        c.ok(op("set").put("path", "/f/a").put("data", 1));
        c.close();
        for (String f : List.of("switchboard.db", "switchboard.db-wal", "switchboard.db-shm")) {
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(dir.resolve(f)))).as(f).isEqualTo("rw-------");
        }
        server.close();
        // a database left readable by an older version is narrowed on the next start
        Files.setPosixFilePermissions(dir.resolve("switchboard.db"), PosixFilePermissions.fromString("rw-r--r--"));
        server = SwitchboardServer.start(TestServers.config(dir));
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(dir.resolve("switchboard.db")))).isEqualTo("rw-------");
    }

    @Test
    void aWriteOnlyUserDoesNotLearnTheVersionFromAConflict() throws Exception {
        secure = new SecureWire(dir);
        secure.group("writeonly", "{'/wo/**': {'actions': ['set']}}");
        secure.group("readwrite", "{'/wo/**': {'actions': ['set','get']}}");
        secure.user("wo", null, List.of("writeonly"), List.of());
        secure.user("rw", null, List.of("readwrite"), List.of());
        WsClient admin = secure.ws(secure.login("admin", SecureWire.ADMIN_PW));
        for (int i = 0; i < 7; i++) {
            admin.ok(op("set").put("path", "/wo/doc").put("data", i));
        }
        WsClient wo = secure.ws(secure.login("wo"));
        for (long v : new long[] {0, 1, 6, 99}) {
            JsonNode r = wo.request(op("set").put("path", "/wo/doc").put("data", 1).put("ifVersion", v));
            assertThat(r.at("/error/code").asText()).isEqualTo("CONFLICT");
            assertThat(r.at("/error/message").asText()).doesNotContain("7").contains("not shown");
            HttpResponse<String> h = secure.send("PUT", "/api/data/wo/doc?ifVersion=" + v, "1",
                    "Authorization", bearer(secure.login("wo")), "Content-Type", "application/json");
            assertThat(h.statusCode()).isEqualTo(409);
            assertThat(h.body()).doesNotContain("7");
        }
        // one who may read sees the version, as before
        WsClient rw = secure.ws(secure.login("rw"));
        assertThat(rw.request(op("set").put("path", "/wo/doc").put("data", 1).put("ifVersion", 1))
                .at("/error/message").asText()).contains("7");
        admin.close();
        wo.close();
        rw.close();
    }

    static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }
}
