package io.switchboard.store.postgres;

import io.switchboard.core.model.Event;
import io.switchboard.core.model.EventType;
import io.switchboard.core.query.HistoryPage;
import io.switchboard.core.query.HistoryQuery;
import io.switchboard.core.query.ReplyBudget;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;

/** Reads of the event log and the scheduled table. */
final class PgEventReader {
    private PgEventReader() {
    }

    static List<Event> history(Connection c, HistoryQuery q) throws SQLException {
        return page(c, q).events();
    }

    /**
     * Up to {@code limit} events, fewer when the next would pass {@code maxBytes}; one row past
     * the page is looked at to tell whether there is more.
     */
    static HistoryPage page(Connection c, HistoryQuery q) throws SQLException {
        PgFragment f = new PgFragment().sql("SELECT " + PgEventRows.COLUMNS + " FROM events WHERE TRUE");
        if (q.pattern() != null) {
            f.sql(" AND ").append(PgCriteriaSql.target(q.pattern()));
        }
        if (q.sinceOffset() != null) {
            f.sql(" AND event_offset > ").param(q.sinceOffset());
        }
        if (q.untilOffset() != null) {
            f.sql(" AND event_offset <= ").param(q.untilOffset());
        }
        if (q.sinceTs() != null) {
            f.sql(" AND ts >= ").param(q.sinceTs());
        }
        if (q.untilTs() != null) {
            f.sql(" AND ts <= ").param(q.untilTs());
        }
        if (q.types() != null) {
            f.sql(" AND type IN (");
            int i = 0;
            for (EventType t : q.types()) {
                f.sql(i++ == 0 ? "" : ", ").param(t.wire());
            }
            if (i == 0) {
                f.sql("NULL");
            }
            f.sql(")");
        }
        f.sql(" ORDER BY event_offset ASC LIMIT ").param(q.limit() > 0 ? (Long) (q.limit() + 1L) : null);
        List<Event> out = new ArrayList<>();
        ReplyBudget budget = new ReplyBudget(q.maxBytes());
        boolean more = false;
        try (PreparedStatement ps = c.prepareStatement(f.text())) {
            f.bind(ps, 1);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    // Measured from the text before it is parsed: a row over budget is never built.
                    if ((q.limit() > 0 && out.size() == q.limit())
                            || !budget.fits(out.isEmpty(), rs.getString(4), rs.getString(5), rs.getString(6), rs.getString(7))) {
                        more = true;
                        break;
                    }
                    out.add(PgEventRows.read(rs));
                }
            }
        }
        return new HistoryPage(out, more);
    }

    /** The oldest retained offset, or null when the log is empty. */
    static Long firstOffset(Connection c) throws SQLException {
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT MIN(event_offset) FROM events")) {
            long v = rs.next() ? rs.getLong(1) : 0;
            return rs.wasNull() ? null : v;
        }
    }

    static OptionalLong nextScheduledAt(Connection c) throws SQLException {
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT MIN(at) FROM scheduled")) {
            long v = rs.next() ? rs.getLong(1) : 0;
            return rs.wasNull() ? OptionalLong.empty() : OptionalLong.of(v);
        }
    }

    static long scheduledCount(Connection c) throws SQLException {
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT COUNT(*) FROM scheduled")) {
            return rs.next() ? rs.getLong(1) : 0;
        }
    }
}
