package io.switchboard.store.sqlite;

import io.switchboard.core.error.SwitchboardException;
import io.switchboard.core.metrics.Meters;
import io.switchboard.core.store.CommitListener;
import io.switchboard.core.store.WriteOp;
import io.switchboard.core.store.WriteResult;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * The single writer thread. It drains up to {@code maxBatch} queued writes, applies them in one
 * transaction (each inside its own SAVEPOINT so a failing op undoes only itself), commits once,
 * tells the {@link CommitListener}, and only then completes the futures. One fsync thus covers
 * every write that queued up while the previous commit was in flight (group commit).
 */
final class GroupCommitWriter {
    private static final Logger LOG = LoggerFactory.getLogger(GroupCommitWriter.class);

    /** Work for the writer: a write, or a maintenance job that runs alone in its transaction. */
    private sealed interface Task permits Write, Job { }

    private record Write(WriteOp op, CompletableFuture<WriteResult> future) implements Task { }

    private record Job(SqlJob<Long> job, CompletableFuture<Long> future) implements Task { }

    /** A unit of SQL work on the writer connection. */
    @FunctionalInterface
    interface SqlJob<T> {
        T run(Connection c) throws SQLException;
    }

    private final Connection conn;
    private final WriteApplier applier;
    private final int maxBatch;
    private final LinkedBlockingQueue<Task> queue = new LinkedBlockingQueue<>();
    private final Thread thread;
    private final PreparedStatement highWater;
    private final Statement stmt;
    private volatile CommitListener listener = batch -> { };
    private volatile Meters.Timer commitTimer = Meters.NONE.timer("", "");
    private volatile Meters.Distribution batchSizes = Meters.NONE.distribution("", "", "");
    private volatile boolean accepting = true;
    private volatile boolean failed;
    /** Newest committed offset, published after each commit. */
    private volatile long lastOffset;

    GroupCommitWriter(Connection conn, long lastOffset, int maxBatch, String name) throws SQLException {
        this.conn = conn;
        this.lastOffset = lastOffset;
        this.maxBatch = maxBatch;
        this.applier = new WriteApplier(conn, lastOffset + 1);
        this.highWater = conn.prepareStatement("UPDATE meta SET value = ? WHERE key = '" + Schema.HIGH_WATER + "'");
        this.stmt = conn.createStatement();
        this.thread = new Thread(this::run, name);
        this.thread.setDaemon(true);
    }

    void start() {
        thread.start();
    }

    void setListener(CommitListener l) {
        listener = l == null ? batch -> { } : l;
    }

    /** Records each commit's duration (BEGIN to COMMIT) and batch size. */
    void bindMeters(Meters m) {
        commitTimer = m.timer("store.commit", "Store group commit duration, BEGIN to COMMIT");
        batchSizes = m.distribution("store.commit.batch", "Writes per store group commit", "writes");
    }

    long lastOffset() {
        return lastOffset;
    }

    boolean isHealthy() {
        return accepting && !failed && thread.isAlive();
    }

    CompletableFuture<WriteResult> submit(WriteOp op) {
        CompletableFuture<WriteResult> f = new CompletableFuture<>();
        offer(new Write(op, f), f);
        return f;
    }

    CompletableFuture<Long> submitJob(SqlJob<Long> job) {
        CompletableFuture<Long> f = new CompletableFuture<>();
        offer(new Job(job, f), f);
        return f;
    }

    private void offer(Task t, CompletableFuture<?> f) {
        // Checked under the lock close() takes, so nothing is queued after the writer's last drain.
        synchronized (queue) {
            if (!accepting) {
                f.completeExceptionally(SqlErrors.closed());
                return;
            }
            queue.add(t);
        }
    }

