package io.switchboard.store.postgres;

import io.switchboard.core.error.SwitchboardException;
import io.switchboard.core.metrics.Meters;
import io.switchboard.core.store.CommitListener;
import io.switchboard.core.store.WriteOp;
import io.switchboard.core.store.WriteResult;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * This node's single writer thread. It drains up to {@code maxBatch} queued writes and applies
 * them in one transaction that first locks the log head ({@link LogHead}), commits once, tells
 * the {@link CommitListener} and only then completes the futures: one WAL flush covers every
 * write that queued while the previous commit was in flight (group commit). While idle it checks
 * its connection about once a second, so {@link #isHealthy()} turns false when PostgreSQL goes
 * away even without traffic, and a new connection is taken when it comes back.
 */
final class PgGroupCommitWriter {
    private static final Logger LOG = LoggerFactory.getLogger(PgGroupCommitWriter.class);
    private static final long CHECK_EVERY_NANOS = TimeUnit.SECONDS.toNanos(1);

    private record Write(WriteOp op, CompletableFuture<WriteResult> future) { }

    private final DataSource pool;
    private final int maxBatch;
    private final LinkedBlockingQueue<Write> queue = new LinkedBlockingQueue<>();
    private final Thread thread;
    private volatile CommitListener listener = batch -> { };
    private volatile Meters.Timer commitTimer = Meters.NONE.timer("", "");
    private volatile Meters.Distribution batchSizes = Meters.NONE.distribution("", "", "");
    private volatile boolean accepting = true;
    private volatile boolean connected;
    /** Newest offset this node knows committed: its own commits and the head it last locked. */
    private volatile long lastOffset;
    private Connection conn;
    private PgWriteApplier applier;
    private long lastCheck = System.nanoTime();

    PgGroupCommitWriter(DataSource pool, long lastOffset, int maxBatch, String name) {
        this.pool = pool;
        this.lastOffset = lastOffset;
        this.maxBatch = maxBatch;
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
        return accepting && connected && thread.isAlive();
    }

    CompletableFuture<WriteResult> submit(WriteOp op) {
        CompletableFuture<WriteResult> f = new CompletableFuture<>();
        // Checked under the lock close() takes, so nothing is queued after the writer's last drain.
        synchronized (queue) {
            if (!accepting) {
                f.completeExceptionally(PgErrors.closed());
                return f;
            }
            queue.add(new Write(op, f));
        }
        return f;
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

    /** Takes the writer connection now, so open() fails fast when PostgreSQL is unreachable. */
    void connect() throws SQLException {
        conn = pool.getConnection();
        conn.setAutoCommit(false);
        applier = new PgWriteApplier(conn);
        connected = true;
    }

    private void run() {
        List<Write> batch = new ArrayList<>(maxBatch);
        try {
            while (true) {
                Write first;
                try {
                    first = queue.poll(50, TimeUnit.MILLISECONDS);
                } catch (InterruptedException e) {
                    first = null;
                }
                if (first == null) {
                    if (!accepting && queue.isEmpty()) {
                        return;
                    }
                    checkWhileIdle();
                    continue;
                }
                batch.add(first);
                queue.drainTo(batch, maxBatch - 1);
                commitBatch(batch);
                batch.clear();
            }
        } finally {
            dropConnection();
        }
    }

    private void checkWhileIdle() {
        if (System.nanoTime() - lastCheck < CHECK_EVERY_NANOS) {
            return;
        }
        lastCheck = System.nanoTime();
        try {
            if (conn == null) {
                connect();
                LOG.info("store writer reconnected to PostgreSQL");
            } else if (!conn.isValid(2)) {
                dropConnection();
            }
        } catch (SQLException e) {
            dropConnection();
        }
    }

    private void commitBatch(List<Write> batch) {
        long began = System.nanoTime();
        Outcome out;
        try {
            if (conn == null) {
                connect();
            }
            try {
                out = attempt(batch, false);
            } catch (SQLException e) {
                rollbackQuietly();
                if (!PgErrors.isDataError(e)) {
                    throw e;
                }
                // Some op holds a value PostgreSQL cannot store: again, each op in a savepoint,
                // so only the culprit fails (rare: costs two extra round trips per op).
                out = attempt(batch, true);
            }
        } catch (SQLException | RuntimeException e) {
            rollbackQuietly();
            if (e instanceof SQLException && !isValid()) {
                dropConnection();
            }
            SwitchboardException err = e instanceof SQLException se ? PgErrors.unavailable(se)
                    : SwitchboardException.unavailable("store write failed", e);
            LOG.warn("group commit of {} writes failed", batch.size(), e);
            for (Write w : batch) {
                w.future().completeExceptionally(err);
            }
            return;
        }
        commitTimer.recordNanos(System.nanoTime() - began);
        batchSizes.record(batch.size());
        lastOffset = Math.max(lastOffset, out.last());
        if (!out.done().isEmpty()) {
            try {
                listener.committed(out.done());
            } catch (RuntimeException e) {
                LOG.error("commit listener failed", e);
            }
        }
        int k = 0;
        for (int i = 0; i < batch.size(); i++) {
            Write w = batch.get(i);
            if (out.errors()[i] != null) {
                w.future().completeExceptionally(out.errors()[i]);
            } else {
                w.future().complete(out.done().get(k++).result());
            }
        }
    }

    private record Outcome(List<CommitListener.Committed> done, Throwable[] errors, long last) { }

    /** One transaction over the batch; {@code savepoints}: each op may fail on a data error alone. */
    private Outcome attempt(List<Write> batch, boolean savepoints) throws SQLException {
        List<CommitListener.Committed> done = new ArrayList<>(batch.size());
        Throwable[] errors = new Throwable[batch.size()];
        long head = LogHead.lock(conn);
        applier.nextOffset = head + 1;
        for (int i = 0; i < batch.size(); i++) {
            Write w = batch.get(i);
            long before = applier.nextOffset;
            java.sql.Savepoint sp = savepoints ? conn.setSavepoint() : null;
            try {
                WriteResult r = applier.apply(w.op());
                if (sp != null) {
                    applier.flush();
                    conn.releaseSavepoint(sp);
                }
                done.add(new CommitListener.Committed(w.op(), r));
            } catch (SwitchboardException | IllegalArgumentException e) {
                // Thrown before the op wrote anything (see PgWriteApplier): nothing to undo.
                if (sp != null) {
                    conn.releaseSavepoint(sp);
                }
                applier.nextOffset = before;
                errors[i] = e instanceof SwitchboardException se ? se
                        : SwitchboardException.badRequest("data", "cannot be stored");
            } catch (SQLException e) {
                if (sp == null || !PgErrors.isDataError(e)) {
                    throw e;
                }
                conn.rollback(sp);
                applier.discard();
                applier.nextOffset = before;
                errors[i] = SwitchboardException.badRequest("data", "cannot be stored in PostgreSQL"
                        + " (it holds a value jsonb cannot represent, such as \\u0000)");
            }
        }
        applier.flush();
        long last = applier.nextOffset - 1;
        if (last != head) {
            LogHead.raise(conn, last);
        }
        conn.commit();
        return new Outcome(done, errors, last);
    }

    private boolean isValid() {
        try {
            return conn != null && conn.isValid(2);
        } catch (SQLException e) {
            return false;
        }
    }

    private void rollbackQuietly() {
        try {
            if (applier != null) {
                applier.discard();
            }
            if (conn != null) {
                conn.rollback();
            }
        } catch (SQLException ignored) {
            // The connection is broken; dropConnection() follows.
        }
    }

    private void dropConnection() {
        connected = false;
        if (applier != null) {
            applier.close();
            applier = null;
        }
        if (conn != null) {
            try {
                conn.close();
            } catch (SQLException ignored) {
                // Broken already.
            }
            conn = null;
        }
    }
}
