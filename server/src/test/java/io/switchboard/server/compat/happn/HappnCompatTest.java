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
        withHappn3(port -> runScript("core.js", port, HAPPN));
    }

    /** on options, off by reference, offAll, noDataResponse, consistency 1 and 3. */
    @Test
    void eventsAgainstSwitchboard() throws Exception {
        withSwitchboard(port -> runScript("events.js", port));
    }

    @Test
    void eventsAgainstHappn3() throws Exception {
        withHappn3(port -> runScript("events.js", port, HAPPN));
    }

    /** increment: reply {value, gauge}, stored {gauge: {value}}, publications, two clients at once. */
    @Test
    void incrementAgainstSwitchboard() throws Exception {
        withSwitchboard(port -> runScript("increment.js", port));
    }

    @Test
    void incrementAgainstHappn3() throws Exception {
        withHappn3(port -> runScript("increment.js", port, HAPPN));
    }

    /** compat.happn.port: the door on a port of its own too (core.js there), the main port still serving it. */
    @Test
    void ownPortServesTheDoor() throws Exception {
        assumeNode();
        try (SwitchboardServer s = SwitchboardServer.start(switchboardConfig().with("compat.happn.port", 0))) {
            org.junit.jupiter.api.Assertions.assertTrue(s.happnPort() > 0 && s.happnPort() != s.port());
            runScript("core.js", s.happnPort());
            var spec = HTTP.send(java.net.http.HttpRequest.newBuilder(
                    java.net.URI.create("http://127.0.0.1:" + s.happnPort() + "/primus/spec")).build(),
                    java.net.http.HttpResponse.BodyHandlers.ofString());
            assertEquals(200, spec.statusCode());
            var nativeApi = HTTP.send(java.net.http.HttpRequest.newBuilder(
                    java.net.URI.create("http://127.0.0.1:" + s.happnPort() + "/api/auth/me")).build(),
                    java.net.http.HttpResponse.BodyHandlers.ofString());
            assertEquals(404, nativeApi.statusCode(), "only the happn door is on its own port");
        }
    }

    @Test
    void aHappnPortInUseStopsStartUp() throws Exception {
        try (java.net.ServerSocket taken = new java.net.ServerSocket(0, 1, java.net.InetAddress.getByName("127.0.0.1"))) {
            var e = org.junit.jupiter.api.Assertions.assertThrows(io.switchboard.server.config.ConfigException.class,
                    () -> SwitchboardServer.start(switchboardConfig().with("compat.happn.port", taken.getLocalPort())).close());
            org.junit.jupiter.api.Assertions.assertTrue(e.getMessage().startsWith("compat.happn.port: cannot listen on 127.0.0.1:"
                    + taken.getLocalPort()), e.getMessage());
        }
    }

    /** Restart on the same port and data dir: the client reconnects, resubscribes and keeps receiving. */
    @Test
    void reconnectAfterARestart() throws Exception {
        assumeNode();
        SwitchboardServer first = SwitchboardServer.start(switchboardConfig());
        int port = first.port();
        SwitchboardServer[] current = {first};
        try {
            ProcessBuilder pb = new ProcessBuilder("node", "reconnect.js", String.valueOf(port), PW).directory(DIR.toFile())
                    .redirectErrorStream(true);
            Process p = pb.start();
            List<String> lines = new ArrayList<>();
            try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = r.readLine()) != null) {
                    lines.add(line);
                    if (line.equals("READY")) {
                        current[0].close();
                        current[0] = SwitchboardServer.start(switchboardConfig().withPort(port));
                    }
                }
            }
            assertEquals(true, p.waitFor(120, TimeUnit.SECONDS), "script hung");
            assertEquals(true, lines.contains("READY"), String.join("\n", lines));
            assertEquals(List.of(), lines.stream().filter(l -> l.startsWith("FAIL")).toList(), String.join("\n", lines));
            assertEquals(0, p.exitValue(), String.join("\n", lines));
        } finally {
            current[0].close();
        }
    }

    /** A happn-3 client and a native /ws client on one server see each other's writes and events. */
    @Test
    void happnAndNativeClientsSeeEachOther() throws Exception {
        withSwitchboard(port -> runScript("mixed.js", port));
    }

    /** Group permissions as happn writes them (globs, 403), token login, revoke-token, change-password. */
    @Test
    void securityAgainstSwitchboard() throws Exception {
        withSwitchboard(port -> {
            // The users happn-server.js creates on the happn side, "limited" with happn's own permissions.
            String admin = adminToken(port);
            createHappnUsers(port, admin);
            runScript("security.js", port);
        });
    }

    /** "limited" as happn-server.js makes it: a glob path and happn's action names. */
    static void createHappnUsers(int port, String admin) throws Exception {
        adminPost(port, admin, "/api/admin/groups", "{\"name\":\"limited\",\"pathSyntax\":\"glob\","
                + "\"permissions\":{\"/allowed/*\":{\"actions\":[\"get\",\"set\",\"on\"]}}}");
        adminPost(port, admin, "/api/admin/groups", "{\"name\":\"changers\",\"pathSyntax\":\"glob\","
                + "\"permissions\":{\"/changer/*\":{\"actions\":[\"*\"]}}}");
        adminPost(port, admin, "/api/admin/users",
                "{\"username\":\"limited\",\"password\":\"" + PW + "\",\"groups\":[\"limited\"]}");
        adminPost(port, admin, "/api/admin/users",
                "{\"username\":\"changer\",\"password\":\"" + PW + "\",\"groups\":[\"changers\"]}");
    }

    @Test
    void securityAgainstHappn3() throws Exception {
        withHappn3(port -> runScript("security.js", port, HAPPN));
    }

    /** Digest login (request-nonce, a signed nonce) and disconnect-child-sessions. */
    @Test
    void digestLoginAndChildSessionsAgainstSwitchboard() throws Exception {
        Path keys = keyPair();
        withSwitchboard(port -> {
            String admin = adminToken(port);
            createHappnUsers(port, admin);
            String publicKey = io.switchboard.core.json.Json.parse(Files.readString(keys)).get("publicKey").asText();
            var user = io.switchboard.core.json.Json.object().put("username", "digester");
            user.putArray("publicKeys").add(publicKey);
            adminPost(port, admin, "/api/admin/users", user.toString());
            runScript("digest.js", port, java.util.Map.of("HAPPN_KEYS", keys.toString()));
        });
    }

    @Test
    void digestLoginAndChildSessionsAgainstHappn3() throws Exception {
        Path keys = keyPair();
        java.util.Map<String, String> env = java.util.Map.of("HAPPN_KEYS", keys.toString(), "HAPPN_TARGET", "happn");
        withHappn3("happn-server.js", env, port -> runScript("digest.js", port, env));
    }

    /** A happn-made key pair (keypair.js) in the test's directory. */
    Path keyPair() throws Exception {
        assumeNode();
        Path f = data.resolve("happn-keys.json");
        Process p = new ProcessBuilder("node", "keypair.js", f.toString()).directory(DIR.toFile()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(true, p.waitFor(60, TimeUnit.SECONDS), "keypair.js hung");
        assertEquals(0, p.exitValue(), out);
        return f;
    }

    static final java.net.http.HttpClient HTTP = java.net.http.HttpClient.newHttpClient();

    static String adminToken(int port) throws Exception {
        var r = HTTP.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create("http://127.0.0.1:" + port + "/api/auth/login"))
                .POST(java.net.http.HttpRequest.BodyPublishers.ofString("{\"username\":\"admin\",\"password\":\"" + PW + "\"}"))
                .build(), java.net.http.HttpResponse.BodyHandlers.ofString());
        assertEquals(200, r.statusCode(), r.body());
        return io.switchboard.core.json.Json.parse(r.body()).get("token").asText();
    }

    static void adminPost(int port, String token, String path, String body) throws Exception {
        var r = HTTP.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create("http://127.0.0.1:" + port + path))
                .header("Authorization", "Bearer " + token)
                .POST(java.net.http.HttpRequest.BodyPublishers.ofString(body)).build(),
                java.net.http.HttpResponse.BodyHandlers.ofString());
        assertEquals(201, r.statusCode(), path + ": " + r.body());
    }

    /** The environment that tells a script it runs against happn-3 (for happn-only checks). */
    static final java.util.Map<String, String> HAPPN = java.util.Map.of("HAPPN_TARGET", "happn");

    interface PortBody {
        void run(int port) throws Exception;
    }

    ServerConfig switchboardConfig() {
        return config(data);
    }

    /** The Switchboard side's configuration with data in {@code dataDir}. */
    ServerConfig config(Path dataDir) {
        return ServerConfig.defaults().withPort(0).withHost("127.0.0.1").withDataDir(dataDir)
                .withSqliteSynchronous("NORMAL").withAdminPassword(PW)
                .with("compat.happn.enabled", true);
    }

    void withSwitchboard(PortBody body) throws Exception {
        assumeNode();
        try (SwitchboardServer s = SwitchboardServer.start(switchboardConfig())) {
            body.run(s.port());
        }
    }

    /** Starts a real happn-3 server (happn-server.js) on a free port for {@code body}. */
    static void withHappn3(PortBody body) throws Exception {
        withHappn3("happn-server.js", body);
    }

    static void withHappn3(String script, PortBody body) throws Exception {
        withHappn3(script, List.of(), java.util.Map.of(), body);
    }

    static void withHappn3(String script, java.util.Map<String, String> env, PortBody body) throws Exception {
        withHappn3(script, List.of(), env, body);
    }

    static void withHappn3(String script, List<String> args, PortBody body) throws Exception {
        withHappn3(script, args, java.util.Map.of(), body);
    }

    /** With {@code args} after the port and password (e.g. a directory the server mounts) and extra environment. */
    static void withHappn3(String script, List<String> args, java.util.Map<String, String> env, PortBody body)
            throws Exception {
        assumeNode();
        int port;
        try (java.net.ServerSocket ss = new java.net.ServerSocket(0)) {
            port = ss.getLocalPort();
        }
        List<String> cmd = new ArrayList<>(List.of("node", script, String.valueOf(port), PW));
        cmd.addAll(args);
        ProcessBuilder pb = new ProcessBuilder(cmd).directory(DIR.toFile()).redirectErrorStream(true);
        pb.environment().putAll(env);
        Process p = pb.start();
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
            body.run(port);
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
