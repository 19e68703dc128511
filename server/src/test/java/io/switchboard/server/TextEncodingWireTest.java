package io.switchboard.server;

import com.fasterxml.jackson.databind.JsonNode;
import io.switchboard.core.json.Json;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static io.switchboard.server.SecureWire.bearer;
import static io.switchboard.server.WsClient.op;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Text that is not well-formed Unicode never names a path or lands in data: lone UTF-16
 * surrogates (JSON escapes) are BAD_REQUEST naming the field, WebSocket text frames that are
 * not UTF-8 close with 1007, and HTTP paths, queries and bodies that are not UTF-8 are 400 —
 * so no encoding of one path can alias another and slip past a permission on it.
 */
class TextEncodingWireTest {
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

    /** Lone surrogates as JSON escapes: high, low, reversed pair, high at the end. */
    static final List<String> LONE = List.of("\\ud800", "\\udc00", "\\udfff\\ud800", "\\udbff");

    @Test
    void loneSurrogatesInPathsAreRefusedByEveryOpAndCannotAliasAProhibitedPath() throws Exception {
        secure = new SecureWire(dir);
        secure.group("zone", "{'/zone/**': {'actions': ['*']}, '/zone/?x': {'prohibit': ['*']}, '/zone/\uFFFDx': {'prohibit': ['*']}}");
        secure.user("mallory", null, List.of("zone"), List.of());
        String admin = secure.login("admin", SecureWire.ADMIN_PW);
        for (String p : List.of("/zone/?x", "/zone/\uFFFDx")) {
            assertThat(secure.send("PUT", "/api/data" + enc(p), "{\"secret\":1}", "Authorization", bearer(admin),
                    "Content-Type", "application/json").statusCode()).isEqualTo(200);
        }
        WsClient m = secure.ws(secure.login("mallory"));
        WsClient bystander = secure.ws(admin);
        int id = 1000;
        for (String lone : LONE) {
            List<String> messages = List.of(
                    "{\"op\":\"get\",\"path\":\"/zone/" + lone + "x\"}",
                    "{\"op\":\"set\",\"path\":\"/zone/" + lone + "x\",\"data\":{\"v\":1}}",
                    "{\"op\":\"remove\",\"path\":\"/zone/" + lone + "x\"}",
                    "{\"op\":\"publish\",\"path\":\"/zone/" + lone + "x\",\"data\":1}",
                    "{\"op\":\"subscribe\",\"pattern\":\"/zone/" + lone + "x\"}",
                    "{\"op\":\"history\",\"pattern\":\"/zone/" + lone + "*\"}",
                    "{\"op\":\"count\",\"path\":\"/zone/" + lone + "*\"}");
            for (String msg : messages) {
                id++;
                m.sendText(msg.replace("{\"op\"", "{\"id\":" + id + ",\"op\""));
                JsonNode r = m.awaitReply(id);
                assertThat(r.at("/error/code").asText()).as(msg).isEqualTo("BAD_REQUEST");
                assertThat(r.at("/error/message").asText()).as(msg).containsAnyOf("'path'", "'pattern'").contains("surrogate");
                assertThat(r.toString()).doesNotContain("secret");
            }
            assertThat(bystander.ok(op("ping")).asText()).isEqualTo("pong");
        }
        // the prohibited documents are as the admin wrote them
        for (String p : List.of("/zone/?x", "/zone/\uFFFDx")) {
            assertThat(bystander.ok(op("get").put("path", p)).at("/data/secret").asInt()).isEqualTo(1);
        }
        // a proper pair is a character like any other
        JsonNode ok = m.ok((com.fasterxml.jackson.databind.node.ObjectNode) Json.parse(
                "{\"op\":\"set\",\"path\":\"/zone/\\ud83d\\ude00\",\"data\":{\"s\":\"\\ud83d\\ude00\"}}"));
        assertThat(ok.path("path").asText()).isEqualTo("/zone/\uD83D\uDE00");
        assertThat(SecureWire.json(secure.send("GET", "/api/data/zone/%F0%9F%98%80", null, "Authorization", bearer(admin)))
                .at("/data/s").asText()).isEqualTo("\uD83D\uDE00");
        m.close();
        bystander.close();
    }

