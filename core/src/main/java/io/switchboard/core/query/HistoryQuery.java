package io.switchboard.core.query;

import io.switchboard.core.model.EventType;
import io.switchboard.core.path.PathMatcher;

import java.util.Set;

/**
 * A window of the event log, ascending by offset. {@code sinceOffset} is exclusive (the last
 * offset the caller has), {@code untilOffset} inclusive; the time bounds are inclusive epoch ms.
 * Null bounds are open. {@code types} null means every type.
 */
public record HistoryQuery(PathMatcher pattern, Long sinceOffset, Long untilOffset, Long sinceTs,
                           Long untilTs, int limit, Set<EventType> types) {
}
