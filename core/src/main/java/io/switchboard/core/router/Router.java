package io.switchboard.core.router;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.switchboard.core.bus.Envelope;
import io.switchboard.core.model.Event;
import io.switchboard.core.model.EventType;
import io.switchboard.core.path.PathMatcher;
import io.switchboard.core.path.PatternIndex;
import io.switchboard.core.session.Session;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * Fan-out. The ordered feed hands it envelopes in offset order on the dispatch thread; it tells
 * the commit observers (security caches), matches each event against the subscription index
 * (cost: the path's depth) and gives every event loop ONE task holding all deliveries to its
 * own sessions, so pushes, delivery filters and serialization run on the loops in parallel and
 * each loop flushes a socket once per batch. When every loop's task has run, the batch is
 * handed off ({@link HandOffWatermark}) and the writes waiting for it may reply.
 */
public final class Router {
    private static final Logger LOG = LoggerFactory.getLogger(Router.class);

    private final PatternIndex<Listener> index = new PatternIndex<>();
    private final Map<Long, DeliveryTracker> awaitingAcks = new ConcurrentHashMap<>();
    private final Function<Envelope, DeliveryTracker> trackers;
    private final HandOffWatermark watermark;
    private final int maxBuffered;
    private final LongAdder dispatched = new LongAdder();
    private final LongAdder deliveries = new LongAdder();
    private final List<DeliveryFilter> filters = new CopyOnWriteArrayList<>();
    /** Told of committed events under a path prefix before fan-out (security caches). */
    private final List<Map.Entry<String, Consumer<Event>>> observers = new CopyOnWriteArrayList<>();

    /**
     * @param trackers    the tracker counting this node's deliveries of an envelope, or null
     *                    (transactional writes, envelopes read back from the log)
     * @param watermark   advanced as batches are handed off
     * @param maxBuffered live events a subscription may buffer while it catches up
     */
    public Router(Function<Envelope, DeliveryTracker> trackers, HandOffWatermark watermark, int maxBuffered) {
        this.trackers = trackers;
        this.watermark = watermark;
        this.maxBuffered = maxBuffered;
    }

    /** Adds a per-delivery check; every installed filter must allow an event. */
    public void addFilter(DeliveryFilter f) {
        filters.add(f);
    }

    boolean allows(Subscription s, Event e) {
        for (DeliveryFilter f : filters) {
            if (!f.allows(s, e)) {
                return false;
            }
        }
        return true;
    }

    Event rewrite(Subscription s, Event e) {
        Event out = e;
        for (DeliveryFilter f : filters) {
            out = f.rewrite(s, out);
        }
        return out;
    }

    /**
     * Registers {@code observer} for committed events whose path starts with {@code prefix}, from
     * every node. It runs on the dispatch thread in offset order, before the event is fanned out
     * and before any write waiting for that event replies; it must be quick and must not block.
     */
    public void observe(String prefix, Consumer<Event> observer) {
        observers.add(Map.entry(prefix, observer));
    }

    /** Fans out envelopes released by the ordered feed (dispatch thread, offset order). */
    public void dispatch(List<Envelope> batch) {
        Map<Executor, Deliveries> perLoop = new IdentityHashMap<>(8);
        Deliveries inline = new Deliveries();
        for (Envelope env : batch) {
            Dispatch d = dispatchOf(env);
            for (Event e : env.events()) {
                if (!observers.isEmpty()) {
                    notifyObservers(e);
                }
                if (d.tracker() != null && d.needsAck()) {
                    awaitingAcks.put(e.offset(), d.tracker());
                }
                index.match(e.path(), l -> {
                    if (l instanceof Subscription s) {
                        Executor ex = s.executor();
                        (ex == null ? inline : perLoop.computeIfAbsent(ex, k -> new Deliveries())).add(s, e, d);
                    } else {
                        ((HistoryWaiter) l).onEvent();
                    }
                });
                dispatched.increment();
            }
        }
        Object token = watermark.begin(batch.get(batch.size() - 1).lastOffset());
        AtomicInteger pending = new AtomicInteger(perLoop.size() + 1);
        Runnable done = () -> {
            if (pending.decrementAndGet() == 0) {
                handedOff(batch, token);
            }
        };
        for (Map.Entry<Executor, Deliveries> g : perLoop.entrySet()) {
            Deliveries ds = g.getValue();
            try {
                g.getKey().execute(() -> ds.run(done));
            } catch (RejectedExecutionException closedLoop) {
                // The loop is shutting down with its channels: the pushes would be dropped anyway.
                ds.run(done);
            }
        }
        inline.run(done);
    }

    private Dispatch dispatchOf(Envelope env) {
        if (env.tracking() == Envelope.Tracking.NONE) {
            return Dispatch.BROADCAST;
        }
        return new Dispatch(trackers.apply(env), env.tracking() == Envelope.Tracking.ACK);
    }

    private void handedOff(List<Envelope> batch, Object token) {
        for (Envelope env : batch) {
            if (env.tracking() != Envelope.Tracking.NONE && env.writeId() != null) {
                DeliveryTracker t = trackers.apply(env);
                if (t != null) {
                    t.seal();
                }
            }
        }
        watermark.finish(token);
    }

    private void notifyObservers(Event e) {
        for (Map.Entry<String, Consumer<Event>> o : observers) {
            if (e.path().startsWith(o.getKey())) {
                try {
                    o.getValue().accept(e);
                } catch (RuntimeException ex) {
                    LOG.warn("commit observer failed on {}", e, ex);
                }
            }
        }
    }

    /** Creates a subscription in catch-up mode and indexes it; see {@link Subscription#goLive()}. */
    public Subscription subscribe(String id, Session session, PathMatcher pattern, Set<EventType> events, int count,
                                  boolean mergeOnly, ObjectNode meta) {
        Subscription s = new Subscription(id, session, pattern, events, count, mergeOnly, meta, this, maxBuffered);
        index.add(pattern, s);
        return s;
    }

    public void remove(Subscription s) {
        s.close();
        index.remove(s.pattern(), s);
    }

    public void addWaiter(HistoryWaiter w) {
        index.add(w.pattern(), w);
    }

    public void removeWaiter(HistoryWaiter w) {
        index.remove(w.pattern(), w);
    }

    /** Routes a client's ack to the write waiting for it; false when nothing waited. */
    public boolean ack(String sessionId, long offset) {
        DeliveryTracker t = awaitingAcks.get(offset);
        return t != null && t.ack(sessionId, offset);
    }

    /** Forgets the ack trackers of finished writes. */
    public void forgetAcks(List<Event> events) {
        for (Event e : events) {
            awaitingAcks.remove(e.offset());
        }
    }

    /** Number of index entries (subscriptions and waiters). */
    public int size() {
        return index.size();
    }

    /** Events dispatched since start (each counted once, whatever its fan-out). */
    public long dispatchedCount() {
        return dispatched.sum();
    }

    /** Pushes attempted since start (one per event and subscriber). */
    public long deliveryCount() {
        return deliveries.sum();
    }

    /** The deliveries of one batch to the sessions of one event loop, in offset order. */
    private final class Deliveries {
        private Subscription[] subs = new Subscription[8];
        private Event[] events = new Event[8];
        private Dispatch[] dispatches = new Dispatch[8];
        private int n;

        void add(Subscription s, Event e, Dispatch d) {
            if (n == subs.length) {
                int cap = n * 2;
                subs = java.util.Arrays.copyOf(subs, cap);
                events = java.util.Arrays.copyOf(events, cap);
                dispatches = java.util.Arrays.copyOf(dispatches, cap);
            }
            subs[n] = s;
            events[n] = e;
            dispatches[n] = d;
            n++;
        }

        void run(Runnable done) {
            try {
                for (int i = 0; i < n; i++) {
                    try {
                        subs[i].onEvent(events[i], dispatches[i]);
                    } catch (RuntimeException ex) {
                        LOG.warn("delivery of {} to subscription {} failed", events[i], subs[i].id(), ex);
                    }
                }
                deliveries.add(n);
            } finally {
                done.run();
            }
        }
    }
}
