package io.switchboard.bench.load;

import com.fasterxml.jackson.databind.JsonNode;

import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/** A worker process seen from the coordinator: commands on its stdin, JSON events from its stdout. */
public final class WorkerProc implements AutoCloseable {
    private final Process process;
    private final Writer stdin;
    private final BlockingQueue<JsonNode> events = new LinkedBlockingQueue<>();

    private WorkerProc(List<String> cmd, File log) throws IOException {
        ProcessBuilder pb = new ProcessBuilder(cmd);
        pb.redirectError(ProcessBuilder.Redirect.appendTo(log));
        process = pb.start();
        stdin = new java.io.OutputStreamWriter(process.getOutputStream(), StandardCharsets.UTF_8);
        Thread reader = new Thread(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                for (String line; (line = r.readLine()) != null; ) {
                    JsonNode n = line.startsWith("{") ? Jsons.parse(line) : null;
                    if (n != null && n.has("event")) {
                        events.add(n);
                    }
                }
            } catch (IOException ignored) {
                // process gone
            }
        }, "worker-out");
        reader.setDaemon(true);
        reader.start();
    }

    /** A Java worker running {@link Worker} with the given config. */
    public static WorkerProc java(Ctx ctx, JsonNode cfg) throws IOException {
        List<String> cmd = new ArrayList<>(List.of(ctx.javaBin(), "-Xms128m", "-Xmx1g", "-XX:+UseParallelGC",
                "-XX:ParallelGCThreads=1", "-cp", ctx.benchJar(), Worker.class.getName(), cfg.toString()));
        return new WorkerProc(cmd, ctx.log("workers"));
    }

    /** A Node peer driver speaking the same stdin/stdout protocol. */
    public static WorkerProc node(Ctx ctx, JsonNode cfg) throws IOException {
        return new WorkerProc(List.of("node", ctx.peersDir() + "/driver.js", cfg.toString()), ctx.log("peer-drivers"));
    }

    public synchronized void send(String command) {
        try {
            stdin.write(command + "\n");
            stdin.flush();
        } catch (IOException e) {
            throw new IllegalStateException("worker stdin closed (" + command + ")", e);
        }
    }

    /** The next event named {@code name} (earlier events of other names are skipped). */
    public JsonNode await(String name, int timeoutSec) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(timeoutSec);
        while (true) {
            JsonNode n = events.poll(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            if (n == null) {
                throw new IllegalStateException("worker did not report '" + name + "' within " + timeoutSec + " s"
                        + (process.isAlive() ? "" : " (exited " + process.exitValue() + ")"));
            }
            if (name.equals(n.path("event").asText())) {
                return n;
            }
        }
    }

    @Override
    public void close() {
        try {
            send("quit");
        } catch (RuntimeException ignored) {
            // already gone
        }
        try {
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }
}
