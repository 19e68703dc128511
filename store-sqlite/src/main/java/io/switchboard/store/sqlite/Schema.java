package io.switchboard.store.sqlite;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.UUID;

/** Creates the tables on open and reads/writes the small key-value meta table. */
final class Schema {
    static final String EPOCH = "epoch";
    /** Highest offset ever assigned, so pruning every event never lets an offset be reused. */
    static final String HIGH_WATER = "high_water";

    private static final String[] DDL = {
        "CREATE TABLE IF NOT EXISTS documents (path TEXT PRIMARY KEY, data TEXT NOT NULL,"
            + " created INTEGER NOT NULL, modified INTEGER NOT NULL, version INTEGER NOT NULL, modified_by TEXT)",
        "CREATE TABLE IF NOT EXISTS events (offset INTEGER PRIMARY KEY, id TEXT, type TEXT NOT NULL,"
            + " path TEXT NOT NULL, data TEXT, patch TEXT, meta TEXT, ts INTEGER NOT NULL, by TEXT, targets TEXT)",
        "CREATE INDEX IF NOT EXISTS events_ts ON events(ts)",
        "CREATE INDEX IF NOT EXISTS events_id ON events(id)",
        "CREATE TABLE IF NOT EXISTS scheduled (id TEXT PRIMARY KEY, path TEXT NOT NULL, data TEXT, meta TEXT,"
            + " by TEXT, at INTEGER NOT NULL, created INTEGER NOT NULL)",
        "CREATE INDEX IF NOT EXISTS scheduled_at ON scheduled(at, id)",
        "CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)",
    };

    private Schema() {
    }

    /** Creates what is missing in one transaction; the epoch is minted once, with the log. */
    static void create(Connection c) throws SQLException {
        try (Statement s = c.createStatement()) {
            s.execute("BEGIN IMMEDIATE");
            try {
                for (String ddl : DDL) {
                    s.execute(ddl);
                }
                addMissingColumns(c);
                s.execute("INSERT OR IGNORE INTO meta(key, value) VALUES ('" + EPOCH + "', '"
                        + UUID.randomUUID() + "')");
                s.execute("INSERT OR IGNORE INTO meta(key, value) VALUES ('" + HIGH_WATER + "', '0')");
                s.execute("COMMIT");
            } catch (SQLException e) {
                s.execute("ROLLBACK");
                throw e;
            }
        }
    }

    /** Columns added after a store's first release: a file made by an older build gets them here. */
    private static void addMissingColumns(Connection c) throws SQLException {
        boolean hasTargets = false;
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("PRAGMA table_info(events)")) {
            while (rs.next()) {
                hasTargets |= "targets".equals(rs.getString("name"));
            }
        }
        if (!hasTargets) {
            try (Statement s = c.createStatement()) {
                s.execute("ALTER TABLE events ADD COLUMN targets TEXT");
            }
        }
    }

    static String read(Connection c, String key) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT value FROM meta WHERE key = ?")) {
            ps.setString(1, key);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? rs.getString(1) : null;
            }
        }
    }

    /** The next offset to assign: above both the newest event and the recorded high-water mark. */
    static long lastOffset(Connection c) throws SQLException {
        long hw = Long.parseLong(read(c, HIGH_WATER));
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT MAX(offset) FROM events")) {
            long max = rs.next() ? rs.getLong(1) : 0;
            return Math.max(hw, max);
        }
    }
}
