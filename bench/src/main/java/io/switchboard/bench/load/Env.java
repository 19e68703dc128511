package io.switchboard.bench.load;

import com.fasterxml.jackson.databind.node.ObjectNode;

import java.lang.management.ManagementFactory;
import java.time.Instant;

/** What every result records about the machine and the JVMs. */
public final class Env {
    private Env() {
    }

    public static ObjectNode describe(Ctx ctx) {
        ObjectNode o = Jsons.object();
        o.put("date", Instant.now().toString());
        o.put("cores", Runtime.getRuntime().availableProcessors());
        o.put("java_version", javaVersion(ctx.javaBin()));
        o.put("server_jvm_flags", ctx.serverJvmOpts());
        o.put("worker_jvm_flags", "-Xms128m -Xmx1g -XX:+UseParallelGC -XX:ParallelGCThreads=1");
        o.put("coordinator_jvm_flags", String.join(" ", ManagementFactory.getRuntimeMXBean().getInputArguments()));
        o.put("client_transport", Net.transportName());
        try {
            o.put("load_average_at_start", java.nio.file.Files.readString(java.nio.file.Path.of("/proc/loadavg")).trim());
        } catch (java.io.IOException e) {
            o.put("load_average_at_start", "unknown");
        }
        o.put("os", System.getProperty("os.name") + " " + System.getProperty("os.version"));
        o.put("clock", "latency = System.nanoTime() at receipt - intended send time (System.nanoTime) carried in the"
                + " event data; on Linux both HotSpot and Node use CLOCK_MONOTONIC, one clock for all processes of the machine");
        o.put("note", "loopback only; load generators share the machine's cores with the server under test");
        return o;
    }

    private static String javaVersion(String javaBin) {
        try {
            Process p = new ProcessBuilder(javaBin, "-version").redirectErrorStream(true).start();
            return new String(p.getInputStream().readAllBytes()).trim().replace('\n', ' ').replaceAll("\\s+", " ");
        } catch (Exception e) {
            return System.getProperty("java.vm.name") + " " + System.getProperty("java.version");
        }
    }
}
