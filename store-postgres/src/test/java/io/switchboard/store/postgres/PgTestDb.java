package io.switchboard.store.postgres;

import org.junit.jupiter.api.Assumptions;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.UUID;

/** The test PostgreSQL (127.0.0.1:5432, database test, user postgres, trust) and a schema per test. */
final class PgTestDb {
    static final String URL = "jdbc:postgresql://127.0.0.1:5432/test";
    static final String USER = "postgres";

    private PgTestDb() {
    }

    /** Skips the calling test (class) unless PostgreSQL answers on 127.0.0.1:5432. */
    static void assumeReachable() {
        boolean up;
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress("127.0.0.1", 5432), 1000);
            up = true;
        } catch (IOException e) {
            up = false;
        }
        Assumptions.assumeTrue(up, "PostgreSQL is not reachable at 127.0.0.1:5432: skipping the PostgreSQL store tests");
    }

    /** A fresh schema name; the store creates it on open. */
    static String newSchema() {
        return "sbtest_" + UUID.randomUUID().toString().replace("-", "").substring(0, 16);
    }

    static PostgresOptions options(String schema) {
        return new PostgresOptions(URL, USER, null, 4, schema, 64);
    }

    static Connection connect() throws SQLException {
        return DriverManager.getConnection(URL, USER, null);
    }

    static void drop(String schema) {
        try (Connection c = connect(); Statement s = c.createStatement()) {
            s.execute("DROP SCHEMA IF EXISTS " + schema + " CASCADE");
        } catch (SQLException e) {
            throw new AssertionError("could not drop test schema " + schema, e);
        }
    }
}
