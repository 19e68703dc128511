package io.switchboard.store.postgres;

import io.switchboard.core.store.RetentionPolicy;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;

/**
 * Deletes events beyond a {@link RetentionPolicy}. It never touches the log head, so offsets are
 * not reused; any node may run it (the deletes are idempotent).
 */
final class PgPruner {
    private PgPruner() {
    }

    static long prune(Connection c, RetentionPolicy policy, long now) throws SQLException {
        return byAge(c, policy, now) + byCount(c, policy.maxEvents());
    }

    /** Each event gets the age limit of the first override matching its path, else the default. */
    private static long byAge(Connection c, RetentionPolicy policy, long now) throws SQLException {
        long minAge = policy.maxAgeMs();
        for (RetentionPolicy.Override o : policy.overrides()) {
            minAge = Math.min(minAge, o.maxAgeMs());
        }
        PgFragment f = new PgFragment().sql("DELETE FROM events WHERE ts < ").param(now - minAge);
        if (!policy.overrides().isEmpty()) {
            f.sql(" AND CASE");
            for (RetentionPolicy.Override o : policy.overrides()) {
                f.sql(" WHEN ").append(PgCriteriaSql.target(o.pattern())).sql(" THEN ts < ").param(now - o.maxAgeMs());
            }
            f.sql(" ELSE ts < ").param(now - policy.maxAgeMs()).sql(" END");
        }
        try (PreparedStatement ps = c.prepareStatement(f.text())) {
            f.bind(ps, 1);
            return ps.executeUpdate();
        }
    }

    /** Keeps only the newest {@code maxEvents}. */
    private static long byCount(Connection c, long maxEvents) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("DELETE FROM events WHERE event_offset <= "
                + "(SELECT event_offset FROM events ORDER BY event_offset DESC LIMIT 1 OFFSET ?)")) {
            ps.setLong(1, Math.max(0, maxEvents));
            return ps.executeUpdate();
        }
    }
}
