package io.switchboard.core.client;

import org.slf4j.LoggerFactory;

import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Runs tasks one at a time, in submission order, on a shared pool: one client's listeners
 * never run concurrently and never on the thread that delivered the event (for the in-process
 * client that is the store's writer, which must not wait for user code).
 */
public final class SerialExecutor implements Executor {
    private final Queue<Runnable> tasks = new ConcurrentLinkedQueue<>();
    private final AtomicBoolean running = new AtomicBoolean();
    private final Executor pool;

    public SerialExecutor(Executor pool) {
        this.pool = pool;
    }

    @Override
    public void execute(Runnable task) {
        tasks.add(task);
        schedule();
    }

    private void schedule() {
        if (!tasks.isEmpty() && running.compareAndSet(false, true)) {
            pool.execute(this::drain);
        }
    }

    private void drain() {
        try {
            Runnable r;
            int budget = 1024; // yield the pool thread now and then so other clients progress
            while (budget-- > 0 && (r = tasks.poll()) != null) {
                try {
                    r.run();
                } catch (RuntimeException e) {
                    LoggerFactory.getLogger(SerialExecutor.class).warn("listener failed", e);
                }
            }
        } finally {
            running.set(false);
            schedule();
        }
    }
}
