package io.switchboard.core.bus;

import io.switchboard.core.model.Event;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Consumer;

/**
 * Turns what the bus delivers — in any order, duplicated, with holes — into envelopes released
 * strictly in offset order, each offset exactly once. An envelope at or below what was released
 * is a duplicate and dropped; one beyond the next expected offset waits while the hole before
 * it is read from the log; a hole is never skipped (only events that retention already deleted
 * are given up, with a warning, since nobody can have them).
 *
 * <p>Threading: {@link #accept} and {@link #hint} may be called from any thread; all ordering
 * work and every {@code release} call run on the one {@code dispatcher} executor, one batch at
 * a time, so the released sequence needs no further locking.
 */
public final class OrderedFeed implements Bus.Receiver {
    private static final Logger LOG = LoggerFactory.getLogger(OrderedFeed.class);
    /** Events read from the log per fill request. */
    static final int FILL_PAGE = 1000;
    private static final long RETRY_MIN_MS = 10;
    private static final long RETRY_MAX_MS = 1000;

    private final LogReader log;
    private final Executor dispatcher;
    private final ScheduledExecutorService timers;
    private final Consumer<List<Envelope>> release;
    private final ConcurrentLinkedQueue<Runnable> inbox = new ConcurrentLinkedQueue<>();
    private final AtomicBoolean drainScheduled = new AtomicBoolean();
    private final Runnable drain = this::drain;
    private final LongAdder duplicates = new LongAdder();
    private final LongAdder filled = new LongAdder();

    // Owned by the dispatcher thread.
    private long released;
    private long knownHead;
    private final TreeMap<Long, Envelope> waiting = new TreeMap<>();
    private boolean filling;
    private long retryMs = RETRY_MIN_MS;

    /**
     * @param releasedUpTo the newest offset already handled (the log's last offset at start)
     * @param release      receives released envelopes in offset order, on the dispatcher
     */
    public OrderedFeed(LogReader log, long releasedUpTo, Executor dispatcher, ScheduledExecutorService timers,
                       Consumer<List<Envelope>> release) {
        this.log = log;
        this.released = releasedUpTo;
        this.knownHead = releasedUpTo;
        this.dispatcher = dispatcher;
        this.timers = timers;
        this.release = release;
    }

    /** Envelopes as the bus delivered them. */
    @Override
    public void accept(List<Envelope> batch) {
        submit(() -> onBatch(batch));
    }

    /**
     * The log's newest offset as some node last saw it: a hole at the tail (the last envelope
     * was lost and nothing followed) is noticed and filled from it.
     */
    @Override
    public void hint(long headOffset) {
        submit(() -> {
            knownHead = Math.max(knownHead, headOffset);
            fillIfNeeded();
        });
    }

    /** Envelopes dropped as duplicates since start. */
    public long duplicates() {
        return duplicates.sum();
    }

    /** Events read from the log to fill holes since start. */
    public long filledFromLog() {
        return filled.sum();
    }

    private void submit(Runnable r) {
        inbox.add(r);
        if (drainScheduled.compareAndSet(false, true)) {
            dispatcher.execute(drain);
        }
    }

    private void drain() {
        drainScheduled.set(false);
        Runnable r;
        while ((r = inbox.poll()) != null) {
            try {
                r.run();
            } catch (RuntimeException e) {
                LOG.error("ordered feed step failed", e);
            }
        }
    }

    private void onBatch(List<Envelope> batch) {
        List<Envelope> out = null;
        for (Envelope env : batch) {
            knownHead = Math.max(knownHead, env.lastOffset());
            Envelope fresh = env.after(released);
            if (fresh == null) {
                duplicates.increment();
            } else if (fresh.firstOffset() == released + 1) {
                out = add(out, fresh);
                out = releaseWaiting(out);
            } else {
                waiting.merge(fresh.firstOffset(), fresh, (a, b) -> a.lastOffset() >= b.lastOffset() ? a : b);
            }
        }
        emit(out);
        fillIfNeeded();
    }

    private List<Envelope> add(List<Envelope> out, Envelope e) {
        if (out == null) {
            out = new ArrayList<>(4);
        }
        out.add(e);
        released = e.lastOffset();
        return out;
    }

    /** Moves waiting envelopes that are now next in line (or already covered) to {@code out}. */
    private List<Envelope> releaseWaiting(List<Envelope> out) {
        while (!waiting.isEmpty()) {
            Map.Entry<Long, Envelope> first = waiting.firstEntry();
            Envelope fresh = first.getValue().after(released);
            if (fresh == null) {
                waiting.pollFirstEntry();
                duplicates.increment();
            } else if (fresh.firstOffset() == released + 1) {
                waiting.pollFirstEntry();
                out = add(out, fresh);
            } else {
                break;
            }
        }
        return out;
    }

    private void emit(List<Envelope> out) {
        if (out != null && !out.isEmpty()) {
            release.accept(out);
        }
    }

    /** Reads the first hole (up to the next waiting envelope, or the known head) from the log. */
    private void fillIfNeeded() {
        if (filling) {
            return;
        }
        long until = waiting.isEmpty() ? knownHead : waiting.firstKey() - 1;
        if (until <= released) {
            return;
        }
        filling = true;
        long after = released;
        log.read(after, until, FILL_PAGE).whenComplete((events, err) ->
                submit(() -> onFilled(after, until, events, err)));
    }

    private void onFilled(long after, long until, List<Event> events, Throwable err) {
        filling = false;
        if (err != null || events == null) {
            LOG.warn("cannot read offsets {}..{} from the log to fill a hole; retrying", after + 1, until, err);
            retryLater();
            return;
        }
        List<Envelope> out = null;
        for (Event e : events) {
            if (e.offset() == released + 1) {
                filled.increment();
                out = add(out, Envelope.fromLog(e));
            } else if (e.offset() > released + 1) {
                break;
            }
        }
        boolean progressed = out != null;
        out = releaseWaiting(out);
        emit(out);
        if (progressed) {
            retryMs = RETRY_MIN_MS;
            fillIfNeeded();
            return;
        }
        // Nothing usable: either retention removed the events, or they are not visible yet.
        log.firstOffset().whenComplete((first, e2) -> submit(() -> {
            if (e2 == null && first != null && first > released + 1 && released < until) {
                long skipTo = Math.min(first - 1, until);
                LOG.warn("offsets {}..{} were removed by retention before they could be delivered", released + 1, skipTo);
                released = skipTo;
                emit(releaseWaiting(null));
                fillIfNeeded();
            } else {
                retryLater();
            }
        }));
    }

    private void retryLater() {
        long delay = retryMs;
        retryMs = Math.min(RETRY_MAX_MS, retryMs * 2);
        filling = true;
        timers.schedule(() -> submit(() -> {
            filling = false;
            fillIfNeeded();
        }), delay, TimeUnit.MILLISECONDS);
    }
}
