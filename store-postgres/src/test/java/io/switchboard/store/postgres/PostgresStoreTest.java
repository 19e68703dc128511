package io.switchboard.store.postgres;

import io.switchboard.core.store.Store;
import io.switchboard.core.store.StoreContract;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;

import java.nio.file.Path;

/** Runs the shared store contract on the real PostgreSQL, each test in a schema of its own. */
class PostgresStoreTest extends StoreContract {
    private final String schema = PgTestDb.newSchema();

    @BeforeAll
    static void needsPostgres() {
        PgTestDb.assumeReachable();
    }

    @Override
    protected Store openStore(Path dir) {
        return new PostgresStore(PgTestDb.options(schema));
    }

    @AfterEach
    void dropSchema() {
        if (store != null) {
            store.close();
        }
        PgTestDb.drop(schema);
    }
}
