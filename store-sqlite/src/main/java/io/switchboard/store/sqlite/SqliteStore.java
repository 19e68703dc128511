package io.switchboard.store.sqlite;

import io.switchboard.core.error.SwitchboardException;
import io.switchboard.core.metrics.Meters;
import io.switchboard.core.model.Document;
import io.switchboard.core.model.Event;
import io.switchboard.core.path.PathMatcher;
import io.switchboard.core.query.Criteria;
import io.switchboard.core.query.HistoryQuery;
import io.switchboard.core.query.Query;
import io.switchboard.core.query.QueryResult;
import io.switchboard.core.store.CommitListener;
import io.switchboard.core.store.RetentionPolicy;
import io.switchboard.core.store.Store;
import io.switchboard.core.store.WriteOp;
import io.switchboard.core.store.WriteResult;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.CompletableFuture;

/**
 * The embedded {@link Store}: one SQLite file in WAL mode, one group-committing writer thread
 * and a small pool of reader connections.
 */
public final class SqliteStore implements Store {
    private final Path file;
    private final SqliteOptions options;
    private final Connections connections;
    private volatile CommitListener listener;
    private Connection writerConn;
    private GroupCommitWriter writer;
    private ReaderPool readers;
    private volatile Meters meters = Meters.NONE;
    private String epoch;
    private volatile boolean open;
    private volatile boolean closed;

    public SqliteStore(Path dbFile, SqliteOptions options) {
        this.file = dbFile;
        this.options = options == null ? SqliteOptions.defaults() : options;
        this.connections = new Connections(dbFile, this.options);
    }

    @Override
    public synchronized void open() {
        if (open || closed) {
            throw new IllegalStateException("open() may be called once");
        }
        try {
            if (file.getParent() != null) {
                java.nio.file.Files.createDirectories(file.getParent());
            }
            writerConn = connections.open();
            Schema.create(writerConn);
            epoch = Schema.read(writerConn, Schema.EPOCH);
            writer = new GroupCommitWriter(writerConn, Schema.lastOffset(writerConn), options.maxBatch(),
                    "sqlite-writer");
            writer.setListener(listener);
            writer.bindMeters(meters);
            readers = new ReaderPool(connections, options.readers(), "sqlite-reader");
            writer.start();
            open = true;
        } catch (SQLException e) {
            closeQuietly(writerConn);
            throw SqlErrors.unavailable(e);
        } catch (java.io.IOException e) {
            throw SwitchboardException.unavailable("cannot create the store's folder", e);
        }
    }

    @Override
    public void setCommitListener(CommitListener listener) {
        this.listener = listener;
        if (writer != null) {
            writer.setListener(listener);
        }
    }

    @Override
    public String epoch() {
        requireOpen();
        return epoch;
    }

    @Override
    public long lastOffset() {
        requireOpen();
        return writer.lastOffset();
    }

    @Override
    public CompletableFuture<Long> firstOffset() {
        return read(c -> {
            Long first = EventReader.firstOffset(c);
            return first != null ? first : writer.lastOffset() + 1;
        });
    }

    @Override
    public CompletableFuture<WriteResult> write(WriteOp op) {
        if (!open) {
            return CompletableFuture.failedFuture(SqlErrors.closed());
        }
        return writer.submit(op);
    }

    @Override
    public CompletableFuture<Optional<Document>> get(String path) {
        return read(c -> DocumentReader.get(c, path));
    }

    @Override
    public CompletableFuture<QueryResult> query(Query query) {
        return read(c -> DocumentReader.query(c, query));
    }

    @Override
    public CompletableFuture<Long> count(PathMatcher target, Criteria criteria) {
        return read(c -> DocumentReader.count(c, target, criteria == null ? Criteria.ALL : criteria));
    }

    @Override
    public CompletableFuture<List<Event>> history(HistoryQuery query) {
        return read(c -> EventReader.history(c, query));
    }

    @Override
    public CompletableFuture<io.switchboard.core.query.HistoryPage> historyPage(HistoryQuery query) {
        return read(c -> EventReader.page(c, query));
    }

    @Override
    public CompletableFuture<OptionalLong> nextScheduledAt() {
        return read(EventReader::nextScheduledAt);
    }

    @Override
    public CompletableFuture<Long> scheduledCount() {
        return read(EventReader::scheduledCount);
    }

    @Override
    public void bindMeters(Meters meters) {
        this.meters = meters;
        if (writer != null) {
            writer.bindMeters(meters);
        }
    }

    @Override
    public CompletableFuture<Long> prune(RetentionPolicy policy, long now) {
        if (!open) {
            return CompletableFuture.failedFuture(SqlErrors.closed());
        }
        return writer.submitJob(c -> Pruner.prune(c, policy, now));
    }

    private <T> CompletableFuture<T> read(GroupCommitWriter.SqlJob<T> job) {
        if (!open) {
            return CompletableFuture.failedFuture(SqlErrors.closed());
        }
        return readers.read(job);
    }

    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        if (!open) {
            return;
        }
        writer.close();
        open = false;
        readers.close();
        try (Statement s = writerConn.createStatement()) {
            // Folds the WAL back into the main file so the next open starts clean and fast.
            s.execute("PRAGMA wal_checkpoint(TRUNCATE)");
        } catch (SQLException ignored) {
            // A failed checkpoint loses nothing: the WAL is replayed on the next open.
        }
        closeQuietly(writerConn);
    }

    @Override
    public boolean isHealthy() {
        return open && writer.isHealthy();
    }

    private void requireOpen() {
        if (writer == null) {
            throw new IllegalStateException("store is not open");
        }
    }

    private static void closeQuietly(Connection c) {
        if (c != null) {
            try {
                c.close();
            } catch (SQLException ignored) {
                // Already failing or closing.
            }
        }
    }
}
