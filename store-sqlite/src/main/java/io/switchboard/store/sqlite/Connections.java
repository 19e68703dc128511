package io.switchboard.store.sqlite;

import org.sqlite.SQLiteConfig;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;

/** Opens connections to one database file, all with the same pragmas and SQL functions. */
final class Connections {
    private static final int BUSY_TIMEOUT_MS = 10_000;

    private final String url;
    private final SqliteOptions options;

    Connections(Path file, SqliteOptions options) {
        this.url = "jdbc:sqlite:" + file.toAbsolutePath();
        this.options = options;
    }

    Connection open() throws SQLException {
        SQLiteConfig cfg = new SQLiteConfig();
        cfg.setJournalMode(SQLiteConfig.JournalMode.WAL);
        cfg.setSynchronous(SQLiteConfig.SynchronousMode.valueOf(options.synchronous()));
        cfg.setBusyTimeout(BUSY_TIMEOUT_MS);
        cfg.enforceForeignKeys(false);
        // The driver would otherwise run "select last_insert_rowid()" after every insert; offsets
        // are assigned by the writer, so nothing reads generated keys (13% of writer time measured).
        cfg.setGetGeneratedKeys(false);
        Connection c = java.sql.DriverManager.getConnection(url, cfg.toProperties());
        try {
            SqlFunctions.register(c);
        } catch (SQLException e) {
            c.close();
            throw e;
        }
        return c;
    }
}
