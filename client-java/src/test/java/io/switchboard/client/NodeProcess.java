package io.switchboard.client;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One Switchboard node as a child JVM of the built server jar ({@code server/target/switchboard.jar}),
 * on an ephemeral port read back from its log. Its output goes to a file beside its data folder,
 * and is scanned for the port and for the scheduler-lead line.
 */
final class NodeProcess implements AutoCloseable {
    /** Where the reactor builds the server jar, seen from this module's folder. */
    static final Path JAR = Path.of("..", "server", "target", "switchboard.jar");
    private static final Pattern LISTENING = Pattern.compile("listening on https?://[^:]+:(\\d+)");

    final String id;
    private final Process process;
    private final CompletableFuture<Integer> port = new CompletableFuture<>();
    private volatile boolean leads;
    private final Path log;

    private NodeProcess(String id, Process process, Path log) {
        this.id = id;
        this.process = process;
        this.log = log;
        Thread t = new Thread(this::drain, "node-" + id + "-log");
        t.setDaemon(true);
        t.start();
    }

    /** Starts a node with {@code env} (SWITCHBOARD_* settings) and data in {@code dir}. */
    static NodeProcess start(String id, Path dir, Map<String, String> env) throws IOException {
        Files.createDirectories(dir);
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> cmd = new ArrayList<>(List.of(java, "-Xmx256m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1",
                "-jar", JAR.toAbsolutePath().toString(), "serve", "--host", "127.0.0.1", "--port", "0",
                "--data-dir", dir.toString(), "--security-enabled", "false"));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
        pb.environment().putAll(env);
        pb.environment().put("SWITCHBOARD_CLUSTER_NODE_ID", id);
        return new NodeProcess(id, pb.start(), dir.resolveSibling(id + ".log"));
    }

    private void drain() {
        try (BufferedReader in = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
             PrintStream out = new PrintStream(Files.newOutputStream(log), true, StandardCharsets.UTF_8)) {
            String line;
            while ((line = in.readLine()) != null) {
                out.println(line);
                Matcher m = LISTENING.matcher(line);
                if (m.find()) {
                    port.complete(Integer.parseInt(m.group(1)));
                }
                if (line.contains("now fires scheduled publishes")) {
                    leads = true;
                }
            }
        } catch (IOException ignored) {
            // the process is gone
        }
        port.completeExceptionally(new IOException("node " + id + " exited before listening; see " + log.toAbsolutePath()));
    }

    /** The node's port, once it listens (fails when it exits first or takes longer than 90 s). */
    int port() {
        return port.orTimeout(90, TimeUnit.SECONDS).join();
    }

    /** Whether the node logged that it took the scheduler lead. */
    boolean logsLead() {
        return leads;
    }

    long pid() {
        return process.pid();
    }

    /** SIGKILL: no shutdown hook runs, no socket is closed politely. */
    void kill9() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor(30, TimeUnit.SECONDS);
    }

    @Override
    public void close() throws InterruptedException {
        if (process.isAlive()) {
            process.destroy();
            if (!process.waitFor(20, TimeUnit.SECONDS)) {
                kill9();
            }
        }
    }
}
