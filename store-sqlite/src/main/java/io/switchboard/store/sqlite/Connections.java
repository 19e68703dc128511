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
        ownerOnly(file);
        this.url = "jdbc:sqlite:" + file.toAbsolutePath();
        this.options = options;
    }

    /**
     * The database holds password hashes and tokens' sessions: it is created owner-only (0600),
     * like {@code jwt-secret}, before SQLite opens it, and an existing one (with its -wal, -shm
     * and -journal, which SQLite gives the main file's mode) is narrowed to that.
     */
    private static void ownerOnly(Path file) {
        if (!java.nio.file.FileSystems.getDefault().supportedFileAttributeViews().contains("posix")) {
            return;
        }
        java.util.Set<java.nio.file.attribute.PosixFilePermission> rw = java.util.EnumSet.of(
                java.nio.file.attribute.PosixFilePermission.OWNER_READ, java.nio.file.attribute.PosixFilePermission.OWNER_WRITE);
        try {
            if (java.nio.file.Files.notExists(file) && java.nio.file.Files.isDirectory(file.toAbsolutePath().getParent())) {
                try {
                    java.nio.file.Files.createFile(file, java.nio.file.attribute.PosixFilePermissions.asFileAttribute(rw));
                } catch (java.nio.file.FileAlreadyExistsException raced) {
                    // another opener made it first; narrowed below
                }
            }
            for (String suffix : new String[] {"", "-wal", "-shm", "-journal"}) {
                Path p = file.resolveSibling(file.getFileName() + suffix);
                if (java.nio.file.Files.exists(p)) {
                    java.nio.file.Files.setPosixFilePermissions(p, rw);
                }
            }
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException("cannot make " + file + " owner-only (0600)", e);
        }
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
