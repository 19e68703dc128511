package io.switchboard.core.store;

import io.switchboard.core.model.Event;

import java.util.List;

/**
 * Told of every committed batch of events, in offset order, on the store's writer thread and
 * before the writes' futures complete. That ordering is what lets the engine hand an event to
 * every subscriber before the writer's reply ("transactional" consistency). Must not block.
 */
@FunctionalInterface
public interface CommitListener {
    void committed(List<Event> events);
}
