package io.switchboard.server;

import io.switchboard.server.config.ConfigException;
import io.switchboard.server.config.ConfigKeys;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
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
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Public static files (http.static.*) through real HTTP: serving, validators, and every traversal trick. */
class StaticFilesWireTest {
    @TempDir
    Path tmp;
    Path web;
    Path outside;
    SwitchboardServer server;
    final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @BeforeEach
    void files() throws IOException {
        web = Files.createDirectories(tmp.resolve("web"));
        outside = Files.createDirectories(tmp.resolve("outside"));
        Files.writeString(web.resolve("index.html"), "<h1>home</h1>");
        Files.writeString(web.resolve("app.js"), "console.log(1)");
        Files.writeString(web.resolve("style.css"), "body{}");
        Files.writeString(web.resolve("blob.bin"), "??");
        Files.writeString(web.resolve("my file.txt"), "spaced");
        Files.createDirectories(web.resolve("docs"));
        Files.writeString(web.resolve("docs/index.html"), "<p>docs</p>");
        Files.createDirectories(web.resolve("empty"));
        Files.writeString(web.resolve(".env"), "SECRET=1");
        Files.writeString(outside.resolve("secret.txt"), "TOP SECRET");
        Files.createSymbolicLink(web.resolve("escape.txt"), outside.resolve("secret.txt"));
        Files.createSymbolicLink(web.resolve("escape-dir"), outside);
        Files.createSymbolicLink(web.resolve("inside-link.js"), web.resolve("app.js"));
    }

    @AfterEach
    void stop() {
        if (server != null) {
            server.close();
        }
    }

    private void start(String prefix) {
        server = SwitchboardServer.start(TestServers.config(tmp.resolve("data"))
                .with(ConfigKeys.HTTP_STATIC_DIR, web.toString()).with(ConfigKeys.HTTP_STATIC_PREFIX, prefix)
                .with(ConfigKeys.HTTP_STATIC_MAX_FILE_BYTES, 4L << 20));
    }

    private HttpResponse<String> get(String path, String... headers) throws Exception {
        return send("GET", path, headers);
    }

