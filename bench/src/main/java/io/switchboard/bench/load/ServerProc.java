package io.switchboard.bench.load;

import java.io.File;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** A server under test (Switchboard or a peer) run as a child process on a free loopback port. */
public final class ServerProc implements AutoCloseable {
    private final Process process;
    public final int port;
    public final String name;
    public final List<String> command;
    private Path dataDir;

    private ServerProc(String name, List<String> cmd, int port, File log) throws IOException {
        this(name, cmd, port, log, java.util.Map.of());
    }

    private ServerProc(String name, List<String> cmd, int port, File log, java.util.Map<String, String> env) throws IOException {
        this.name = name;
        this.port = port;
        this.command = cmd;
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(log));
        pb.environment().putAll(env);
        process = pb.start();
    }

    public static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    /** Switchboard in insecure mode (or with security when {@code secure}), fresh data dir. */
    /** Limits raised for load tests: 20,000 descriptors per process leave room for 19,900 sockets. */
    private static final java.util.Map<String, String> BENCH_LIMITS = java.util.Map.of(
            "SWITCHBOARD_LIMITS_MAX_CONNECTIONS", "19900",
            "SWITCHBOARD_LIMITS_MAX_CONNECTIONS_PER_IP", "19900");

    public static ServerProc switchboard(Ctx ctx, boolean secure, List<String> extra) throws IOException, InterruptedException {
        return switchboard(ctx, secure, extra, java.util.Map.of());
    }

    public static ServerProc switchboard(Ctx ctx, boolean secure, List<String> extra, java.util.Map<String, String> env)
            throws IOException, InterruptedException {
        int port = freePort();
        Path data = Files.createTempDirectory("sb-bench-data");
        List<String> cmd = new ArrayList<>();
        cmd.add(ctx.javaBin());
        cmd.addAll(List.of(ctx.serverJvmOpts().trim().split("\\s+")));
        cmd.addAll(List.of("-jar", ctx.serverJar(), "serve", "--host", "127.0.0.1", "--port", Integer.toString(port),
                "--data-dir", data.toString(), "--security-enabled", Boolean.toString(secure)));
        cmd.addAll(extra);
        // The connection limits' production defaults (10,000 in total, 1,000 per address) are
        // below what the fan-out scenario opens from a few loopback addresses; a server older than
        // those limits ignores the variables.
        java.util.Map<String, String> withLimits = new java.util.HashMap<>(BENCH_LIMITS);
        withLimits.putAll(env);
        ServerProc p = new ServerProc("switchboard", cmd, port, ctx.log("switchboard"), withLimits);
        p.dataDir = data;
        p.awaitPort(60);
        return p;
    }

    /** Any command; {@code {port}} in it is replaced by a free port. */
    public static ServerProc command(Ctx ctx, String name, List<String> cmdTemplate) throws IOException, InterruptedException {
        int port = freePort();
        List<String> cmd = cmdTemplate.stream().map(s -> s.replace("{port}", Integer.toString(port))).toList();
        ServerProc p = new ServerProc(name, cmd, port, ctx.log(name));
        p.awaitPort(60);
        return p;
    }

    private void awaitPort(int seconds) throws InterruptedException, IOException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IOException(name + " exited with " + process.exitValue() + " (see logs)");
            }
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress("127.0.0.1", port), 500);
                Thread.sleep(300);
                return;
            } catch (IOException e) {
                Thread.sleep(200);
            }
        }
        throw new IOException(name + " did not listen on " + port + " within " + seconds + " s");
    }

    public long pid() {
        return process.pid();
    }

    /** Heap in use after a full GC, via {@code jcmd <pid> GC.run} and {@code GC.heap_info}. */
    public long heapUsedAfterGc(String javaBin) throws IOException, InterruptedException {
        String jcmd = javaBin.endsWith("java") ? javaBin.substring(0, javaBin.length() - 4) + "jcmd" : "jcmd";
        run(jcmd, Long.toString(pid()), "GC.run");
        Thread.sleep(500);
        run(jcmd, Long.toString(pid()), "GC.run");
        String info = run(jcmd, Long.toString(pid()), "GC.heap_info");
        Matcher m = Pattern.compile("used (\\d+)K").matcher(info);
        if (!m.find()) {
            throw new IOException("cannot read heap use from: " + info);
        }
        return Long.parseLong(m.group(1)) * 1024;
    }

    /** Resident set size from /proc (bytes). */
    public long rss() throws IOException {
        return rssOf(pid());
    }

    public static long rssOf(long pid) throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
            if (line.startsWith("VmRSS:")) {
                return Long.parseLong(line.replaceAll("\\D+", "")) * 1024;
            }
        }
        return -1;
    }

    private static String run(String... cmd) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        p.waitFor(60, TimeUnit.SECONDS);
        return out;
    }

    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(15, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
        if (dataDir != null) {
            try (java.util.stream.Stream<Path> files = Files.walk(dataDir)) {
                files.sorted(java.util.Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
            } catch (IOException ignored) {
                // best effort: a temp folder
            }
        }
    }
}
