package io.switchboard.core.router;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.switchboard.core.model.Event;
import io.switchboard.core.model.EventType;
import io.switchboard.core.path.PatternIndex;
import io.switchboard.core.session.Session;
import io.switchboard.core.store.CommitListener;
import io.switchboard.core.store.WriteOp;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Function;

/**
 * Fan-out: matches each committed event against the subscription index and hands it to every
 * matching subscriber's session, on the store's writer thread and in offset order. Also keeps
 * the acknowledgement trackers of {@code acknowledged} writes, keyed by event offset.
 */
public final class Router implements CommitListener {
    private final PatternIndex<Listener> index = new PatternIndex<>();
    private final Map<Long, DeliveryTracker> awaitingAcks = new ConcurrentHashMap<>();
    private final Function<WriteOp, Dispatch> dispatchOf;
    private final int maxBuffered;
    private final LongAdder dispatched = new LongAdder();
    private volatile EventFilter filter = EventFilter.ALLOW_ALL;
    /** Told of committed events under a path prefix before fan-out (security caches). */
    private final List<Map.Entry<String, java.util.function.Consumer<Event>>> observers =
            new java.util.concurrent.CopyOnWriteArrayList<>();

    /**
     * @param dispatchOf how to deliver the events of a given op (by identity); returns
     *                   {@link Dispatch#BROADCAST} for ordinary writes
     * @param maxBuffered live events a subscription may buffer while it catches up
     */
    public Router(Function<WriteOp, Dispatch> dispatchOf, int maxBuffered) {
        this.dispatchOf = dispatchOf;
        this.maxBuffered = maxBuffered;
    }

    public EventFilter filter() {
        return filter;
    }

    /** Installs the per-event delivery check (security). */
    public void filter(EventFilter f) {
        this.filter = f == null ? EventFilter.ALLOW_ALL : f;
    }

    @Override
    public void committed(List<Committed> batch) {
        for (Committed c : batch) {
            List<Event> events = c.result().events();
            if (events.isEmpty()) {
                continue;
            }
            Dispatch d = dispatchOf.apply(c.op());
            for (Event e : events) {
                if (!observers.isEmpty()) {
                    notifyObservers(e);
                }
                if (d.needsAck()) {
                    awaitingAcks.put(e.offset(), d.tracker());
                }
                index.match(e.path(), l -> l.onEvent(e, d));
                dispatched.increment();
            }
            if (d.tracker() != null) {
                d.tracker().seal();
            }
        }
    }

    /**
     * Registers {@code observer} for committed events whose path starts with {@code prefix}. It
     * runs on the writer thread before the event is fanned out and before the write's future
     * completes, so a cache it maintains is current when the writer gets its reply; it must be
     * quick and must not block.
     */
    public void observe(String prefix, java.util.function.Consumer<Event> observer) {
        observers.add(Map.entry(prefix, observer));
    }

    private void notifyObservers(Event e) {
        for (Map.Entry<String, java.util.function.Consumer<Event>> o : observers) {
            if (e.path().startsWith(o.getKey())) {
                try {
                    o.getValue().accept(e);
                } catch (RuntimeException ex) {
                    org.slf4j.LoggerFactory.getLogger(Router.class).warn("commit observer failed on {}", e, ex);
                }
            }
        }
    }

    /** Creates a subscription in catch-up mode and indexes it; see {@link Subscription#goLive()}. */
    public Subscription subscribe(String id, Session session, io.switchboard.core.path.Pattern pattern,
                                  Set<EventType> events, int count, boolean mergeOnly, ObjectNode meta) {
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
}