    private HttpResponse<String> send(String method, String path, String... headers) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + path))
                .timeout(Duration.ofSeconds(10)).method(method, HttpRequest.BodyPublishers.noBody());
        for (int i = 0; i < headers.length; i += 2) {
            b.header(headers[i], headers[i + 1]);
        }
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    /** The path exactly as written, no client normalizing it. */
    private RawHttp.Response raw(String target) throws IOException {
        try (Socket s = new Socket("127.0.0.1", server.port())) {
            s.setSoTimeout(10_000);
            OutputStream out = s.getOutputStream();
            out.write(("GET " + target + " HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
            InputStream in = s.getInputStream();
            return RawHttp.read(in);
        }
    }

    @Test
    void servesFilesWithTypesIndexAndValidators() throws Exception {
        start("/");
        HttpResponse<String> home = get("/");
        assertThat(home.statusCode()).isEqualTo(200);
        assertThat(home.body()).isEqualTo("<h1>home</h1>");
        assertThat(home.headers().firstValue("content-type")).hasValue("text/html; charset=utf-8");
        assertThat(get("/app.js").headers().firstValue("content-type")).hasValue("text/javascript; charset=utf-8");
        assertThat(get("/style.css").headers().firstValue("content-type")).hasValue("text/css; charset=utf-8");
        assertThat(get("/blob.bin").headers().firstValue("content-type")).hasValue("application/octet-stream");
        assertThat(get("/app.js").headers().firstValue("x-content-type-options")).hasValue("nosniff");
        assertThat(get("/my%20file.txt").body()).isEqualTo("spaced");
        assertThat(get("/docs/").body()).isEqualTo("<p>docs</p>");
        HttpResponse<String> redirect = get("/docs?x=1");
        assertThat(redirect.statusCode()).isEqualTo(301);
        assertThat(redirect.headers().firstValue("location")).hasValue("/docs/?x=1");
        assertThat(get("/empty/").statusCode()).as("no listing, no index").isEqualTo(404);
        assertThat(get("/inside-link.js").body()).isEqualTo("console.log(1)");
        assertThat(get("/app.js?v=123").statusCode()).as("cache-busting query").isEqualTo(200);
        // the routes of the API still win over the fallback
        assertThat(get("/health").body()).contains("ok");
        assertThat(get("/nope.html").statusCode()).isEqualTo(404);
        assertThat(send("POST", "/app.js").statusCode()).isEqualTo(404);

        HttpResponse<String> js = get("/app.js");
        String etag = js.headers().firstValue("etag").orElseThrow();
        String modified = js.headers().firstValue("last-modified").orElseThrow();
        assertThat(js.headers().firstValue("cache-control")).hasValue("no-cache");
        assertThat(get("/app.js", "If-None-Match", etag).statusCode()).isEqualTo(304);
        assertThat(get("/app.js", "If-None-Match", "W/" + etag + ", \"other\"").statusCode()).isEqualTo(304);
        assertThat(get("/app.js", "If-None-Match", "\"other\"").statusCode()).isEqualTo(200);
        assertThat(get("/app.js", "If-Modified-Since", modified).statusCode()).isEqualTo(304);
        assertThat(get("/app.js", "If-Modified-Since", "Thu, 01 Jan 1970 00:00:00 GMT").statusCode()).isEqualTo(200);
        HttpResponse<String> head = send("HEAD", "/app.js");
        assertThat(head.statusCode()).isEqualTo(200);
        assertThat(head.body()).isEmpty();
        assertThat(head.headers().firstValue("content-length")).hasValue("14");
        // a changed file is a new version
        Files.writeString(web.resolve("app.js"), "console.log(22)");
        Files.setLastModifiedTime(web.resolve("app.js"), java.nio.file.attribute.FileTime.fromMillis(System.currentTimeMillis() + 5_000));
        assertThat(get("/app.js", "If-None-Match", etag).statusCode()).isEqualTo(200);
    }

    @Test
    void traversalNeverLeavesTheDirectory() throws Exception {
        start("/");
        for (String t : new String[] {"/../outside/secret.txt", "/docs/../../outside/secret.txt", "/%2e%2e/outside/secret.txt",
                "/%2E%2E/outside/secret.txt", "/.%2e/outside/secret.txt", "/docs/%2e%2e/%2e%2e/outside/secret.txt",
                "/..%2foutside%2fsecret.txt", "/%2e%2e%2foutside%2fsecret.txt", "/..%5coutside%5csecret.txt",
                "/..\\outside\\secret.txt", "/app.js%00.html", "/%00", "/./app.js"}) {
            RawHttp.Response r = raw(t);
            assertThat(r.status()).as(t).isIn(400, 404);
            assertThat(r.body()).as(t).doesNotContain("TOP SECRET");
        }
        // an absolute path is read relative to the directory, never from the file system's root
        assertThat(raw("//" + outside.resolve("secret.txt")).status()).isEqualTo(404);
        assertThat(raw("/" + outside.resolve("secret.txt")).body()).doesNotContain("TOP SECRET");
        assertThat(raw("//etc/passwd").status()).isEqualTo(404);
        // symlinks that leave the directory, and dotfiles, are not served
        assertThat(raw("/escape.txt").status()).isEqualTo(404);
        assertThat(raw("/escape-dir/secret.txt").status()).isEqualTo(404);
        assertThat(raw("/.env").status()).isEqualTo(404);
        assertThat(raw("/%2eenv").status()).isEqualTo(404);
        assertThat(raw("/%ff").status()).isEqualTo(400);
    }

    @Test
    void aMountServesOnlyBelowItsPrefixAndBigFilesStream() throws Exception {
        byte[] big = new byte[3 * 1024 * 1024 + 17];
        new java.util.Random(7).nextBytes(big);
        Files.write(web.resolve("big.bin"), big);
        Files.write(web.resolve("toobig.bin"), new byte[(4 << 20) + 1]);
        start("/app");
        assertThat(get("/app/app.js").statusCode()).isEqualTo(200);
        assertThat(get("/app/").body()).isEqualTo("<h1>home</h1>");
        assertThat(get("/app").statusCode()).isEqualTo(301);
        assertThat(get("/apple").statusCode()).isEqualTo(404);
        assertThat(get("/app.js").statusCode()).isEqualTo(404);
        assertThat(get("/").statusCode()).as("the landing answer stays at /").isEqualTo(200);
        assertThat(get("/").body()).contains("Switchboard");
        HttpResponse<byte[]> r = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + "/app/big.bin"))
                .build(), HttpResponse.BodyHandlers.ofByteArray());
        assertThat(r.statusCode()).isEqualTo(200);
        MessageDigest md = MessageDigest.getInstance("SHA-256");
        assertThat(HexFormat.of().formatHex(md.digest(r.body()))).isEqualTo(HexFormat.of().formatHex(
                MessageDigest.getInstance("SHA-256").digest(big)));
        assertThat(get("/app/toobig.bin").statusCode()).isEqualTo(413);
        // keep-alive: several files on one connection, answered in order
        for (int i = 0; i < 5; i++) {
            assertThat(get("/app/style.css").body()).isEqualTo("body{}");
        }
    }

    @Test
    void overTlsTheFileStreamsThroughTheSameChunks() throws Exception {
        byte[] big = new byte[FILE_OVER_TLS];
        new java.util.Random(11).nextBytes(big);
        Files.write(web.resolve("tls.bin"), big);
        Path data = tmp.resolve("tls-data");
        server = SwitchboardServer.start(TestServers.config(data).with("http.tls.selfSigned", true)
                .with(ConfigKeys.HTTP_STATIC_DIR, web.toString()));
        HttpClient tls = TlsFiles.client(TlsFiles.read(data.resolve("tls-cert.pem")));
        for (int i = 0; i < 3; i++) {
            HttpResponse<byte[]> r = tls.send(HttpRequest.newBuilder(URI.create("https://localhost:" + server.port() + "/tls.bin"))
                    .build(), HttpResponse.BodyHandlers.ofByteArray());
            assertThat(r.statusCode()).isEqualTo(200);
            assertThat(r.body()).isEqualTo(big);
        }
        HttpResponse<String> page = tls.send(HttpRequest.newBuilder(URI.create("https://localhost:" + server.port() + "/"))
                .build(), HttpResponse.BodyHandlers.ofString());
        assertThat(page.body()).isEqualTo("<h1>home</h1>");
    }

    /** Not a multiple of the streamer's chunk, so the last chunk is a short one. */
    private static final int FILE_OVER_TLS = 5 * 64 * 1024 + 123;

    @Test
    void settingsThatCannotBeHonouredStopStartUp() {
        assertThatThrownBy(() -> SwitchboardServer.start(TestServers.config(tmp.resolve("d1"))
                .with(ConfigKeys.HTTP_STATIC_DIR, tmp.resolve("missing").toString())))
                .isInstanceOf(ConfigException.class).hasMessageContaining("http.static.dir");
        assertThatThrownBy(() -> SwitchboardServer.start(TestServers.config(tmp.resolve("d2"))
                .with(ConfigKeys.HTTP_STATIC_DIR, web.resolve("app.js").toString())))
                .isInstanceOf(ConfigException.class).hasMessageContaining("http.static.dir");
        assertThatThrownBy(() -> SwitchboardServer.start(TestServers.config(tmp.resolve("d3"))
                .with(ConfigKeys.HTTP_STATIC_DIR, web.toString()).with(ConfigKeys.HTTP_STATIC_PREFIX, "/a/../b")))
                .isInstanceOf(ConfigException.class).hasMessageContaining("http.static.prefix");
        assertThatThrownBy(() -> SwitchboardServer.start(TestServers.config(tmp.resolve("d4"))
                .with(ConfigKeys.HTTP_STATIC_DIR, web.toString()).with(ConfigKeys.HTTP_STATIC_ACCESS, "secured")))
                .isInstanceOf(ConfigException.class).hasMessageContaining("http.static.access");
        assertThatThrownBy(() -> SwitchboardServer.start(TestServers.config(tmp.resolve("d5"))
                .with(ConfigKeys.AUTH_TOKEN_COOKIE, "bad;name")))
                .isInstanceOf(ConfigException.class).hasMessageContaining("auth.tokenCookie");
    }
}
