package io.switchboard.core.router;

import io.switchboard.core.model.Event;

/**
 * How one envelope's events are delivered: whether each push asks for an ack, and which local
 * tracker (if the write was made on this node with {@code deferred}/{@code acknowledged}
 * consistency) counts the deliveries. {@link #BROADCAST} is the common case and allocates
 * nothing. Who may receive an event is on the event ({@link Event#isFor}).
 */
public record Dispatch(DeliveryTracker tracker, boolean needsAck) {
    public static final Dispatch BROADCAST = new Dispatch(null, false);

    void expect(Event e, String sessionId) {
        if (tracker != null) {
            tracker.expect(e, sessionId);
        }
    }

    void pushed(Event e, String sessionId, boolean accepted) {
        if (tracker != null) {
            tracker.pushed(e, sessionId, accepted);
        }
    }
}