    @Test
    void loneSurrogatesInDataMetaAndCriteriaAreRefusedNamingTheField() throws Exception {
        server = SwitchboardServer.start(TestServers.config(dir));
        WsClient c = WsClient.connected(server.port());
        int id = 0;
        for (String lone : LONE) {
            String[][] cases = {
                    {"data", "{\"op\":\"set\",\"path\":\"/d/a\",\"data\":{\"s\":\"a" + lone + "\"}}"},
                    {"data", "{\"op\":\"set\",\"path\":\"/d/a\",\"data\":{\"" + lone + "\":1}}"},
                    {"data", "{\"op\":\"set\",\"path\":\"/d/a\",\"data\":[[1,{\"k\":[\"" + lone + "\"]}]]}"},
                    {"data", "{\"op\":\"set\",\"path\":\"/d/a\",\"data\":\"" + lone + "\"}"},
                    {"data", "{\"op\":\"publish\",\"path\":\"/d/a\",\"data\":{\"s\":\"" + lone + "\"}}"},
                    {"meta", "{\"op\":\"set\",\"path\":\"/d/a\",\"data\":1,\"meta\":{\"note\":\"" + lone + "\"}}"},
                    {"criteria", "{\"op\":\"get\",\"path\":\"/d/*\",\"criteria\":{\"s\":\"" + lone + "\"}}"},
            };
            for (String[] k : cases) {
                id++;
                c.sendText(k[1].replace("{\"op\"", "{\"id\":" + id + ",\"op\""));
                JsonNode r = c.awaitReply(id);
                assertThat(r.at("/error/code").asText()).as(k[1]).isEqualTo("BAD_REQUEST");
                assertThat(r.at("/error/message").asText()).as(k[1]).startsWith("'" + k[0] + "'").contains("surrogate");
            }
        }
        assertThat(c.request(op("get").put("path", "/d/a")).at("/error/code").asText()).isEqualTo("NOT_FOUND");
        // over HTTP the same: a body with an escaped lone surrogate
        HttpResponseView r = http("PUT /api/data/d/a HTTP/1.1", "{\"s\":\"\\ud800\"}".getBytes(StandardCharsets.UTF_8));
        assertThat(r.status).isEqualTo(400);
        assertThat(r.body).contains("surrogate");
        c.close();
    }

    /** Bytes that are not UTF-8: a stray 0xff, overlong '.', an encoded surrogate, a cut sequence, a lone continuation. */
    static final List<byte[]> NOT_UTF8 = List.of(
            new byte[] {(byte) 0xff},
            new byte[] {(byte) 0xc0, (byte) 0xae},
            new byte[] {(byte) 0xe0, (byte) 0x80, (byte) 0xae},
            new byte[] {(byte) 0xed, (byte) 0xa0, (byte) 0x80},
            new byte[] {(byte) 0xe2, (byte) 0x82},
            new byte[] {(byte) 0x80});

    @Test
    void webSocketTextFramesThatAreNotUtf8CloseWith1007() throws Exception {
        server = SwitchboardServer.start(TestServers.config(dir));
        WsClient bystander = WsClient.connected(server.port());
        for (byte[] bad : NOT_UTF8) {
            try (RawWs raw = new RawWs(server.port(), 0)) {
                raw.sendText("{\"id\":1,\"op\":\"connect\"}");
                assertThat(raw.readMessages(1, 5000).get(0)).contains("\"ok\":true");
                ByteArrayOutputStream msg = new ByteArrayOutputStream();
                msg.writeBytes("{\"id\":2,\"op\":\"set\",\"path\":\"/w/".getBytes(StandardCharsets.UTF_8));
                msg.writeBytes(bad);
                msg.writeBytes("x\",\"data\":1}".getBytes(StandardCharsets.UTF_8));
                raw.sendTextBytes(msg.toByteArray());
                List<String> texts = new ArrayList<>();
                assertThat(raw.readCloseCode(5000, texts)).isEqualTo(1007);
                assertThat(String.join("", texts)).contains("not valid UTF-8");
            }
            assertThat(bystander.ok(op("ping")).asText()).isEqualTo("pong");
        }
        assertThat(bystander.ok(op("get").put("path", "/w/*")).path("items").size()).isZero();
        bystander.close();
    }

