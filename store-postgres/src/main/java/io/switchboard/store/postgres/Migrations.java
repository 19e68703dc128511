package io.switchboard.store.postgres;

import org.flywaydb.core.Flyway;

import javax.sql.DataSource;

/**
 * Creates or migrates Switchboard's schema with Flyway (scripts in
 * {@code db/switchboard-postgres}). Flyway takes a PostgreSQL lock while it migrates, so nodes
 * starting together do not race; the epoch is minted by the first migration, once.
 */
final class Migrations {
    static final String LOCATION = "classpath:db/switchboard-postgres";

    private Migrations() {
    }

    static void migrate(DataSource ds, String schema) {
        Flyway.configure()
                .dataSource(ds)
                .schemas(schema)
                .defaultSchema(schema)
                .createSchemas(true)
                .locations(LOCATION)
                .table("switchboard_schema_history")
                .load()
                .migrate();
    }
}
