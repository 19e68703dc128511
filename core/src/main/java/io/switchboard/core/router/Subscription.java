package io.switchboard.core.router;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.switchboard.core.error.SwitchboardException;
import io.switchboard.core.error.ErrorCode;
import io.switchboard.core.model.Event;
import io.switchboard.core.model.EventType;
import io.switchboard.core.path.Pattern;
import io.switchboard.core.session.Session;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A session's interest in events on a pattern. Starts in catch-up mode, where live events are
 * buffered while the engine sends the subscribe reply and replays missed events from the log;
 * {@link #goLive()} then drains the buffer and switches to direct delivery. Deliveries are
 * de-duplicated by offset, so the hand-over from log to live has no gap and no duplicate.
 */
public final class Subscription implements Listener {
    private record Buffered(Event event, Dispatch dispatch) { }

    private final String id;
    private final Session session;
    private final Pattern pattern;
    private final Set<EventType> events;
    private final boolean mergeOnly;
    private final ObjectNode meta;
    private final AtomicInteger remaining;
    private final Router router;
    private final int maxBuffered;
    private List<Buffered> buffered = new ArrayList<>();
    private long lastDelivered;
    private boolean closed;
    private boolean overflowed;
    /** The event filter's cached decision for this subscription (owned by the filter). */
    private volatile Object filterState;

    Subscription(String id, Session session, Pattern pattern, Set<EventType> events, int count,
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
    }

    public String id() { return id; }
    public Session session() { return session; }
    public Pattern pattern() { return pattern; }
    public Set<EventType> events() { return events; }
    public boolean mergeOnly() { return mergeOnly; }
    public ObjectNode meta() { return meta; }
    public Object filterState() { return filterState; }
    public void filterState(Object s) { filterState = s; }

    @Override
    public void onEvent(Event event, Dispatch dispatch) {
        if (!events.contains(event.type()) || !dispatch.allows(session.id())
                || !router.filter().allows(session, this, event)) {
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
    public synchronized void replay(Event event) {
        if (!closed && events.contains(event.type()) && router.filter().allows(session, this, event)) {
            deliver(event, Dispatch.BROADCAST);
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
        boolean accepted = session.sink().push(id, router.filter().rewrite(session, event), mergeOnly, dispatch.needsAck());
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