    @Test
    void httpPathsQueriesAndBodiesThatAreNotUtf8AreRefused() throws Exception {
        server = SwitchboardServer.start(TestServers.config(dir));
        WsClient bystander = WsClient.connected(server.port());
        // percent-escapes that are not UTF-8, and the same bytes sent raw
        for (String esc : List.of("%ff", "%FF", "%c0%ae", "%C0%AE%C0%AE", "%e0%80%ae", "%ed%a0%80", "%e2%82", "%80")) {
            for (String method : List.of("GET", "PUT", "DELETE")) {
                HttpResponseView r = http(method + " /api/data/zone/" + esc + "x HTTP/1.1",
                        method.equals("PUT") ? "{\"v\":1}".getBytes(StandardCharsets.UTF_8) : null);
                assertThat(r.status).as(method + " " + esc).isEqualTo(400);
                assertThat(r.body).contains("'path'").contains("not UTF-8");
            }
            HttpResponseView q = http("GET /api/data/zone/*?criteria=%7B%22s%22:%22" + esc + "%22%7D HTTP/1.1", null);
            assertThat(q.status).isEqualTo(400);
            assertThat(q.body).contains("'query'");
            assertThat(http("GET /api/sse?pattern=/zone/" + esc + " HTTP/1.1", null).status).isEqualTo(400);
            assertThat(bystander.ok(op("ping")).asText()).isEqualTo("pong");
        }
        for (byte[] bad : NOT_UTF8) {
            ByteArrayOutputStream line = new ByteArrayOutputStream();
            line.writeBytes("GET /api/data/zone/".getBytes(StandardCharsets.US_ASCII));
            line.writeBytes(bad);
            line.writeBytes("x HTTP/1.1".getBytes(StandardCharsets.US_ASCII));
            HttpResponseView r = http(line.toByteArray(), null);
            assertThat(r.status).isEqualTo(400);
            // a body that is not UTF-8
            ByteArrayOutputStream body = new ByteArrayOutputStream();
            body.writeBytes("{\"s\":\"".getBytes(StandardCharsets.UTF_8));
            body.writeBytes(bad);
            body.writeBytes("\"}".getBytes(StandardCharsets.UTF_8));
            HttpResponseView b = http("PUT /api/data/zone/b HTTP/1.1", body.toByteArray());
            assertThat(b.status).isEqualTo(400);
            assertThat(b.body).contains("'body'").contains("not valid UTF-8");
        }
        assertThat(bystander.ok(op("get").put("path", "/zone/**")).path("items").size()).isZero();
        // UTF-8 escapes are a path like the same text sent over the WebSocket
        assertThat(http("PUT /api/data/zone/%C3%A9t%C3%A9 HTTP/1.1", "{\"v\":2}".getBytes(StandardCharsets.UTF_8)).status).isEqualTo(200);
        assertThat(bystander.ok(op("get").put("path", "/zone/\u00e9t\u00e9")).at("/data/v").asInt()).isEqualTo(2);
        bystander.close();
    }

    record HttpResponseView(int status, String body) { }

    HttpResponseView http(String requestLine, byte[] body) throws IOException {
        return http(requestLine.getBytes(StandardCharsets.US_ASCII), body);
    }

    HttpResponseView http(byte[] requestLine, byte[] body) throws IOException {
        int port = server != null ? server.port() : secure.port();
        try (Socket s = new Socket("127.0.0.1", port)) {
            s.setSoTimeout(10_000);
            OutputStream out = s.getOutputStream();
            out.write(requestLine);
            String head = "\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
                    + (body == null ? "" : "Content-Length: " + body.length + "\r\n") + "\r\n";
            out.write(head.getBytes(StandardCharsets.US_ASCII));
            if (body != null) {
                out.write(body);
            }
            out.flush();
            RawHttp.Response r = RawHttp.read(s.getInputStream());
            return new HttpResponseView(r.status(), r.body());
        }
    }

    static String enc(String path) {
        StringBuilder b = new StringBuilder();
        for (String seg : path.substring(1).split("/")) {
            b.append('/').append(java.net.URLEncoder.encode(seg, StandardCharsets.UTF_8).replace("+", "%20"));
        }
        return b.toString();
    }
}