    /** Stops accepting, lets the writer finish everything queued, and waits for it. */
    void close() {
        synchronized (queue) {
            accepting = false;
        }
        try {
            thread.join(TimeUnit.SECONDS.toMillis(30));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void run() {
        List<Write> batch = new ArrayList<>(maxBatch);
        while (true) {
            Task first;
            try {
                first = queue.poll(50, TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                first = null;
            }
            if (first == null) {
                if (!accepting && queue.isEmpty()) {
                    return;
                }
                continue;
            }
            if (first instanceof Job j) {
                runJob(j);
                continue;
            }
            batch.add((Write) first);
            // Take more writes, but stop at a job so it runs alone and in queue order.
            while (batch.size() < maxBatch && queue.peek() instanceof Write) {
                batch.add((Write) queue.poll());
            }
            commitBatch(batch);
            batch.clear();
        }
    }

    private void runJob(Job j) {
        try {
            stmt.execute("BEGIN IMMEDIATE");
            Long r;
            try {
                r = j.job().run(conn);
                stmt.execute("COMMIT");
            } catch (SQLException | RuntimeException e) {
                rollbackQuietly();
                throw e;
            }
            j.future().complete(r);
        } catch (SQLException e) {
            j.future().completeExceptionally(SqlErrors.unavailable(e));
        } catch (RuntimeException e) {
            j.future().completeExceptionally(SwitchboardException.of(e));
        }
    }

    private void commitBatch(List<Write> batch) {
        long startOffset = applier.nextOffset;
        List<CommitListener.Committed> done = new ArrayList<>(batch.size());
        Throwable[] errors = new Throwable[batch.size()];
        long began = System.nanoTime();
        try {
            stmt.execute("BEGIN IMMEDIATE");
            try {
                for (int i = 0; i < batch.size(); i++) {
                    Write w = batch.get(i);
                    long before = applier.nextOffset;
                    stmt.execute("SAVEPOINT op");
                    try {
                        WriteResult r = applier.apply(w.op());
                        stmt.execute("RELEASE op");
                        done.add(new CommitListener.Committed(w.op(), r));
                    } catch (SwitchboardException | IllegalArgumentException e) {
                        // A business failure (CONFLICT, NOT_FOUND, BAD_REQUEST) undoes only this op.
                        stmt.execute("ROLLBACK TO op");
                        stmt.execute("RELEASE op");
                        applier.nextOffset = before;
                        errors[i] = e instanceof SwitchboardException se ? se
                                : SwitchboardException.badRequest("data", "cannot be stored");
                    }
                }
                if (applier.nextOffset != startOffset) {
                    highWater.setString(1, Long.toString(applier.nextOffset - 1));
                    highWater.executeUpdate();
                }
                stmt.execute("COMMIT");
            } catch (SQLException | RuntimeException e) {
                rollbackQuietly();
                throw e;
            }
        } catch (SQLException | RuntimeException e) {
            applier.nextOffset = startOffset;
            SwitchboardException err = e instanceof SQLException se ? SqlErrors.unavailable(se)
                    : SwitchboardException.unavailable("store write failed", e);
            LOG.warn("group commit of {} writes failed", batch.size(), e);
            for (Write w : batch) {
                w.future().completeExceptionally(err);
            }
            return;
        }
        commitTimer.recordNanos(System.nanoTime() - began);
        batchSizes.record(batch.size());
        lastOffset = applier.nextOffset - 1;
        if (!done.isEmpty()) {
            try {
                listener.committed(done);
            } catch (RuntimeException e) {
                LOG.error("commit listener failed", e);
            }
        }
        int k = 0;
        for (int i = 0; i < batch.size(); i++) {
            Write w = batch.get(i);
            if (errors[i] != null) {
                w.future().completeExceptionally(errors[i]);
            } else {
                w.future().complete(done.get(k++).result());
            }
        }
    }

    private void rollbackQuietly() {
        try {
            stmt.execute("ROLLBACK");
        } catch (SQLException ignored) {
            // Not in a transaction any more (SQLite already rolled back): nothing to undo.
        }
    }
}
