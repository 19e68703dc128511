package io.switchboard.core.bus;

import io.switchboard.core.model.Event;

import java.util.List;

/**
 * The events of one committed write as they travel to every node's router, with the write's
 * context: which node wrote it ({@code origin}), the write's id (acks and delivery counts are
 * matched by it, never by object identity) and how its deliveries are tracked. Who the events
 * are for ({@code targetSessions}) travels on each event. Envelopes rebuilt from the log when a
 * gap is filled have no origin, no id and no tracking.
 */
public record Envelope(String origin, String writeId, Tracking tracking, List<Event> events) {
    /** How the writer wants deliveries counted (its consistency). */
    public enum Tracking {
        /** {@code transactional}: nothing counted. */
        NONE,
        /** {@code deferred}: deliveries counted for a {@code published} notice. */
        COUNT,
        /** {@code acknowledged}: deliveries counted and each push asks the client to ack. */
        ACK
    }

    public Envelope {
        events = List.copyOf(events);
        if (events.isEmpty()) {
            throw new IllegalArgumentException("an envelope carries at least one event");
        }
        tracking = tracking == null ? Tracking.NONE : tracking;
    }

    /** An envelope for one event read back from the log. */
    public static Envelope fromLog(Event e) {
        return new Envelope(null, null, Tracking.NONE, List.of(e));
    }

    public long firstOffset() {
        return events.get(0).offset();
    }

    public long lastOffset() {
        return events.get(events.size() - 1).offset();
    }

    /** The same context with only the events after {@code offset} (null when none remain). */
    Envelope after(long offset) {
        if (firstOffset() > offset) {
            return this;
        }
        List<Event> rest = events.stream().filter(e -> e.offset() > offset).toList();
        return rest.isEmpty() ? null : new Envelope(origin, writeId, tracking, rest);
    }
}
