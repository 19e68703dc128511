package io.switchboard.server.config;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The server's typed, immutable configuration. Every value is validated when set, so a
 * {@code ServerConfig} that exists is a valid one. Tests build it with
 * {@code ServerConfig.defaults().withPort(0).withDataDir(tmp)}; the CLI builds it through
 * {@link ConfigLoader} (flag > env > file > default).
 */
public final class ServerConfig {
    private final Map<String, Object> values;

    private ServerConfig(Map<String, Object> values) {
        this.values = values;
    }

    /** Every key at its default. */
    public static ServerConfig defaults() {
        Map<String, Object> v = new LinkedHashMap<>();
        ConfigKeys.all().forEach((name, key) -> v.put(name, key.defaultValue()));
        return new ServerConfig(v);
    }

    /**
     * A copy with {@code key} set; {@code raw} may be typed or text.
     *
     * @throws ConfigException for an unknown key or a bad value, naming the key
     */
    public ServerConfig with(String key, Object raw) {
        return with(key, raw, null);
    }

    ServerConfig with(String key, Object raw, String source) {
        ConfigKey k = ConfigKeys.get(key);
        if (k == null) {
            throw new ConfigException("unknown configuration key '" + key + "'" + (source == null ? "" : " (from " + source + ")"));
        }
        Map<String, Object> v = new LinkedHashMap<>(values);
        v.put(key, k.convert(raw, source));
        return new ServerConfig(v);
    }

    /** The value of {@code key} (typed as its {@link ConfigKey} says). */
    public Object get(String key) {
        if (!values.containsKey(key)) {
            throw new ConfigException("unknown configuration key '" + key + "'");
        }
        return values.get(key);
    }

