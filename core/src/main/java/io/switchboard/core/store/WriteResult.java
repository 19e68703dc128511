package io.switchboard.core.store;

import io.switchboard.core.model.Document;
import io.switchboard.core.model.Event;

import java.util.List;

/**
 * What a committed write did: the document after a set (null for noStore), the events it
 * appended in offset order, and the number of documents a remove removed.
 */
public record WriteResult(Document document, List<Event> events, int removed) {
    public static final WriteResult NONE = new WriteResult(null, List.of(), 0);

    /** The single event of a set or publish, or null. */
    public Event event() {
        return events.isEmpty() ? null : events.get(0);
    }
}
