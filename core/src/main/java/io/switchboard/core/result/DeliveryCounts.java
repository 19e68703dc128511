package io.switchboard.core.result;

/**
 * How the events of one write were delivered, for {@code deferred} and {@code acknowledged}
 * consistency: {@code queued} pushes attempted, {@code delivered} accepted by a connection,
 * {@code acknowledged} acked by the client, {@code failed} dropped or never acked.
 */
public record DeliveryCounts(int queued, int delivered, int acknowledged, int failed) {
}