    public ServerConfig withPort(int port) { return with(ConfigKeys.HTTP_PORT, port); }
    public ServerConfig withHost(String host) { return with(ConfigKeys.HTTP_HOST, host); }
    public ServerConfig withDataDir(Path dir) { return with(ConfigKeys.DATA_DIR, dir.toString()); }
    public ServerConfig withSecurityEnabled(boolean on) { return with(ConfigKeys.SECURITY_ENABLED, on); }
    public ServerConfig withAdminToken(String token) { return with(ConfigKeys.AUTH_ADMIN_TOKEN, token); }
    public ServerConfig withAdminPassword(String pw) { return with(ConfigKeys.AUTH_ADMIN_PASSWORD, pw); }
    public ServerConfig withJwtSecret(String secret) { return with(ConfigKeys.AUTH_JWT_SECRET, secret); }
    public ServerConfig withRollingKeys(boolean on) { return with(ConfigKeys.AUTH_ROLLING_KEYS, on); }
    public ServerConfig withTokenTtlMs(long ms) { return with(ConfigKeys.AUTH_TOKEN_TTL_MS, ms); }
    public ServerConfig withSessionSweepMs(long ms) { return with(ConfigKeys.AUTH_SESSION_SWEEP_MS, ms); }
    /** Session profiles as a JSON array text (see docs/security.md). */
    public ServerConfig withProfiles(String jsonArray) { return with(ConfigKeys.AUTH_PROFILES, jsonArray); }
    /** RS256/ES256 signing with the PEM private key at {@code keyPath}. */
    public ServerConfig withSigningKey(String alg, Path keyPath) {
        return with(ConfigKeys.AUTH_SIGNING_ALG, alg).with(ConfigKeys.AUTH_SIGNING_KEY_PATH, keyPath == null ? null : keyPath.toString());
    }
    /** Trusted external issuers as a JSON array text (see docs/security.md). */
    public ServerConfig withIssuers(String jsonArray) { return with(ConfigKeys.AUTH_ISSUERS, jsonArray); }
    public ServerConfig withClientTokenMaxTtlMs(long ms) { return with(ConfigKeys.AUTH_CLIENT_TOKEN_MAX_TTL, ms); }
    public ServerConfig withHeartbeatMs(long ms) { return with(ConfigKeys.WS_HEARTBEAT_MS, ms); }
    public ServerConfig withMaxOutboundBytes(long bytes) { return with(ConfigKeys.WS_MAX_OUTBOUND_BYTES, bytes); }
    public ServerConfig withMaxFrameBytes(int bytes) { return with(ConfigKeys.LIMITS_MAX_FRAME_BYTES, bytes); }
    public ServerConfig withMaxDepth(int depth) { return with(ConfigKeys.LIMITS_MAX_DEPTH, depth); }
    public ServerConfig withMaxConnections(int total, int perIp) {
        return with(ConfigKeys.LIMITS_MAX_CONNECTIONS, total).with(ConfigKeys.LIMITS_MAX_CONNECTIONS_PER_IP, perIp);
    }
    public ServerConfig withRequestTimeoutMs(long ms) { return with(ConfigKeys.LIMITS_REQUEST_TIMEOUT_MS, ms); }
    public ServerConfig withConnectTimeoutMs(long ms) { return with(ConfigKeys.LIMITS_CONNECT_TIMEOUT_MS, ms); }
    public ServerConfig withMaxInFlightPerConnection(int n) { return with(ConfigKeys.LIMITS_MAX_IN_FLIGHT_PER_CONNECTION, n); }
    public ServerConfig withMaxReplyBytes(long bytes) { return with(ConfigKeys.LIMITS_MAX_REPLY_BYTES, bytes); }
    public ServerConfig withMaxSubscriptions(int perConnection, int perUser) {
        return with(ConfigKeys.LIMITS_MAX_SUBSCRIPTIONS_PER_CONNECTION, perConnection)
                .with(ConfigKeys.LIMITS_MAX_SUBSCRIPTIONS_PER_USER, perUser);
    }
    public ServerConfig withCorsOrigins(List<String> origins) { return with(ConfigKeys.HTTP_CORS_ORIGINS, origins); }
    public ServerConfig withSseKeepaliveMs(long ms) { return with(ConfigKeys.SSE_KEEPALIVE_MS, ms); }
    public ServerConfig withSqliteSynchronous(String mode) { return with(ConfigKeys.STORE_SQLITE_SYNCHRONOUS, mode); }

