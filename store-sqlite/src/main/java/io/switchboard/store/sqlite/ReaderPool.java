package io.switchboard.store.sqlite;

import io.switchboard.core.error.SwitchboardException;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Read threads, each with its own connection opened on first use. WAL mode lets them read a
 * consistent snapshot while the writer commits, so reads never wait for writes.
 */
final class ReaderPool {
    private final Connections connections;
    private final ExecutorService executor;
    private final ThreadLocal<Connection> local = new ThreadLocal<>();
    private final List<Connection> opened = new CopyOnWriteArrayList<>();

    ReaderPool(Connections connections, int threads, String name) {
        this.connections = connections;
        AtomicInteger n = new AtomicInteger();
        this.executor = Executors.newFixedThreadPool(threads, r -> {
            Thread t = new Thread(r, name + "-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
    }

    <T> CompletableFuture<T> read(GroupCommitWriter.SqlJob<T> job) {
        CompletableFuture<T> f = new CompletableFuture<>();
        try {
            executor.execute(() -> {
                try {
                    f.complete(job.run(connection()));
                } catch (SQLException e) {
                    f.completeExceptionally(SqlErrors.unavailable(e));
                } catch (RuntimeException e) {
                    f.completeExceptionally(SwitchboardException.of(e));
                }
            });
        } catch (RejectedExecutionException e) {
            f.completeExceptionally(SqlErrors.closed());
        }
        return f;
    }

    private Connection connection() throws SQLException {
        Connection c = local.get();
        if (c == null) {
            c = connections.open();
            local.set(c);
            opened.add(c);
        }
        return c;
    }

    /** Lets running reads finish, then closes every connection. */
    void close() {
        executor.shutdown();
        try {
            executor.awaitTermination(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        for (Connection c : opened) {
            try {
                c.close();
            } catch (SQLException ignored) {
                // Closing anyway; nothing useful to do with the error.
            }
        }
    }
}
