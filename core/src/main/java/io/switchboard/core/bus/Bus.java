package io.switchboard.core.bus;

import java.util.List;

/**
 * Carries committed envelopes to the router of every node, this one included. The bus is a
 * hint, the log is the truth: a bus may drop, duplicate or reorder envelopes (Redis pub/sub is
 * at-most-once), and each node's {@link OrderedFeed} repairs that from the store before anything
 * reaches a subscriber. Implementations: {@link LocalBus} (one node, no cost), and the Redis and
 * NATS buses of their own modules.
 */
public interface Bus extends AutoCloseable {
    /** A short name for logs and readiness ({@code local}, {@code redis}, {@code nats}). */
    String name();

    /**
     * Starts delivering envelopes to {@code receiver}, from any thread, in the order the bus
     * received them. Call once, before the first {@link #publish}. A bus that cannot reach its
     * server fails here with {@code UNAVAILABLE} naming it: a node must never run alone while
     * its peers expect a cluster.
     */
    void start(Receiver receiver);

    /** Where a bus hands what it carries: the node's {@link OrderedFeed}. */
    interface Receiver {
        /** Envelopes as they arrived (this node's own arrive here at once, on the writer thread). */
        void accept(List<Envelope> batch);

        /** The newest offset some node has committed: lets the feed notice a lost tail. */
        void hint(long headOffset);
    }

    /**
     * Publishes the envelopes of one local commit, in offset order, to every node. Called on
     * the store's writer thread right after the commit: it must not block.
     */
    void publish(List<Envelope> batch);

    /**
     * Sends a delivery report to the node that made a write (at most once, never blocking); a bus
     * of one node has no one to send it to.
     */
    default void report(DeliveryReport report) {
    }

    /** Where reports addressed to this node go; set before {@link #start}. */
    default void onReport(java.util.function.Consumer<DeliveryReport> listener) {
    }

    /**
     * The other nodes this node has heard from lately (their heartbeats): whose reports a write
     * waits for. Empty on a bus of one node.
     */
    default java.util.Set<String> peers() {
        return java.util.Set.of();
    }

    /** True while the bus can carry envelopes (for {@code /ready}). */
    boolean isHealthy();

    @Override
    void close();
}