    /** The directory of static web files, or null when none are served. */
    public String staticDir() {
        String d = (String) values.get(ConfigKeys.HTTP_STATIC_DIR);
        return d == null || d.isBlank() ? null : d;
    }
    public String staticPrefix() { return (String) values.get(ConfigKeys.HTTP_STATIC_PREFIX); }
    /** True when static files need a token and the {@code /@HTTP} permission ({@code http.static.access: secured}). */
    public boolean staticSecured() { return "secured".equals(values.get(ConfigKeys.HTTP_STATIC_ACCESS)); }
    @SuppressWarnings("unchecked")
    public List<String> staticPublicPaths() { return (List<String>) values.get(ConfigKeys.HTTP_STATIC_PUBLIC_PATHS); }
    public long staticMaxFileBytes() { return (Long) values.get(ConfigKeys.HTTP_STATIC_MAX_FILE_BYTES); }
    /** The token cookie's name ({@code auth.tokenCookie}). */
    public String tokenCookie() { return (String) values.get(ConfigKeys.AUTH_TOKEN_COOKIE); }
    public String host() { return (String) values.get(ConfigKeys.HTTP_HOST); }
    public int port() { return (Integer) values.get(ConfigKeys.HTTP_PORT); }
    public Path dataDir() { return Path.of((String) values.get(ConfigKeys.DATA_DIR)); }
    public boolean securityEnabled() { return (Boolean) values.get(ConfigKeys.SECURITY_ENABLED); }
    public String jwtSecret() { return (String) values.get(ConfigKeys.AUTH_JWT_SECRET); }
    public String adminToken() { return (String) values.get(ConfigKeys.AUTH_ADMIN_TOKEN); }
    public String adminPassword() { return (String) values.get(ConfigKeys.AUTH_ADMIN_PASSWORD); }
    public int minPasswordLength() { return (Integer) values.get(ConfigKeys.AUTH_MIN_PASSWORD_LENGTH); }
    public boolean rollingKeys() { return (Boolean) values.get(ConfigKeys.AUTH_ROLLING_KEYS); }
    public long tokenTtlMs() { return (Long) values.get(ConfigKeys.AUTH_TOKEN_TTL_MS); }
    public long clientTokenMaxTtlMs() { return (Long) values.get(ConfigKeys.AUTH_CLIENT_TOKEN_MAX_TTL); }
    public String issuer() { return (String) values.get(ConfigKeys.AUTH_ISSUER); }
    public long sessionSweepMs() { return (Long) values.get(ConfigKeys.AUTH_SESSION_SWEEP_MS); }
    /** The session profiles as JSON array text, or null. */
    public String profiles() { return (String) values.get(ConfigKeys.AUTH_PROFILES); }
    public String signingAlg() { return (String) values.get(ConfigKeys.AUTH_SIGNING_ALG); }
    public String signingKeyPath() { return (String) values.get(ConfigKeys.AUTH_SIGNING_KEY_PATH); }
    public String verifyKeyPath() { return (String) values.get(ConfigKeys.AUTH_VERIFY_KEY_PATH); }
    /** The trusted issuers as JSON array text, or null. */
    public String issuers() { return (String) values.get(ConfigKeys.AUTH_ISSUERS); }
    public boolean happnEnabled() { return (Boolean) values.get(ConfigKeys.COMPAT_HAPPN_ENABLED); }
    /** Where happn-3's routes live on the main port ("" = /primus at the root). */
    public String happnPrefix() { return (String) values.get(ConfigKeys.COMPAT_HAPPN_PREFIX); }
    /** The happn door's own port, or -1 when it is only served on the main port. */
    public boolean happnAllowLogoutOverHttp() { return (Boolean) values.get(ConfigKeys.COMPAT_HAPPN_ALLOW_LOGOUT_OVER_HTTP); }
    public int happnPort() { return (Integer) values.get(ConfigKeys.COMPAT_HAPPN_PORT); }
    public boolean brokerEnabled() { return (Boolean) values.get(ConfigKeys.COMPAT_BROKER_ENABLED); }
    /** Where broker's BaaS generation lives ("" = at the root). */
    public String brokerPrefix() { return (String) values.get(ConfigKeys.COMPAT_BROKER_PREFIX); }
    /** Where broker's generation 1 lives. */
    public String brokerV1Prefix() { return (String) values.get(ConfigKeys.COMPAT_BROKER_V1_PREFIX); }
    /** broker's admin token, blank = none (then {@code auth.adminToken}). */
    public String brokerAdminToken() {
        String t = (String) values.get(ConfigKeys.COMPAT_BROKER_ADMIN_TOKEN);
        return t == null || t.isBlank() ? null : t;
    }
    public int maxFrameBytes() { return (Integer) values.get(ConfigKeys.LIMITS_MAX_FRAME_BYTES); }
    public int maxDepth() { return (Integer) values.get(ConfigKeys.LIMITS_MAX_DEPTH); }
    public int maxConnections() { return (Integer) values.get(ConfigKeys.LIMITS_MAX_CONNECTIONS); }
    public int maxConnectionsPerIp() { return (Integer) values.get(ConfigKeys.LIMITS_MAX_CONNECTIONS_PER_IP); }
    public long requestTimeoutMs() { return (Long) values.get(ConfigKeys.LIMITS_REQUEST_TIMEOUT_MS); }
    public long connectTimeoutMs() { return (Long) values.get(ConfigKeys.LIMITS_CONNECT_TIMEOUT_MS); }
    public int maxInFlightPerConnection() { return (Integer) values.get(ConfigKeys.LIMITS_MAX_IN_FLIGHT_PER_CONNECTION); }
    public long maxReplyBytes() { return (Long) values.get(ConfigKeys.LIMITS_MAX_REPLY_BYTES); }
    public int maxSubscriptionsPerConnection() { return (Integer) values.get(ConfigKeys.LIMITS_MAX_SUBSCRIPTIONS_PER_CONNECTION); }
    public int maxSubscriptionsPerUser() { return (Integer) values.get(ConfigKeys.LIMITS_MAX_SUBSCRIPTIONS_PER_USER); }
    public long heartbeatMs() { return (Long) values.get(ConfigKeys.WS_HEARTBEAT_MS); }
    public long maxOutboundBytes() { return (Long) values.get(ConfigKeys.WS_MAX_OUTBOUND_BYTES); }
    public long sseKeepaliveMs() { return (Long) values.get(ConfigKeys.SSE_KEEPALIVE_MS); }
    public String sqliteSynchronous() { return (String) values.get(ConfigKeys.STORE_SQLITE_SYNCHRONOUS); }
    public String storeType() { return (String) values.get(ConfigKeys.STORE_TYPE); }
    public String postgresUrl() { return (String) values.get(ConfigKeys.STORE_POSTGRES_URL); }
    public String postgresUser() { return (String) values.get(ConfigKeys.STORE_POSTGRES_USER); }
    public String postgresPassword() { return (String) values.get(ConfigKeys.STORE_POSTGRES_PASSWORD); }
    public int postgresPoolSize() { return (Integer) values.get(ConfigKeys.STORE_POSTGRES_POOL_SIZE); }
    public String postgresSchema() { return (String) values.get(ConfigKeys.STORE_POSTGRES_SCHEMA); }
    public String busType() { return (String) values.get(ConfigKeys.BUS_TYPE); }
    public String busRedisUrl() { return (String) values.get(ConfigKeys.BUS_REDIS_URL); }
    public String busNatsUrl() { return (String) values.get(ConfigKeys.BUS_NATS_URL); }
    public String busChannel() { return (String) values.get(ConfigKeys.BUS_CHANNEL); }
    public long busHeartbeatMs() { return (Long) values.get(ConfigKeys.BUS_HEARTBEAT_MS); }
    public String clusterNodeId() { return (String) values.get(ConfigKeys.CLUSTER_NODE_ID); }
    public String tlsCertPath() { return (String) values.get(ConfigKeys.HTTP_TLS_CERT_PATH); }
    public String tlsKeyPath() { return (String) values.get(ConfigKeys.HTTP_TLS_KEY_PATH); }
    public boolean tlsSelfSigned() { return (Boolean) values.get(ConfigKeys.HTTP_TLS_SELF_SIGNED); }
    public long retentionMaxAgeMs() { return (Long) values.get(ConfigKeys.RETENTION_MAX_AGE_MS); }
    public String metricsToken() { return (String) values.get(ConfigKeys.METRICS_TOKEN); }
    public long retentionMaxEvents() { return (Long) values.get(ConfigKeys.RETENTION_MAX_EVENTS); }

    @SuppressWarnings("unchecked")
    public List<String> corsOrigins() { return (List<String>) values.get(ConfigKeys.HTTP_CORS_ORIGINS); }

    @Override
    public String toString() {
        Map<String, Object> shown = new LinkedHashMap<>(values);
        // Secrets never reach a log line.
        shown.computeIfPresent(ConfigKeys.AUTH_JWT_SECRET, (k, v) -> "***");
        shown.computeIfPresent(ConfigKeys.AUTH_ADMIN_TOKEN, (k, v) -> "***");
        shown.computeIfPresent(ConfigKeys.AUTH_ADMIN_PASSWORD, (k, v) -> "***");
        shown.computeIfPresent(ConfigKeys.METRICS_TOKEN, (k, v) -> "***");
        return "ServerConfig" + shown;
    }
}
