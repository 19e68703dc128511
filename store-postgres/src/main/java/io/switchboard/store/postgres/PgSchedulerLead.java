package io.switchboard.store.postgres;

import io.switchboard.core.store.SchedulerLead;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Properties;
import java.util.concurrent.TimeUnit;

/**
 * The scheduler's leader among the nodes sharing one schema: whoever holds a session-level
 * PostgreSQL advisory lock keyed by the schema's oid (so clusters in other schemas of the same
 * database elect their own). The lock lives on a connection of its own, outside the pool: when
 * the leader dies (even by kill -9) or loses the database, PostgreSQL ends that session and
 * releases the lock, and another node takes it at its next try, within {@link #pollMs()} plus
 * the time the database takes to notice the closed socket. A thread of its own tries (or, while
 * leading, checks the connection) every {@code pollMs}, so {@link #leads()} never blocks.
 */
final class PgSchedulerLead implements SchedulerLead {
    private static final Logger LOG = LoggerFactory.getLogger(PgSchedulerLead.class);
    /** The first half of the two-part advisory key: "SB", Switchboard's scheduler. */
    private static final int LOCK_CLASS = 0x5342;

    private final PostgresOptions options;
    private final long pollMs;
    private final Thread thread;
    private volatile boolean leads;
    private volatile boolean closed;
    private Connection conn;

    PgSchedulerLead(PostgresOptions options, long pollMs) {
        this.options = options;
        this.pollMs = pollMs;
        this.thread = new Thread(this::run, "postgres-scheduler-lead");
        thread.setDaemon(true);
    }

    /** Makes the first try at once (so a lone node leads from the start), then keeps trying. */
    void start() {
        tick();
        thread.start();
    }

    @Override
    public boolean leads() {
        return leads && !closed;
    }

    @Override
    public long pollMs() {
        return pollMs;
    }

    private void run() {
        while (!closed) {
            try {
                TimeUnit.MILLISECONDS.sleep(pollMs);
            } catch (InterruptedException e) {
                break;
            }
            tick();
        }
        drop();
    }

    private synchronized void tick() {
        if (closed) {
            return;
        }
        try {
            if (conn == null) {
                conn = connect();
            }
            if (leads) {
                try (PreparedStatement ps = conn.prepareStatement("SELECT 1")) {
                    ps.execute(); // the lock lasts as long as this session does
                }
            } else if (tryLock()) {
                leads = true;
                LOG.info("this node now fires scheduled publishes (scheduler lead on schema {})", options.schema());
            }
        } catch (SQLException e) {
            if (leads) {
                LOG.warn("lost the scheduler lead with the database connection: {}", e.getMessage());
            }
            drop();
        }
    }

    private boolean tryLock() throws SQLException {
        try (PreparedStatement ps = conn.prepareStatement(
                "SELECT pg_try_advisory_lock(?, (SELECT oid::int FROM pg_namespace WHERE nspname = ?))")) {
            ps.setInt(1, LOCK_CLASS);
            ps.setString(2, options.schema());
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() && rs.getBoolean(1);
            }
        }
    }

    private Connection connect() throws SQLException {
        Properties p = new Properties();
        p.setProperty("user", options.user());
        if (options.password() != null) {
            p.setProperty("password", options.password());
        }
        // bounded, so a dead database never holds this thread (and a lost lead is noticed)
        p.setProperty("connectTimeout", "5");
        p.setProperty("socketTimeout", "10");
        p.setProperty("tcpKeepAlive", "true");
        p.setProperty("ApplicationName", "switchboard-scheduler-lead");
        return DriverManager.getConnection(options.url(), p);
    }

    private synchronized void drop() {
        leads = false;
        if (conn != null) {
            try {
                conn.close(); // ends the session: the lock goes with it
            } catch (SQLException ignored) {
                // already broken
            }
            conn = null;
        }
    }

    @Override
    public void close() {
        closed = true;
        leads = false;
        thread.interrupt();
        drop();
    }
}
