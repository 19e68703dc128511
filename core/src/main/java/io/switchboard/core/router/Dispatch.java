package io.switchboard.core.router;

import io.switchboard.core.model.Event;

import java.util.Set;

/**
 * How one committed write's events are delivered: to everyone, or only to
 * {@code targetSessions}; and, for acknowledged/deferred consistency, which tracker counts the
 * deliveries. {@link #BROADCAST} is the common case and allocates nothing.
 */
public record Dispatch(Set<String> targetSessions, DeliveryTracker tracker) {
    public static final Dispatch BROADCAST = new Dispatch(null, null);

    boolean allows(String sessionId) {
        return targetSessions == null || targetSessions.contains(sessionId);
    }

    boolean needsAck() {
        return tracker != null && tracker.needsAck();
    }

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
