package io.switchboard.store.postgres;

import io.switchboard.core.error.SwitchboardException;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Read threads, each borrowing a pooled connection per read. A single-statement read runs in
 * autocommit; a {@link #snapshot} read (a page and its total, a streamed scan) in one READ ONLY,
 * REPEATABLE READ transaction, so its statements agree with each other.
 */
final class PgReaders {
    /** A unit of SQL work on a connection. */
    @FunctionalInterface
    interface SqlJob<T> {
        T run(Connection c) throws SQLException;
    }

    private final DataSource pool;
    private final ExecutorService executor;

    PgReaders(DataSource pool, int threads, String name) {
        this.pool = pool;
        AtomicInteger n = new AtomicInteger();
        this.executor = Executors.newFixedThreadPool(threads, r -> {
            Thread t = new Thread(r, name + "-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
    }

    private enum Mode { SINGLE, SNAPSHOT, WRITE }

    /** One statement, autocommitted. */
    <T> CompletableFuture<T> read(SqlJob<T> job) {
        return run(job, Mode.SINGLE);
    }

    /** Several statements (or a cursor) on one snapshot. */
    <T> CompletableFuture<T> snapshot(SqlJob<T> job) {
        return run(job, Mode.SNAPSHOT);
    }

    /** A maintenance write (pruning) on a read thread, in its own transaction. */
    <T> CompletableFuture<T> write(SqlJob<T> job) {
        return run(job, Mode.WRITE);
    }

    private <T> CompletableFuture<T> run(SqlJob<T> job, Mode mode) {
        CompletableFuture<T> f = new CompletableFuture<>();
        try {
            executor.execute(() -> {
                try (Connection c = pool.getConnection()) {
                    if (mode == Mode.SINGLE) {
                        f.complete(job.run(c));
                        return;
                    }
                    c.setAutoCommit(false);
                    if (mode == Mode.SNAPSHOT) {
                        c.setReadOnly(true);
                        c.setTransactionIsolation(Connection.TRANSACTION_REPEATABLE_READ);
                    }
                    try {
                        T r = job.run(c);
                        c.commit();
                        f.complete(r);
                    } catch (SQLException | RuntimeException e) {
                        c.rollback();
                        throw e;
                    }
                } catch (SQLException e) {
                    f.completeExceptionally(PgErrors.forRead(e));
                } catch (RuntimeException e) {
                    f.completeExceptionally(SwitchboardException.of(e));
                }
            });
        } catch (RejectedExecutionException e) {
            f.completeExceptionally(PgErrors.closed());
        }
        return f;
    }

    /** Lets running reads finish. */
    void close() {
        executor.shutdown();
        try {
            executor.awaitTermination(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
