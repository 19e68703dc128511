package io.switchboard.store.sqlite;

import io.switchboard.core.json.Json;
import io.switchboard.core.store.WriteOp;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.LongAdder;

/**
 * Acknowledged-set throughput: N writer threads, each waiting for its write before the next,
 * so N writes are in flight at most and group commit batches up to N per fsync.
 * Args: seconds writers [synchronous]. Not a test; run with the test classpath.
 */
public final class SqliteWriteBench {
    private SqliteWriteBench() {
    }

    public static void main(String[] args) throws Exception {
        int seconds = args.length > 0 ? Integer.parseInt(args[0]) : 5;
        int writers = args.length > 1 ? Integer.parseInt(args[1]) : 1;
        String sync = args.length > 2 ? args[2] : "FULL";
        Path dir = Files.createTempDirectory("sb-bench");
        SqliteStore store = new SqliteStore(dir.resolve("bench.db"), new SqliteOptions(sync, 4, 512));
        store.open();
        AtomicBoolean stop = new AtomicBoolean();
        LongAdder done = new LongAdder();
        Thread[] threads = new Thread[writers];
        for (int w = 0; w < writers; w++) {
            int ww = w;
            threads[w] = new Thread(() -> {
                for (long i = 0; !stop.get(); i++) {
                    store.write(new WriteOp.Set("/bench/" + ww + "/" + (i % 1000),
                            Json.parseTrusted("{\"w\":" + ww + ",\"i\":" + i + ",\"s\":\"some payload text\"}"),
                            false, null, null, "bench", false, false, System.currentTimeMillis())).join();
                    done.increment();
                }
            });
        }
        long start = System.nanoTime();
        for (Thread t : threads) {
            t.start();
        }
        Thread.sleep(seconds * 1000L);
        stop.set(true);
        for (Thread t : threads) {
            t.join();
        }
        double secs = (System.nanoTime() - start) / 1e9;
        System.out.printf("writers=%d synchronous=%s sets=%d time=%.1fs rate=%.0f sets/s (java %s)%n",
                writers, sync, done.sum(), secs, done.sum() / secs, System.getProperty("java.version"));
        store.close();
    }
}
