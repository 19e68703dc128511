package io.switchboard.store.postgres;

/**
 * Where and how a {@link PostgresStore} connects: a JDBC {@code url} ({@code jdbc:postgresql://host:port/db}),
 * credentials, {@code poolSize} (connections per node: one for the group-commit writer, the rest
 * for reads), the {@code schema} that holds Switchboard's tables (created when missing), and
 * {@code maxBatch}, the most writes one group commit may carry.
 */
public record PostgresOptions(String url, String user, String password, int poolSize, String schema, int maxBatch) {
    public static final String DEFAULT_URL = "jdbc:postgresql://127.0.0.1:5432/switchboard";
    public static final String DEFAULT_USER = "postgres";
    public static final int DEFAULT_POOL_SIZE = 8;
    public static final String DEFAULT_SCHEMA = "switchboard";
    public static final int DEFAULT_MAX_BATCH = 512;

    public PostgresOptions {
        url = url == null || url.isBlank() ? DEFAULT_URL : url;
        user = user == null || user.isBlank() ? DEFAULT_USER : user;
        schema = schema == null || schema.isBlank() ? DEFAULT_SCHEMA : schema;
        if (!url.startsWith("jdbc:postgresql:")) {
            throw new IllegalArgumentException("url must start with jdbc:postgresql:");
        }
        if (poolSize < 2) {
            throw new IllegalArgumentException("poolSize must be at least 2 (one writer, one reader)");
        }
        if (maxBatch < 1) {
            throw new IllegalArgumentException("maxBatch must be positive");
        }
        if (!schema.matches("[A-Za-z_][A-Za-z0-9_]{0,62}")) {
            throw new IllegalArgumentException("schema must be a plain SQL identifier (letters, digits, _)");
        }
    }

    public static PostgresOptions defaults() {
        return new PostgresOptions(DEFAULT_URL, DEFAULT_USER, null, DEFAULT_POOL_SIZE, DEFAULT_SCHEMA, DEFAULT_MAX_BATCH);
    }

    /** The same options with another schema (tests use one schema each). */
    public PostgresOptions withSchema(String s) {
        return new PostgresOptions(url, user, password, poolSize, s, maxBatch);
    }
}
