package io.switchboard.bench.load;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * What a scenario needs to know about the run: the JVM and jars, where results and logs go, the
 * scale ({@code small} runs use about a tenth of the connections and shorter steps), and whether
 * peers are run side by side.
 */
public record Ctx(String javaBin, String benchJar, String serverJar, Path outDir, String stamp, boolean small,
                  boolean peers, String peersDir, String serverJvmOpts) {

    public File log(String name) {
        try {
            Files.createDirectories(outDir.resolve("logs"));
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
        return outDir.resolve("logs").resolve(name + "-" + stamp + ".log").toFile();
    }

    /** {@code full} normally, {@code smallValue} with --small. */
    public int scale(int full, int smallValue) {
        return small ? smallValue : full;
    }

    /** Connections one worker JVM holds at most (each is one open file; the limit is 20,000 per process). */
    public static final int PER_WORKER = 5_000;

    public static int workersFor(int connections) {
        return Math.max(1, (connections + PER_WORKER - 1) / PER_WORKER);
    }

    public boolean peersInstalled() {
        return peers && new File(peersDir, "node_modules").isDirectory();
    }
}
