package io.switchboard.server;

import com.fasterxml.jackson.databind.JsonNode;
import io.switchboard.core.json.Json;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** HTTPS and SSE over TLS as an operator tries them: curl trusting the generated certificate with --cacert. */
class TlsCurlTest {
    @TempDir
    Path dir;

    @BeforeAll
    static void needsCurl() {
        boolean present;
        try {
            Process p = new ProcessBuilder("curl", "--version").redirectErrorStream(true).start();
            p.getInputStream().readAllBytes();
            present = p.waitFor(10, TimeUnit.SECONDS) && p.exitValue() == 0;
        } catch (Exception e) {
            present = false;
        }
        Assumptions.assumeTrue(present, "curl is not installed: the curl checks of TLS are skipped");
    }

    @Test
    void curlTrustsTheGeneratedCertificateForHttpsAndSse() throws Exception {
        try (SwitchboardServer s = SwitchboardServer.start(SecureWire.config(dir).with("http.tls.selfSigned", true))) {
            String ca = dir.resolve("tls-cert.pem").toString();
            String base = "https://localhost:" + s.port();

            // Without the certificate curl refuses the connection (60: peer certificate cannot be authenticated).
            assertThat(curl("-s", "-o", "/dev/null", base + "/health").exit).isEqualTo(60);

            Result health = curl("-s", "--cacert", ca, base + "/health");
            assertThat(health.exit).isZero();
            assertThat(Json.parseTrusted(health.out).get("status").asText()).isEqualTo("ok");

            Result login = curl("-s", "-i", "--cacert", ca, "-H", "Content-Type: application/json",
                    "-d", "{\"username\":\"admin\",\"password\":\"" + SecureWire.ADMIN_PW + "\"}", base + "/api/auth/login");
            assertThat(login.exit).isZero();
            String setCookie = login.out.lines().filter(l -> l.toLowerCase().startsWith("set-cookie:")).findFirst().orElseThrow();
            assertThat(setCookie).contains("sb_token=").contains("; Secure");
            String token = Json.parseTrusted(login.out.substring(login.out.indexOf("\r\n\r\n") + 4)).get("token").asText();

            // curl prints the stream's headers only with its first record, so the stream resumes from
            // offset 0: the write before it is replayed, the one after it is pushed live.
            assertThat(put(ca, token, base, "{\"v\":1}").get("path").asText()).isEqualTo("/curl/x");
            Process sse = new ProcessBuilder("curl", "-sN", "--cacert", ca, "--max-time", "60",
                    "-H", "Authorization: Bearer " + token, base + "/api/sse?since=0&pattern=/curl/**")
                    .redirectErrorStream(true).start();
            try {
                BlockingQueue<String> lines = new LinkedBlockingQueue<>();
                Thread reader = new Thread(() -> {
                    try (BufferedReader r = new BufferedReader(new InputStreamReader(sse.getInputStream(), StandardCharsets.UTF_8))) {
                        for (String l = r.readLine(); l != null; l = r.readLine()) {
                            lines.add(l);
                        }
                    } catch (Exception e) {
                        // curl ended
                    }
                });
                reader.setDaemon(true);
                reader.start();
                assertThat(nextData(lines)).contains("/curl/x").contains("\"v\":1");
                put(ca, token, base, "{\"v\":2}");
                assertThat(nextData(lines)).contains("/curl/x").contains("\"v\":2");
            } finally {
                sse.destroy();
                sse.waitFor(10, TimeUnit.SECONDS);
            }
        }
    }

    private static JsonNode put(String ca, String token, String base, String body) throws Exception {
        Result put = curl("-s", "--cacert", ca, "-X", "PUT", "-H", "Authorization: Bearer " + token,
                "-H", "Content-Type: application/json", "-d", body, base + "/api/data/curl/x");
        assertThat(put.exit).isZero();
        return Json.parseTrusted(put.out);
    }

    /** The next {@code data:} line of the stream. */
    private static String nextData(BlockingQueue<String> lines) throws InterruptedException {
        String line;
        do {
            line = lines.poll(20, TimeUnit.SECONDS);
            assertThat(line).as("an SSE record").isNotNull();
        } while (!line.startsWith("data: "));
        return line;
    }

    private record Result(int exit, String out) {
    }

    private static Result curl(String... args) throws Exception {
        List<String> cmd = new ArrayList<>();
        cmd.add("curl");
        cmd.add("--max-time");
        cmd.add("20");
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
        return new Result(p.exitValue(), out);
    }
}
