package io.switchboard.store.postgres;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;

/**
 * The one-row log head: the highest offset ever assigned, on every node alike. A group commit
 * locks the row first ({@code SELECT ... FOR UPDATE}), numbers its events from there and raises
 * it before COMMIT; the lock is held until the transaction ends, so batch transactions of all
 * nodes commit one after another in offset order (docs/clustering.md, "Offsets").
 */
final class LogHead {
    private LogHead() {
    }

    /** Locks the head for this transaction and returns it. */
    static long lock(Connection c) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT last FROM log_head WHERE one FOR UPDATE");
             ResultSet rs = ps.executeQuery()) {
            if (!rs.next()) {
                throw new SQLException("log_head row is missing", "55000");
            }
            return rs.getLong(1);
        }
    }

    static void raise(Connection c, long last) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("UPDATE log_head SET last = ? WHERE one")) {
            ps.setLong(1, last);
            ps.executeUpdate();
        }
    }

    /** The head without locking it (reads, start-up). */
    static long read(Connection c) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT last FROM log_head WHERE one");
             ResultSet rs = ps.executeQuery()) {
            return rs.next() ? rs.getLong(1) : 0;
        }
    }
}
