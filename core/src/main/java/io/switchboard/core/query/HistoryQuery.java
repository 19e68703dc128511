package io.switchboard.core.query;

import io.switchboard.core.model.EventType;
import io.switchboard.core.path.PathMatcher;

import java.util.Set;

/**
 * A window of the event log, ascending by offset. {@code sinceOffset} is exclusive (the last
 * offset the caller has), {@code untilOffset} inclusive; the time bounds are inclusive epoch ms.
 * Null bounds are open. {@code types} null means every type. {@code maxBytes} (0 = none) ends a
 * page early once its events' stored JSON would pass that many bytes; a page always holds at
 * least one event, so paging on from its last offset always makes progress.
 */
public record HistoryQuery(PathMatcher pattern, Long sinceOffset, Long untilOffset, Long sinceTs,
                           Long untilTs, int limit, Set<EventType> types, long maxBytes) {
    /** A window bounded by count only. */
    public HistoryQuery(PathMatcher pattern, Long sinceOffset, Long untilOffset, Long sinceTs,
                        Long untilTs, int limit, Set<EventType> types) {
        this(pattern, sinceOffset, untilOffset, sinceTs, untilTs, limit, types, 0);
    }
}
