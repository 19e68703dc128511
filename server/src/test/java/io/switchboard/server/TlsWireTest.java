package io.switchboard.server;

import com.fasterxml.jackson.databind.JsonNode;
import io.switchboard.core.json.Json;
import io.switchboard.server.config.ConfigException;
import io.switchboard.server.config.ServerConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.KeyPair;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** HTTPS, WSS and SSE over TLS on the one port; the certificate files and what start-up refuses. */
class TlsWireTest {
    @TempDir
    Path dir;

    private static ServerConfig selfSigned(Path data) {
        return SecureWire.config(data).with("http.tls.selfSigned", true);
    }

    @Test
    void selfSignedCertificateIsGeneratedOnFirstStartAndReusedOnTheNext() throws Exception {
        Path cert = dir.resolve("tls-cert.pem");
        Path key = dir.resolve("tls-key.pem");
        X509Certificate first;
        try (SwitchboardServer s = SwitchboardServer.start(selfSigned(dir))) {
            assertThat(cert).exists();
            assertThat(key).exists();
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(key))).isEqualTo("rw-------");
            first = TlsFiles.read(cert);
            assertThat(served(s.port(), first)).isEqualTo(first);
        }
        String certText = Files.readString(cert);
        String keyText = Files.readString(key);
        try (SwitchboardServer s = SwitchboardServer.start(selfSigned(dir))) {
            assertThat(Files.readString(cert)).isEqualTo(certText);
            assertThat(Files.readString(key)).isEqualTo(keyText);
            assertThat(served(s.port(), first)).isEqualTo(first);
        }
    }

    /** The certificate the server presents, over a client that trusts {@code trusted} only. */
    private static X509Certificate served(int port, X509Certificate trusted) throws Exception {
        HttpResponse<String> r = TlsFiles.client(trusted).send(HttpRequest.newBuilder(
                URI.create("https://127.0.0.1:" + port + "/health")).timeout(Duration.ofSeconds(10)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).isEqualTo(200);
        return (X509Certificate) r.sslSession().orElseThrow().getPeerCertificates()[0];
    }

    @Test
    void httpsWssAndSseShareTheTlsPort() throws Exception {
        try (SwitchboardServer s = SwitchboardServer.start(selfSigned(dir))) {
            HttpClient http = TlsFiles.client(TlsFiles.read(dir.resolve("tls-cert.pem")));
            String base = "https://127.0.0.1:" + s.port();
            HttpResponse<String> login = http.send(post(base + "/api/auth/login",
                    "{\"username\":\"admin\",\"password\":\"" + SecureWire.ADMIN_PW + "\"}"), HttpResponse.BodyHandlers.ofString());
            assertThat(login.statusCode()).isEqualTo(200);
            assertThat(login.headers().firstValue("set-cookie").orElseThrow()).contains("sb_token=").contains("; Secure")
                    .containsIgnoringCase("HttpOnly");
            String token = Json.parseTrusted(login.body()).get("token").asText();

            // SSE: the stream is open (headers read) before the write it must carry.
            BlockingQueue<String> sse = new LinkedBlockingQueue<>();
            HttpResponse<Stream<String>> stream = http.sendAsync(HttpRequest.newBuilder(URI.create(base + "/api/sse?pattern=/tls/**"))
                    .header("Authorization", "Bearer " + token).build(), HttpResponse.BodyHandlers.ofLines())
                    .get(10, TimeUnit.SECONDS);
            assertThat(stream.statusCode()).isEqualTo(200);
            Thread reader = new Thread(() -> {
                try {
                    stream.body().forEach(sse::add);
                } catch (java.io.UncheckedIOException e) {
                    // the stream is closed at the end of the test
                }
            });
            reader.setDaemon(true);
            reader.start();

            try (WsClient ws = WsClient.open(http, URI.create("wss://127.0.0.1:" + s.port() + "/ws"))) {
                assertThat(ws.request(Json.object().put("op", "connect").put("token", token)).path("ok").asBoolean()).isTrue();
                ws.ok(Json.object().put("op", "set").put("path", "/tls/a").set("data", Json.object().put("v", 1)));
                JsonNode got = ws.ok(Json.object().put("op", "get").put("path", "/tls/a"));
                assertThat(got.get("data").get("v").asInt()).isEqualTo(1);
            }
            HttpResponse<String> get = http.send(HttpRequest.newBuilder(URI.create(base + "/api/data/tls/a"))
                    .header("Authorization", "Bearer " + token).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(Json.parseTrusted(get.body()).get("data").get("v").asInt()).isEqualTo(1);
            String line;
            do {
                line = sse.poll(10, TimeUnit.SECONDS);
                assertThat(line).as("an SSE record for /tls/a").isNotNull();
            } while (!(line.startsWith("data: ") && line.contains("/tls/a")));
            stream.body().close();
        }
    }

    @Test
    void plainHttpOnTheTlsPortIsClosedAndTheServerKeepsServing() throws Exception {
        try (SwitchboardServer s = SwitchboardServer.start(selfSigned(dir))) {
            try (Socket sock = new Socket("127.0.0.1", s.port())) {
                sock.setSoTimeout(10_000);
                OutputStream out = sock.getOutputStream();
                out.write("GET /health HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
                out.flush();
                InputStream in = sock.getInputStream();
                // Whatever TLS says (an alert, or nothing), the server closes: the read ends.
                while (in.read() >= 0) {
                    // drain
                }
            }
            X509Certificate cert = TlsFiles.read(dir.resolve("tls-cert.pem"));
            assertThat(served(s.port(), cert)).isEqualTo(cert);
        }
    }

    @Test
    void pemKeysInEveryUsualFormatAreAccepted() throws Exception {
        int i = 0;
        for (String alg : new String[] {"RSA", "EC"}) {
            for (TlsFiles.KeyFormat format : TlsFiles.KeyFormat.values()) {
                KeyPair pair = TlsFiles.keyPair(alg);
                X509Certificate cert = TlsFiles.certificate(pair);
                Path data = dir.resolve("data-" + i++);
                Path certFile = TlsFiles.writeCert(Files.createDirectories(data).resolve("c.pem"), cert);
                Path keyFile = TlsFiles.writeKey(data.resolve("k.pem"), pair, format);
                ServerConfig cfg = SecureWire.config(data).with("http.tls.certPath", certFile.toString())
                        .with("http.tls.keyPath", keyFile.toString());
                try (SwitchboardServer s = SwitchboardServer.start(cfg)) {
                    assertThat(served(s.port(), cert)).as(alg + " " + format).isEqualTo(cert);
                }
            }
        }
    }

    @Test
    void unusableTlsSettingsStopStartUpNamingTheKey() throws Exception {
        KeyPair pair = TlsFiles.keyPair("EC");
        Path cert = TlsFiles.writeCert(dir.resolve("cert.pem"), TlsFiles.certificate(pair));
        Path key = TlsFiles.writeKey(dir.resolve("key.pem"), pair, TlsFiles.KeyFormat.PKCS8);
        Path otherKey = TlsFiles.writeKey(dir.resolve("other.pem"), TlsFiles.keyPair("EC"), TlsFiles.KeyFormat.PKCS8);
        Path rsaKey = TlsFiles.writeKey(dir.resolve("rsa.pem"), TlsFiles.keyPair("RSA"), TlsFiles.KeyFormat.TRADITIONAL);
        Path garbage = Files.writeString(dir.resolve("garbage.pem"), "not a pem file\n");
        Path broken = Files.writeString(dir.resolve("broken.pem"), "-----BEGIN CERTIFICATE-----\n@@@@\n-----END CERTIFICATE-----\n");
        Path missing = dir.resolve("missing.pem");
        Path data = dir.resolve("data");

        refused(data, cert, missing, "http.tls.keyPath", "does not exist");
        refused(data, missing, key, "http.tls.certPath", "does not exist");
        refused(data, garbage, key, "http.tls.certPath", "no PEM certificate");
        refused(data, broken, key, "http.tls.certPath", "");
        refused(data, cert, garbage, "http.tls.keyPath", "no PEM private key");
        refused(data, cert, cert, "http.tls.keyPath", "no PEM private key");
        refused(data, key, key, "http.tls.certPath", "no PEM certificate");
        refused(data, cert, otherKey, "http.tls.keyPath", "does not belong");
        refused(data, cert, rsaKey, "http.tls.keyPath", "does not belong");
        refused(data, dir, key, "http.tls.certPath", "not a file");
        refused(data, cert, null, "http.tls.keyPath", "required");
        refused(data, null, key, "http.tls.certPath", "required");
        assertThatThrownBy(() -> SwitchboardServer.start(SecureWire.config(data).with("http.tls.selfSigned", true)
                .with("http.tls.certPath", cert.toString()))).isInstanceOf(ConfigException.class)
                .hasMessageContaining("http.tls.selfSigned");
        // Refused before the store opened: nothing was written for a server that never ran.
        assertThat(data.resolve("switchboard.db")).doesNotExist();
    }

    @Test
    void halfAGeneratedPairIsRefusedRatherThanSilentlyReplaced() {
        SwitchboardServer.start(selfSigned(dir)).close();
        try {
            Files.delete(dir.resolve("tls-key.pem"));
        } catch (java.io.IOException e) {
            throw new AssertionError(e);
        }
        assertThatThrownBy(() -> SwitchboardServer.start(selfSigned(dir))).isInstanceOf(ConfigException.class)
                .hasMessageContaining("http.tls.selfSigned").hasMessageContaining("tls-key.pem");
    }

    private static void refused(Path data, Path cert, Path key, String namedKey, String says) {
        ServerConfig cfg = SecureWire.config(data);
        if (cert != null) {
            cfg = cfg.with("http.tls.certPath", cert.toString());
        }
        if (key != null) {
            cfg = cfg.with("http.tls.keyPath", key.toString());
        }
        ServerConfig c = cfg;
        assertThatThrownBy(() -> SwitchboardServer.start(c)).as(cert + " / " + key).isInstanceOf(ConfigException.class)
                .hasMessageStartingWith(namedKey).hasMessageContaining(says);
    }

    private static HttpRequest post(String uri, String body) {
        return HttpRequest.newBuilder(URI.create(uri)).timeout(Duration.ofSeconds(10))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)).build();
    }
}
