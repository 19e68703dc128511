package io.switchboard.store.sqlite;

import io.switchboard.core.store.Store;
import io.switchboard.core.store.StoreContract;

import java.nio.file.Path;

/** Runs the shared store contract on a real SQLite file. */
class SqliteStoreTest extends StoreContract {
    @Override
    protected Store openStore(Path dir) {
        return new SqliteStore(dir.resolve("switchboard.db"), new SqliteOptions("NORMAL", 2, 64));
    }
}
