package io.switchboard.client;

import io.switchboard.core.error.SwitchboardException;
import io.switchboard.core.json.Json;
import io.switchboard.core.model.Event;
import io.switchboard.server.SwitchboardServer;
import io.switchboard.server.config.ServerConfig;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/** The network client over {@code wss://} against a server with a generated self-signed certificate. */
class TlsClientE2ETest {
    static final String ADMIN_PW = "client-tls-admin-password";
    @TempDir
    Path dir;
    SwitchboardServer server;
    Path cert;

    @BeforeEach
    void start() {
        server = SwitchboardServer.start(ServerConfig.defaults().withPort(0).withHost("127.0.0.1").withDataDir(dir)
                .withSecurityEnabled(true).withAdminPassword(ADMIN_PW).with("http.tls.selfSigned", true));
        cert = dir.resolve("tls-cert.pem");
    }

    @AfterEach
    void stop() {
        server.close();
    }

    private ClientOptions.Builder wss() {
        return SwitchboardNetworkClient.builder().url("wss://127.0.0.1:" + server.port()).credentials("admin", ADMIN_PW)
                .connectTimeout(Duration.ofSeconds(10));
    }

    @Test
    void connectsOverWssTrustingThePemFileAndReceivesEvents() {
        try (SwitchboardNetworkClient c = wss().trustCertificate(cert).build().connect()) {
            assertThat(c.connectedAddress().tls()).isTrue();
            BlockingSwitchboardClient b = new BlockingSwitchboardClient(c);
            List<Event> got = new CopyOnWriteArrayList<>();
            b.subscribe("/tls/*", null, got::add);
            b.set("/tls/a", Json.object().put("v", 1));
            assertThat(b.get("/tls/a").data().path("v").asInt()).isEqualTo(1);
            await().atMost(Duration.ofSeconds(30)).until(() -> got.size() == 1);
            assertThat(got.get(0).path()).isEqualTo("/tls/a");
        }
    }

    @Test
    void connectsTrustingAnX509CertificateAndByHostName() throws Exception {
        X509Certificate x509;
        try (InputStream in = Files.newInputStream(cert)) {
            x509 = (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(in);
        }
        try (SwitchboardNetworkClient c = SwitchboardNetworkClient.builder().url("wss://localhost:" + server.port() + "/ws")
                .credentials("admin", ADMIN_PW).trustCertificate(x509).build().connect()) {
            new BlockingSwitchboardClient(c).set("/tls/b", Json.object().put("v", 2));
            assertThat(new BlockingSwitchboardClient(c).get("/tls/b").data().path("v").asInt()).isEqualTo(2);
        }
    }

    @Test
    void anUntrustedCertificateIsRefused() {
        // The JDK's default trust store does not know the self-signed certificate.
        assertThatThrownBy(() -> wss().connectTimeout(Duration.ofSeconds(2)).build().connect())
                .isInstanceOf(SwitchboardException.class);
    }

    @Test
    void plainWsToTheTlsPortDoesNotConnect() {
        assertThatThrownBy(() -> SwitchboardNetworkClient.builder().address("127.0.0.1", server.port())
                .credentials("admin", ADMIN_PW).connectTimeout(Duration.ofSeconds(2)).build().connect())
                .isInstanceOf(SwitchboardException.class);
    }

    @Test
    void addressesParseFromUrls() {
        assertThat(ServerAddress.parse("wss://h:9443")).isEqualTo(new ServerAddress("h", 9443, true));
        assertThat(ServerAddress.parse("ws://h:80/ws")).isEqualTo(new ServerAddress("h", 80, false));
        assertThat(ServerAddress.parse("wss://h")).isEqualTo(new ServerAddress("h", 443, true));
        assertThat(ServerAddress.parse("h:1")).isEqualTo(new ServerAddress("h", 1));
        assertThat(ServerAddress.parse("wss://[::1]:9").webSocketUri().toString()).isEqualTo("wss://[::1]:9/ws");
        assertThatThrownBy(() -> ServerAddress.parse("https://h:1")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> ServerAddress.parse("wss://h:1/other")).isInstanceOf(IllegalArgumentException.class);
    }
}
