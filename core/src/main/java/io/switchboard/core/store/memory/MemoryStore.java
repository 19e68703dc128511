package io.switchboard.core.store.memory;

import io.switchboard.core.error.SwitchboardException;
import io.switchboard.core.model.Document;
import io.switchboard.core.model.Event;
import io.switchboard.core.path.PathMatcher;
import io.switchboard.core.query.Criteria;
import io.switchboard.core.query.HistoryQuery;
import io.switchboard.core.query.Query;
import io.switchboard.core.query.QueryResult;
import io.switchboard.core.store.CommitListener;
import io.switchboard.core.store.RetentionPolicy;
import io.switchboard.core.store.Store;
import io.switchboard.core.store.WriteOp;
import io.switchboard.core.store.WriteResult;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.locks.Lock;
import java.util.function.Supplier;

/**
 * A {@link Store} that keeps everything in memory: the store the engine, router and pipeline
 * tests run on, and a dependency-free store for embedding. It keeps the promises of a durable
 * store within one process: one writer thread applies queued writes in batches (as SQLite's
 * group commit does), tells the commit listener of each batch before completing its futures,
 * and hands out strictly increasing offsets. Reads run on the caller's thread under a read lock
 * held only while the answer is copied out, so they never wait for more than one batch.
 *
 * <p>Closing keeps the {@link MemoryData}; a new store on the same data continues where the
 * last one stopped, like a restart. Nothing survives the process.
 */
public final class MemoryStore implements Store {
    /** Writes applied per batch at most: bounds how long readers wait for the write lock. */
    private static final int MAX_BATCH = 256;

    private final MemoryData data;
    private final MemoryWriter writer;
    private final BlockingQueue<Pending<?>> queue = new LinkedBlockingQueue<>();
    private volatile CommitListener listener = batch -> { };
    private volatile boolean open;
    private volatile boolean closed;
    private Thread thread;

    /** A store on fresh, empty data. */
    public MemoryStore() {
        this(new MemoryData());
    }

    /** A store on {@code data}, continuing what an earlier store on it left. */
    public MemoryStore(MemoryData data) {
        this.data = data;
        this.writer = new MemoryWriter(data);
    }

    @Override
    public synchronized void open() {
        if (open || closed) {
            throw new IllegalStateException("open() may be called once");
        }
        thread = new Thread(this::run, "memory-writer");
        thread.setDaemon(true);
        open = true;
        thread.start();
    }

    @Override
    public void setCommitListener(CommitListener listener) {
        this.listener = listener == null ? batch -> { } : listener;
    }

    @Override
    public String epoch() {
        return data.epoch;
    }

    @Override
    public long lastOffset() {
        return read(() -> data.lastOffset);
    }

    @Override
    public CompletableFuture<Long> firstOffset() {
        return readAsync(() -> MemoryReads.firstOffset(data));
    }

    @Override
    public CompletableFuture<WriteResult> write(WriteOp op) {
        return submit(new Pending<>(op, null));
    }

    @Override
    public CompletableFuture<Optional<Document>> get(String path) {
        return readAsync(() -> Optional.ofNullable(data.documents.get(path))
                .map(d -> new Document(d.path(), d.data().deepCopy(), d.meta())));
    }

    @Override
    public CompletableFuture<QueryResult> query(Query query) {
        return readAsync(() -> MemoryReads.query(data, query));
    }

    @Override
    public CompletableFuture<Long> count(PathMatcher target, Criteria criteria) {
        return readAsync(() -> MemoryReads.count(data, target, criteria == null ? Criteria.ALL : criteria));
    }

    @Override
    public CompletableFuture<List<Event>> history(HistoryQuery query) {
        return readAsync(() -> MemoryReads.history(data, query));
    }

    @Override
    public CompletableFuture<io.switchboard.core.query.HistoryPage> historyPage(HistoryQuery query) {
        return readAsync(() -> MemoryReads.page(data, query));
    }

    @Override
    public CompletableFuture<OptionalLong> nextScheduledAt() {
        return readAsync(() -> data.scheduled.values().stream().mapToLong(MemoryData.Scheduled::at).min());
    }

    @Override
    public CompletableFuture<Long> scheduledCount() {
        return readAsync(() -> (long) data.scheduled.size());
    }

    @Override
    public CompletableFuture<Long> prune(RetentionPolicy policy, long now) {
        return submit(new Pending<>(null, () -> MemoryReads.prune(data, policy, now)));
    }

    @Override
    public void close() {
        Thread t;
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
            t = thread;
            if (t == null) {
                return;
            }
            queue.add(Pending.STOP);
        }
        try {
            t.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        open = false;
    }

    @Override
    public boolean isHealthy() {
        return open && !closed;
    }

    private <T> CompletableFuture<T> submit(Pending<T> p) {
        synchronized (this) {
            if (!open || closed) {
                return CompletableFuture.failedFuture(unavailable());
            }
            queue.add(p);
        }
        return p.future;
    }

    private void run() {
        List<Pending<?>> batch = new ArrayList<>();
        boolean stop = false;
        while (!stop) {
            try {
                batch.add(queue.take());
            } catch (InterruptedException e) {
                continue; // only close() ends the writer, after the queue is drained
            }
            queue.drainTo(batch, MAX_BATCH - 1);
            stop = batch.remove(Pending.STOP);
            applyBatch(batch);
            batch.clear();
        }
    }

    /** Applies, tells the listener of the successful writes in commit order, then completes. */
    private void applyBatch(List<Pending<?>> batch) {
        List<CommitListener.Committed> committed = new ArrayList<>();
        Lock lock = data.lock.writeLock();
        lock.lock();
        try {
            for (Pending<?> p : batch) {
                p.apply(writer, committed);
            }
        } finally {
            lock.unlock();
        }
        if (!committed.isEmpty()) {
            try {
                listener.committed(committed);
            } catch (RuntimeException e) {
                org.slf4j.LoggerFactory.getLogger(MemoryStore.class).error("commit listener failed", e);
            }
        }
        for (Pending<?> p : batch) {
            p.complete();
        }
    }

    private <T> T read(Supplier<T> job) {
        Lock lock = data.lock.readLock();
        lock.lock();
        try {
            return job.get();
        } finally {
            lock.unlock();
        }
    }

    private <T> CompletableFuture<T> readAsync(Supplier<T> job) {
        if (!open || closed) {
            return CompletableFuture.failedFuture(unavailable());
        }
        try {
            return CompletableFuture.completedFuture(read(job));
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    private static SwitchboardException unavailable() {
        return SwitchboardException.unavailable("store is closed", null);
    }

    /** A queued write ({@code op}) or job, with its outcome once applied. */
    private static final class Pending<T> {
        static final Pending<Void> STOP = new Pending<>(null, null);

        final WriteOp op;
        final Supplier<T> job;
        final CompletableFuture<T> future = new CompletableFuture<>();
        private Object outcome;
        private RuntimeException failure;

        Pending(WriteOp op, Supplier<T> job) {
            this.op = op;
            this.job = job;
        }

        void apply(MemoryWriter writer, List<CommitListener.Committed> committed) {
            try {
                if (op != null) {
                    WriteResult r = writer.apply(op);
                    committed.add(new CommitListener.Committed(op, r));
                    outcome = r;
                } else {
                    outcome = job.get();
                }
            } catch (RuntimeException e) {
                failure = e;
            }
        }

        @SuppressWarnings("unchecked")
        void complete() {
            if (failure != null) {
                future.completeExceptionally(failure);
            } else {
                future.complete((T) outcome);
            }
        }
    }
}
