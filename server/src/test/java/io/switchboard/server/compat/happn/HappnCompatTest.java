package io.switchboard.server.compat.happn;

import io.switchboard.server.SwitchboardServer;
import io.switchboard.server.config.ServerConfig;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.File;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The stock happn-3 client (npm, pinned in src/test/happn/package.json, installed by the build)
 * driven by node scripts against Switchboard, and the same scripts against a real happn-3
 * server, so the checks prove compatibility rather than self-agreement.
 */
class HappnCompatTest {
    static final Path DIR = Path.of("src/test/happn").toAbsolutePath();
    static final String PW = "happn-test-pw";

    @TempDir
    Path data;

    static void assumeNode() {
        Assumptions.assumeTrue(Files.isDirectory(DIR.resolve("node_modules/happn-3")),
                "happn-3 npm package not installed (needs node and npm: the build runs npm ci in server/src/test/happn)");
    }

    @Test
    void coreActionsAgainstSwitchboard() throws Exception {
        assumeNode();
        ServerConfig cfg = ServerConfig.defaults().withPort(0).withHost("127.0.0.1").withDataDir(data)
                .withSqliteSynchronous("NORMAL").withAdminPassword(PW)
                .with("compat.happn.enabled", true);
        try (SwitchboardServer s = SwitchboardServer.start(cfg)) {
            runScript("core.js", s.port());
        }
    }

    /** The same script over TLS: the login (HTTPS) and the primus socket (WSS) share the TLS port. */
    @Test
    void coreActionsAgainstSwitchboardOverTls() throws Exception {
        assumeNode();
        ServerConfig cfg = ServerConfig.defaults().withPort(0).withHost("127.0.0.1").withDataDir(data)
                .withSqliteSynchronous("NORMAL").withAdminPassword(PW)
                .with("compat.happn.enabled", true).with("http.tls.selfSigned", true);
        try (SwitchboardServer s = SwitchboardServer.start(cfg)) {
            runScript("core.js", s.port(), java.util.Map.of("HAPPN_PROTOCOL", "https",
                    "NODE_EXTRA_CA_CERTS", data.resolve("tls-cert.pem").toString()));
        }
    }

    @Test
    void coreActionsAgainstHappn3() throws Exception {
        assumeNode();
        int port;
        try (java.net.ServerSocket ss = new java.net.ServerSocket(0)) {
            port = ss.getLocalPort();
        }
        Process p = new ProcessBuilder("node", "happn-server.js", String.valueOf(port), PW).directory(DIR.toFile())
                .redirectErrorStream(true).start();
        try {
            BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
            String line;
            while ((line = r.readLine()) != null && !line.startsWith("PORT ")) {
                // happn logs its start-up
            }
            Assumptions.assumeTrue(line != null, "happn-3 server did not start");
            Thread drain = new Thread(() -> { try { while (r.readLine() != null) { } } catch (Exception ignored) { } });
            drain.setDaemon(true);
            drain.start();
            runScript("core.js", port);
        } finally {
            p.destroy();
            p.waitFor(10, TimeUnit.SECONDS);
        }
    }

    static void runScript(String script, int port) throws Exception {
        runScript(script, port, java.util.Map.of());
    }

    static void runScript(String script, int port, java.util.Map<String, String> env) throws Exception {
        ProcessBuilder pb = new ProcessBuilder("node", script, String.valueOf(port), PW).directory(DIR.toFile())
                .redirectErrorStream(true);
        pb.environment().putAll(env);
        Process p = pb.start();
        List<String> lines = new ArrayList<>();
        try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = r.readLine()) != null) {
                lines.add(line);
            }
        }
        assertEquals(true, p.waitFor(120, TimeUnit.SECONDS), "script hung");
        List<String> fails = lines.stream().filter(l -> l.startsWith("FAIL")).toList();
        assertEquals(List.of(), fails, String.join("\n", lines));
        assertEquals(0, p.exitValue(), String.join("\n", lines));
    }
}
