package io.switchboard.server;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The stock {@code broker-client} npm package (pinned in src/test/broker/package.json, installed
 * by the build) receives events from Switchboard's broker SSE endpoint.
 */
class BrokerClientCompatTest {
    static final Path DIR = Path.of("src/test/broker").toAbsolutePath();
    static final String ADMIN = "broker-admin-token-for-tests";

    @TempDir
    Path dir;

    @Test
    void brokerClientReceivesSyncedAndLiveEvents() throws Exception {
        Assumptions.assumeTrue(Files.isDirectory(DIR.resolve("node_modules/broker-client")),
                "broker-client npm package not installed (needs node and npm: the build runs npm ci in server/src/test/broker)");
        try (SecureWire w = new SecureWire(dir, c -> c.with("compat.broker.enabled", true).with("compat.broker.adminToken", ADMIN))) {
            HttpResponse<String> r = w.send("POST", "/broker/create_user", ("{'username':'zoe','password':'password-zoe','admin_token':'"
                    + ADMIN + "','tenant_name':'acme'}").replace('\'', '"'), "Content-Type", "application/json");
            assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
            Process p = new ProcessBuilder("node", "--import", "./register.mjs", "client.mjs",
                    "http://127.0.0.1:" + w.port() + "/broker", "zoe", "password-zoe")
                    .directory(DIR.toFile()).redirectErrorStream(true).start();
            List<String> lines = new ArrayList<>();
            try (BufferedReader in = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = in.readLine()) != null) {
                    lines.add(line);
                }
            }
            assertThat(p.waitFor(60, TimeUnit.SECONDS)).as("script hung").isTrue();
            String out = String.join("\n", lines);
            assertThat(lines).as(out).noneMatch(l -> l.startsWith("FAIL"));
            assertThat(lines).as(out).contains("ok twenty events in order, none twice");
            assertThat(p.exitValue()).as(out).isZero();
        }
    }
}
