package io.switchboard.bench.load;

import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntConsumer;

/** Opens connections with a bounded number of handshakes in flight, so the server's accept backlog is not flooded. */
public final class Opener {
    private final Semaphore inFlight;
    private final int max;
    private final AtomicInteger ready = new AtomicInteger();
    private final AtomicInteger failed = new AtomicInteger();

    public Opener(int maxInFlight) {
        this.max = maxInFlight;
        this.inFlight = new Semaphore(maxInFlight);
    }

    /** Calls {@code start(i)} for i in [from, from+n); each start must end with {@link #done}. Waits up to timeoutSec. */
    public int[] open(int from, int n, IntConsumer start, int timeoutSec) throws InterruptedException {
        int r0 = ready.get();
        int f0 = failed.get();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(timeoutSec);
        for (int i = from; i < from + n; i++) {
            if (!inFlight.tryAcquire(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS)) {
                break;
            }
            start.accept(i);
        }
        inFlight.tryAcquire(max, Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
        inFlight.release(max);
        return new int[] {ready.get() - r0, failed.get() - f0};
    }

    /** The connection became ready (true) or failed before that (false). Call once per started connection. */
    public void done(boolean ok) {
        (ok ? ready : failed).incrementAndGet();
        inFlight.release();
    }
}
