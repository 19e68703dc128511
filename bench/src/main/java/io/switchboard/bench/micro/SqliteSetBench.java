package io.switchboard.bench.micro;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.switchboard.core.json.Json;
import io.switchboard.core.store.WriteOp;
import io.switchboard.store.sqlite.SqliteOptions;
import io.switchboard.store.sqlite.SqliteStore;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Durable sets per second on SQLite (synchronous=FULL): each benchmark thread waits for its own
 * set to commit before the next, so with 16 threads up to 16 writes share one group commit.
 * Run with {@code -t 1} and {@code -t 16} (bench.sh does both).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 3, time = 3)
@Fork(1)
public class SqliteSetBench {
    SqliteStore store;
    Path dir;
    final AtomicLong seq = new AtomicLong();
    final ObjectNode data = Json.object().put("text", "hello").put("n", 42);

    @Setup(Level.Trial)
    public void open() throws IOException {
        dir = Files.createTempDirectory("sb-bench");
        store = new SqliteStore(dir.resolve("bench.db"), SqliteOptions.defaults());
        store.setCommitListener(batch -> { });
        store.open();
    }

    @TearDown(Level.Trial)
    public void close() throws IOException {
        store.close();
        try (var files = Files.walk(dir)) {
            files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }

    @Benchmark
    public Object durableSet() {
        long n = seq.incrementAndGet();
        return store.write(new WriteOp.Set("/bench/" + (n % 10_000), data, false, null, null, "bench",
                false, false, System.currentTimeMillis())).join();
    }
}
