package io.switchboard.server;

import io.switchboard.core.store.Store;
import io.switchboard.server.config.ConfigException;
import io.switchboard.server.config.ServerConfig;
import io.switchboard.store.postgres.PostgresOptions;
import io.switchboard.store.postgres.PostgresStore;
import io.switchboard.store.sqlite.SqliteOptions;
import io.switchboard.store.sqlite.SqliteStore;

/** The {@link Store} that {@code store.type} names; a type this build cannot run stops start-up. */
final class StoreFactory {
    private StoreFactory() {
    }

    static Store create(ServerConfig config) {
        switch (config.storeType()) {
            case "sqlite": {
                SqliteOptions so = SqliteOptions.defaults();
                return new SqliteStore(config.dataDir().resolve("switchboard.db"),
                        new SqliteOptions(config.sqliteSynchronous(), so.readers(), so.maxBatch()));
            }
            case "postgres":
                return new PostgresStore(postgresOptions(config));
            default:
                throw new ConfigException("store.type: '" + config.storeType() + "' is not available in this build"
                        + " (use sqlite or postgres)");
        }
    }

    private static PostgresOptions postgresOptions(ServerConfig config) {
        try {
            return new PostgresOptions(config.postgresUrl(), config.postgresUser(), config.postgresPassword(),
                    config.postgresPoolSize(), config.postgresSchema(), PostgresOptions.DEFAULT_MAX_BATCH);
        } catch (IllegalArgumentException e) {
            throw new ConfigException("store.postgres: " + e.getMessage());
        }
    }
}
