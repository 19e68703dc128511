package io.switchboard.store.postgres;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
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

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.CompletableFuture;

/**
 * The {@link Store} on PostgreSQL, which several nodes may share: a HikariCP pool, one
 * group-committing writer per node whose transactions serialize on the log head, and read
 * threads. Schema changes are Flyway migrations.
 */
public final class PostgresStore implements Store {
    private static final long CONNECT_TIMEOUT_MS = 5_000;
    /** How often nodes try for the scheduler lead, and the leader re-reads the next due time. */
    private static final long SCHEDULER_POLL_MS = 500;

    private final PostgresOptions options;
    private volatile CommitListener listener;
    private volatile Meters meters = Meters.NONE;
    private HikariDataSource pool;
    private PgGroupCommitWriter writer;
    private PgReaders readers;
    private PgSchedulerLead lead;
    private String epoch;
    private volatile boolean open;
    private volatile boolean closed;

    public PostgresStore(PostgresOptions options) {
        this.options = options == null ? PostgresOptions.defaults() : options;
    }

    @Override
    public synchronized void open() {
        if (open || closed) {
            throw new IllegalStateException("open() may be called once");
        }
        try {
            pool = new HikariDataSource(poolConfig());
            Migrations.migrate(pool, options.schema());
            long head;
            try (Connection c = pool.getConnection()) {
                epoch = readEpoch(c);
                head = LogHead.read(c);
            }
            writer = new PgGroupCommitWriter(pool, head, options.maxBatch(), "postgres-writer");
            writer.setListener(listener);
            writer.bindMeters(meters);
            writer.connect();
            readers = new PgReaders(pool, options.poolSize() - 1, "postgres-reader");
            writer.start();
            lead = new PgSchedulerLead(options, SCHEDULER_POLL_MS);
            lead.start();
            open = true;
        } catch (SQLException e) {
            closePool();
            throw SwitchboardException.unavailable("cannot open the PostgreSQL store at " + options.url()
                    + " (" + e.getMessage() + ")", e);
        } catch (RuntimeException e) {
            // Hikari's PoolInitializationException and Flyway's FlywayException: unreachable or refused.
            closePool();
            throw SwitchboardException.unavailable("cannot open the PostgreSQL store at " + options.url()
                    + " (" + rootMessage(e) + ")", e);
        }
    }

    private HikariConfig poolConfig() {
        HikariConfig cfg = new HikariConfig();
        cfg.setPoolName("switchboard-postgres");
        cfg.setJdbcUrl(options.url());
        cfg.setUsername(options.user());
        cfg.setPassword(options.password());
        cfg.setMaximumPoolSize(options.poolSize());
        cfg.setMinimumIdle(Math.min(2, options.poolSize()));
        cfg.setConnectionTimeout(CONNECT_TIMEOUT_MS);
        cfg.setInitializationFailTimeout(CONNECT_TIMEOUT_MS);
        // search_path: unqualified table names resolve in our schema (pg_catalog stays implicit).
        cfg.setSchema(options.schema());
        return cfg;
    }

    private static String readEpoch(Connection c) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT value FROM meta WHERE key = 'epoch'");
             ResultSet rs = ps.executeQuery()) {
            if (!rs.next()) {
                throw new SQLException("the meta table has no epoch", "55000");
            }
            return rs.getString(1);
        }
    }

    private static String rootMessage(Throwable t) {
        Throwable r = t;
        while (r.getCause() != null && r.getCause() != r) {
            r = r.getCause();
        }
        return r.getMessage() == null ? r.getClass().getSimpleName() : r.getMessage();
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
            Long first = PgEventReader.firstOffset(c);
            return first != null ? first : LogHead.read(c) + 1;
        });
    }

    @Override
    public CompletableFuture<WriteResult> write(WriteOp op) {
        if (!open) {
            return CompletableFuture.failedFuture(PgErrors.closed());
        }
        return writer.submit(op);
    }

    @Override
    public CompletableFuture<Optional<Document>> get(String path) {
        return read(c -> PgDocumentReader.get(c, path));
    }

    @Override
    public CompletableFuture<QueryResult> query(Query query) {
        if (!open) {
            return CompletableFuture.failedFuture(PgErrors.closed());
        }
        return readers.snapshot(c -> PgDocumentReader.query(c, query));
    }

    @Override
    public CompletableFuture<Long> count(PathMatcher target, Criteria criteria) {
        if (!open) {
            return CompletableFuture.failedFuture(PgErrors.closed());
        }
        // a snapshot: a count with a regex streams rows through a cursor, which needs a transaction
        return readers.snapshot(c -> PgDocumentReader.count(c, target, criteria == null ? Criteria.ALL : criteria));
    }

    @Override
    public CompletableFuture<List<Event>> history(HistoryQuery query) {
        return read(c -> PgEventReader.history(c, query));
    }

    @Override
    public CompletableFuture<io.switchboard.core.query.HistoryPage> historyPage(HistoryQuery query) {
        return read(c -> PgEventReader.page(c, query));
    }

    @Override
    public CompletableFuture<OptionalLong> nextScheduledAt() {
        return read(PgEventReader::nextScheduledAt);
    }

    @Override
    public CompletableFuture<Long> scheduledCount() {
        return read(PgEventReader::scheduledCount);
    }

    @Override
    public io.switchboard.core.store.SchedulerLead schedulerLead() {
        requireOpen();
        return lead;
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
            return CompletableFuture.failedFuture(PgErrors.closed());
        }
        return readers.write(c -> PgPruner.prune(c, policy, now));
    }

    private <T> CompletableFuture<T> read(PgReaders.SqlJob<T> job) {
        if (!open) {
            return CompletableFuture.failedFuture(PgErrors.closed());
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
        lead.close();
        writer.close();
        open = false;
        readers.close();
        closePool();
    }

    private void closePool() {
        if (pool != null) {
            pool.close();
        }
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
}
