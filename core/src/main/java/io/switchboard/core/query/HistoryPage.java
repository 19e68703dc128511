package io.switchboard.core.query;

import io.switchboard.core.model.Event;

import java.util.List;

/**
 * One page of a {@link HistoryQuery}: the events, and whether the window holds more after the
 * last of them (the page was cut by its {@code limit} or its {@code maxBytes}).
 */
public record HistoryPage(List<Event> events, boolean more) {
    public HistoryPage {
        events = List.copyOf(events);
    }
}
