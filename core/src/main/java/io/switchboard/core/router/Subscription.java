package io.switchboard.core.router;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.switchboard.core.error.ErrorCode;
import io.switchboard.core.error.SwitchboardException;
import io.switchboard.core.model.Event;
import io.switchboard.core.model.EventType;
import io.switchboard.core.path.PathMatcher;
import io.switchboard.core.session.AttributeKey;
import io.switchboard.core.session.Attributes;
import io.switchboard.core.session.Session;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A session's interest in events on a pattern. Starts in catch-up mode, where live events are
 * buffered while the engine sends the subscribe reply and replays missed events from the log;
 * {@link #goLive()} then drains the buffer and switches to direct delivery.
 *
 * <p>Live events arrive strictly in offset order (the ordered feed guarantees it); the replay
 * from the log and the buffered live events overlap by design, so a delivery at or below the
 * last delivered offset is that overlap and is skipped — that is the only reason one is.
 */
public final class Subscription implements Listener {
    private record Buffered(Event event, Dispatch dispatch) { }

    private final String id;
    private final Session session;
    private final PathMatcher pattern;
    private final Set<EventType> events;
    private final boolean mergeOnly;
    private final ObjectNode meta;
    private final AtomicInteger remaining;
    private final Router router;
    private final int maxBuffered;
    private final Executor executor;
    private final Attributes states = new Attributes();
    private List<Buffered> buffered = new ArrayList<>();
    private long lastDelivered;
    private boolean closed;
    private boolean overflowed;

    Subscription(String id, Session session, PathMatcher pattern, Set<EventType> events, int count,
                 boolean mergeOnly, ObjectNode meta, Router router, int maxBuffered) {
        this.id = id;
        this.session = session;
        this.pattern = pattern;
        this.events = events;
        this.mergeOnly = mergeOnly;
        this.meta = meta;
        this.remaining = count > 0 ? new AtomicInteger(count) : null;
        this.router = router;
        this.maxBuffered = maxBuffered;
        this.executor = session.sink().executor();
    }

    public String id() { return id; }
    public Session session() { return session; }
    public PathMatcher pattern() { return pattern; }
    public Set<EventType> events() { return events; }
    public boolean mergeOnly() { return mergeOnly; }
    public ObjectNode meta() { return meta; }

    /** Where this subscription's pushes run (its session's event loop), or null for inline. */
    Executor executor() { return executor; }

    /** A delivery filter's own state for this subscription (its cached decision). */
    public <T> T state(AttributeKey<T> key) { return states.get(key); }

    public <T> void state(AttributeKey<T> key, T value) { states.set(key, value); }

    private boolean wants(Event event) {
        return events.contains(event.type()) && event.isFor(session.id()) && router.allows(this, event);
    }

    /** A live event (on this subscription's executor, in offset order). */
    void onEvent(Event event, Dispatch dispatch) {
        if (!wants(event)) {
            return;
        }
        synchronized (this) {
            if (closed) {
                return;
            }
            if (buffered != null) {
                if (buffered.size() >= maxBuffered) {
                    overflowed = true;
                    return;
                }
                buffered.add(new Buffered(event, dispatch));
                return;
            }
            deliver(event, dispatch);
        }
    }

    /** Delivers an event read from the log during catch-up (caller holds no lock). */
    public void replay(Event event) {
        if (!wants(event)) {
            return;
        }
        synchronized (this) {
            if (!closed) {
                deliver(event, Dispatch.BROADCAST);
            }
        }
    }

    /** The offset of the last event delivered, for callers paging through the log. */
    public synchronized long lastDelivered() {
        return lastDelivered;
    }

    /** Sets where replay starts, so live events at or below it are not delivered twice. */
    public synchronized void startAfter(long offset) {
        lastDelivered = Math.max(lastDelivered, offset);
    }

    /**
     * Ends catch-up: delivers the buffered live events not already replayed, then switches to
     * direct delivery. Fails if the buffer overflowed while the replay ran.
     */
    public synchronized void goLive() {
        List<Buffered> b = buffered;
        buffered = null;
        if (overflowed) {
            throw new SwitchboardException(ErrorCode.UNAVAILABLE,
                    "subscription " + id + " fell too far behind during catch-up; subscribe again with since");
        }
        if (b != null) {
            for (Buffered x : b) {
                if (closed) {
                    return;
                }
                deliver(x.event, x.dispatch);
            }
        }
    }

    private void deliver(Event event, Dispatch dispatch) {
        if (event.offset() <= lastDelivered) {
            return;
        }
        lastDelivered = event.offset();
        dispatch.expect(event, session.id());
        boolean accepted = session.sink().push(this, router.rewrite(this, event), dispatch.needsAck());
        dispatch.pushed(event, session.id(), accepted);
        if (remaining != null && remaining.decrementAndGet() <= 0) {
            closed = true;
            router.remove(this);
            session.removeSubscription(id);
        }
    }

    /** Stops deliveries; the router entry is removed by the caller. */
    public synchronized void close() {
        closed = true;
        buffered = null;
    }

    public synchronized boolean isClosed() {
        return closed;
    }
}
