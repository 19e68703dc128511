package io.switchboard.core.store;

/**
 * Which node fires scheduled publishes. A store of one process has one node, which always leads;
 * a store that several nodes share elects one of them (PostgreSQL: an advisory lock held on a
 * connection of the leader's own, released by the database when that node dies). Firing stays
 * safe without the election — a due publish is claimed and its event appended in one
 * transaction — so a moment with two leaders fires nothing twice; the lead only makes one node
 * do the polling, and says who takes over.
 */
public interface SchedulerLead extends AutoCloseable {
    /** The one node of a store that no other process shares. */
    SchedulerLead ALONE = new SchedulerLead() {
        @Override
        public boolean leads() {
            return true;
        }

        @Override
        public long pollMs() {
            return 30_000;
        }

        @Override
        public void close() {
        }
    };

    /** Whether this node leads now; never blocks (the election runs elsewhere). */
    boolean leads();

    /**
     * How often the scheduler looks again: the leader reads the store's next due time this often,
     * since other nodes' schedules reach it only through the store, and a node that does not lead
     * checks this often whether it took over.
     */
    long pollMs();

    /** Gives the lead up (if held) and stops taking part. */
    @Override
    void close();
}
