package io.switchboard.store.postgres;

import io.switchboard.core.json.Json;
import io.switchboard.core.store.WriteOp;

import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

/**
 * Child process of {@link PostgresCrashTest}: writes forever from several threads and prints each
 * path only after its write was acknowledged, so the parent knows what must survive a kill -9.
 * Args: schema, writers, runTag.
 */
public final class PgCrashWriterMain {
    private PgCrashWriterMain() {
    }

    public static void main(String[] args) throws Exception {
        String schema = args[0];
        int writers = Integer.parseInt(args[1]);
        String tag = args[2];
        PrintStream out = new PrintStream(new java.io.FileOutputStream(java.io.FileDescriptor.out), false,
                StandardCharsets.UTF_8);
        PostgresStore store = new PostgresStore(PgTestDb.options(schema));
        store.open();
        out.println("ready");
        out.flush();
        for (int w = 0; w < writers; w++) {
            int ww = w;
            Thread t = new Thread(() -> {
                for (long i = 0; ; i++) {
                    String path = "/crash/" + tag + "/" + ww + "/" + i;
                    store.write(new WriteOp.Set(path, Json.parseTrusted("{\"w\":" + ww + ",\"i\":" + i + "}"),
                            false, null, null, "crash", false, false, System.currentTimeMillis())).join();
                    synchronized (out) {
                        out.println(path);
                        out.flush();
                    }
                }
            });
            t.start();
        }
        Thread.sleep(Long.MAX_VALUE);
    }
}
