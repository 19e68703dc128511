package io.switchboard.store.sqlite;

import java.util.Locale;

/**
 * Tuning of a {@link SqliteStore}: {@code synchronous} is SQLite's durability level ("FULL"
 * fsyncs every commit, "NORMAL" may lose the last commits on power loss but not on a process
 * crash), {@code readers} the size of the read connection pool, {@code maxBatch} the most
 * writes one group commit may carry.
 */
public record SqliteOptions(String synchronous, int readers, int maxBatch) {
    public SqliteOptions {
        synchronous = synchronous == null ? "FULL" : synchronous.toUpperCase(Locale.ROOT);
        if (!synchronous.equals("FULL") && !synchronous.equals("NORMAL")) {
            throw new IllegalArgumentException("synchronous must be FULL or NORMAL");
        }
        if (readers < 1 || maxBatch < 1) {
            throw new IllegalArgumentException("readers and maxBatch must be positive");
        }
    }

    public static SqliteOptions defaults() {
        return new SqliteOptions("FULL", 4, 512);
    }
}
