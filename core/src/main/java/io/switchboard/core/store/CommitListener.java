package io.switchboard.core.store;

import java.util.List;

/**
 * Told of every committed batch, on the store's writer thread and before the writes' futures
 * complete. That ordering is what lets the engine hand an event to every subscriber before the
 * writer's reply ("transactional" consistency) and keeps deliveries in offset order. The batch
 * lists the successful ops in commit order, each with its result (the same {@link WriteOp}
 * instance that was passed to {@link Store#write}, so callers can look up per-write context by
 * identity). Must not block.
 */
@FunctionalInterface
public interface CommitListener {
    void committed(List<Committed> batch);

    /** One successful op of a committed batch and what it did. */
    record Committed(WriteOp op, WriteResult result) { }
}
