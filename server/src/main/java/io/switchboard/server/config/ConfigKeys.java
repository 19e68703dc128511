package io.switchboard.server.config;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Every configuration key the server accepts (SPEC section 1 plus transport tuning), with its
 * default. Keys for features not built yet (some compat adapters) are accepted and validated so that config files written for later versions keep working.
 */
public final class ConfigKeys {
    private static final Map<String, ConfigKey> KEYS = new LinkedHashMap<>();

    public static final String HTTP_HOST = add(ConfigKey.string("http.host", "0.0.0.0"));
    public static final String HTTP_PORT = add(ConfigKey.integer("http.port", 8080, 0, 65535));
    public static final String HTTP_CORS_ORIGINS = add(ConfigKey.list("http.cors.origins"));
    public static final String HTTP_TLS_CERT_PATH = add(ConfigKey.string("http.tls.certPath", null));
    public static final String HTTP_TLS_KEY_PATH = add(ConfigKey.string("http.tls.keyPath", null));
    public static final String HTTP_TLS_SELF_SIGNED = add(ConfigKey.bool("http.tls.selfSigned", false));
    /** A directory of web files served over HTTP (an app's static files); unset = none served. */
    public static final String HTTP_STATIC_DIR = add(ConfigKey.string("http.static.dir", null));
    /** Where the files are served: {@code /} = for every path no other route claims, or a mount such as {@code /app}. */
    public static final String HTTP_STATIC_PREFIX = add(ConfigKey.string("http.static.prefix", "/"));
    /** {@code public}: anyone may fetch them; {@code secured}: a token and {@code get} on {@code /@HTTP/<path>}. */
    public static final String HTTP_STATIC_ACCESS = add(ConfigKey.choice("http.static.access", "public", "public", "secured"));
    /** Largest file served; a larger one is 413 PAYLOAD_TOO_LARGE. */
    /** happn's connect exclusions: globs of paths served without a token under {@code secured}. */
    public static final String HTTP_STATIC_PUBLIC_PATHS = add(ConfigKey.list("http.static.publicPaths"));
    public static final String HTTP_STATIC_MAX_FILE_BYTES = add(ConfigKey.longKey("http.static.maxFileBytes", 1L << 30, 1));
    public static final String DATA_DIR = add(ConfigKey.string("data.dir", "./data"));
    public static final String SECURITY_ENABLED = add(ConfigKey.bool("security.enabled", true));
    public static final String AUTH_JWT_SECRET = add(ConfigKey.string("auth.jwtSecret", null));
    public static final String AUTH_ADMIN_TOKEN = add(ConfigKey.string("auth.adminToken", null));
    /** Name of the cookie that carries the token after {@code POST /api/auth/login} (and is read on HTTP requests). */
    public static final String AUTH_TOKEN_COOKIE = add(ConfigKey.string("auth.tokenCookie", "sb_token"));
    public static final String AUTH_ROLLING_KEYS = add(ConfigKey.bool("auth.rollingKeys", false));
    /** Password of the {@code admin} user created on first start (also env SWITCHBOARD_ADMIN_PASSWORD). */
    public static final String AUTH_ADMIN_PASSWORD = add(ConfigKey.string("auth.adminPassword", null));
    /** Shortest password the admin API accepts for a user (imported hashes are not checked). */
    public static final String AUTH_MIN_PASSWORD_LENGTH = add(ConfigKey.integer("auth.minPasswordLength", 8, 1, 1024));
    public static final String AUTH_TOKEN_TTL_MS = add(ConfigKey.longKey("auth.tokenTtlMs", 3_600_000L, 1_000));
    public static final String AUTH_CLIENT_TOKEN_MAX_TTL =
            add(ConfigKey.longKey("auth.clientTokenMaxTtl", 300_000L, 1_000));
    public static final String AUTH_ISSUER = add(ConfigKey.string("auth.issuer", "switchboard"));
    /** Algorithm of the tokens this server issues; RS256/ES256 need {@code auth.signingKeyPath}. */
    public static final String AUTH_SIGNING_ALG = add(ConfigKey.choice("auth.signingAlg", "HS256", "HS256", "RS256", "ES256"));
    /** PEM (PKCS#8) private key for RS256/ES256. */
    public static final String AUTH_SIGNING_KEY_PATH = add(ConfigKey.string("auth.signingKeyPath", null));
    /** PEM public key matching the signing key; unset: derived from the private key. */
    public static final String AUTH_VERIFY_KEY_PATH = add(ConfigKey.string("auth.verifyKeyPath", null));
    /** Trusted external issuers: a YAML list of {issuer, jwksPath | jwksUrl, audience?}, or a JSON array in env/flags. */
    public static final String AUTH_ISSUERS = add(ConfigKey.json("auth.issuers"));
    /** How often live sessions are checked for expiry, inactivity and revocation. */
    public static final String AUTH_SESSION_SWEEP_MS = add(ConfigKey.longKey("auth.sessionSweepMs", 1_000L, 10));
    /** Session profiles: a YAML list of mappings (see docs/security.md), or a JSON array in env/flags. */
    public static final String AUTH_PROFILES = add(ConfigKey.json("auth.profiles"));
    public static final String STORE_TYPE = add(ConfigKey.choice("store.type", "sqlite", "sqlite", "postgres"));
    /** JDBC URL of the PostgreSQL database for {@code store.type: postgres}. */
    public static final String STORE_POSTGRES_URL =
            add(ConfigKey.string("store.postgres.url", "jdbc:postgresql://127.0.0.1:5432/switchboard"));
    public static final String STORE_POSTGRES_USER = add(ConfigKey.string("store.postgres.user", "postgres"));
    public static final String STORE_POSTGRES_PASSWORD = add(ConfigKey.string("store.postgres.password", null));
    /** Connections per node: one for the group-commit writer, the rest for reads. */
    public static final String STORE_POSTGRES_POOL_SIZE = add(ConfigKey.integer("store.postgres.poolSize", 8, 2, 1000));
    /** Schema holding Switchboard's tables (created when missing); nodes of one cluster share it. */
    public static final String STORE_POSTGRES_SCHEMA = add(ConfigKey.string("store.postgres.schema", "switchboard"));
    public static final String STORE_SQLITE_SYNCHRONOUS =
            add(ConfigKey.choice("store.sqlite.synchronous", "FULL", "FULL", "NORMAL"));
    public static final String BUS_TYPE = add(ConfigKey.choice("bus.type", "local", "local", "redis", "nats"));
    public static final String BUS_REDIS_URL = add(ConfigKey.string("bus.redis.url", "redis://127.0.0.1:6379"));
    public static final String BUS_NATS_URL = add(ConfigKey.string("bus.nats.url", "nats://127.0.0.1:4222"));
    /** The Redis channel / NATS subject the nodes of one cluster share. */
    public static final String BUS_CHANNEL = add(ConfigKey.string("bus.channel", "switchboard"));
    /** How often each node sends its head offset on the bus, so a lost last message is noticed. */
    public static final String BUS_HEARTBEAT_MS = add(ConfigKey.longKey("bus.heartbeatMs", 1_000L, 10));
    /** This node's id in a cluster (null: a random one per start). */
    public static final String CLUSTER_NODE_ID = add(ConfigKey.string("cluster.nodeId", null));
    public static final String COMPAT_HAPPN_ENABLED = add(ConfigKey.bool("compat.happn.enabled", false));
    public static final String COMPAT_HAPPN_PREFIX = add(ConfigKey.string("compat.happn.prefix", ""));
    /** A port of its own for the happn door (besides the main port); -1 = unset, 0 = any free port. */
    public static final String COMPAT_HAPPN_PORT = add(ConfigKey.integer("compat.happn.port", -1, -1, 65535));
    /** happn-3's security.allowLogoutOverHttp: /auth/logout revokes the request's token (else 403). */
    public static final String COMPAT_HAPPN_ALLOW_LOGOUT_OVER_HTTP = add(ConfigKey.bool("compat.happn.allowLogoutOverHttp", false));
    public static final String COMPAT_BROKER_ENABLED = add(ConfigKey.bool("compat.broker.enabled", false));
    public static final String COMPAT_BROKER_PREFIX = add(ConfigKey.string("compat.broker.prefix", "/broker"));
    public static final String COMPAT_BROKER_V1_PREFIX = add(ConfigKey.string("compat.broker.v1Prefix", "/broker/v1"));
    /** broker's {@code admin_token} (null: {@code auth.adminToken}). */
    public static final String COMPAT_BROKER_ADMIN_TOKEN = add(ConfigKey.string("compat.broker.adminToken", null));
    public static final String COMPAT_HATCHAT_ENABLED = add(ConfigKey.bool("compat.hatchat.enabled", false));
    public static final String COMPAT_HATCHAT_PREFIX = add(ConfigKey.string("compat.hatchat.prefix", "/hatchat"));
    public static final String COMPAT_HAPTA_ENABLED = add(ConfigKey.bool("compat.hapta.enabled", false));
    public static final String COMPAT_HAPTA_PATH = add(ConfigKey.string("compat.hapta.path", "/hapta"));
    public static final String LIMITS_MAX_FRAME_BYTES =
            add(ConfigKey.integer("limits.maxFrameBytes", 1_048_576, 64, Integer.MAX_VALUE - 1024));
    public static final String LIMITS_MAX_DEPTH = add(ConfigKey.integer("limits.maxDepth", 64, 1, 900));
    public static final String LIMITS_MAX_CONNECTIONS = add(ConfigKey.integer("limits.maxConnections", 10_000, 1, Integer.MAX_VALUE));
    public static final String LIMITS_MAX_CONNECTIONS_PER_IP = add(ConfigKey.integer("limits.maxConnectionsPerIp", 1_000, 1, Integer.MAX_VALUE));
    public static final String LIMITS_REQUEST_TIMEOUT_MS = add(ConfigKey.longKey("limits.requestTimeoutMs", 30_000, 10));
    public static final String LIMITS_CONNECT_TIMEOUT_MS = add(ConfigKey.longKey("limits.connectTimeoutMs", 10_000, 10));
    /** Requests of one WebSocket running at once; at the bound the server stops reading that socket. */
    public static final String LIMITS_MAX_IN_FLIGHT_PER_CONNECTION =
            add(ConfigKey.integer("limits.maxInFlightPerConnection", 64, 1, 100_000));
    /** Largest reply built in memory (history pages, pattern gets, snapshots). */
    public static final String LIMITS_MAX_REPLY_BYTES =
            add(ConfigKey.longKey("limits.maxReplyBytes", 16L << 20, 65536));
    /** Live subscriptions one connection holds at most (WS, SSE, adapters). */
    public static final String LIMITS_MAX_SUBSCRIPTIONS_PER_CONNECTION =
            add(ConfigKey.integer("limits.maxSubscriptionsPerConnection", 1_000, 1, Integer.MAX_VALUE));
    /** Live subscriptions one user (anonymous: one client address) holds at most over all connections. */
    public static final String LIMITS_MAX_SUBSCRIPTIONS_PER_USER =
            add(ConfigKey.integer("limits.maxSubscriptionsPerUser", 10_000, 1, Integer.MAX_VALUE));
    public static final String WS_HEARTBEAT_MS = add(ConfigKey.longKey("ws.heartbeatMs", 25_000, 10));
    public static final String WS_MAX_OUTBOUND_BYTES = add(ConfigKey.longKey("ws.maxOutboundBytes", 16L << 20, 1024));
    public static final String SSE_KEEPALIVE_MS = add(ConfigKey.longKey("sse.keepaliveMs", 15_000, 10));
    public static final String RETENTION_MAX_AGE_MS = add(ConfigKey.longKey("retention.maxAgeMs", 7L * 24 * 3600 * 1000, 1));
    public static final String RETENTION_MAX_EVENTS = add(ConfigKey.longKey("retention.maxEvents", 10_000_000L, 1));

    /** Per-op token buckets: a mapping of op (or {@code default}) to {limit, every, maxUses}; unset: no op limits. */
    public static final String RATE_LIMITS_OPS = add(ConfigKey.json("rateLimits.ops"));
    /** Whose calls share a bucket: user (anonymous: the address), session or ip. */
    public static final String RATE_LIMITS_KEY_BY = add(ConfigKey.choice("rateLimits.keyBy", "user", "user", "session", "ip"));
    /** Failed logins limited per username and per client address. */
    public static final String RATE_LIMITS_LOGIN_ENABLED = add(ConfigKey.bool("rateLimits.login.enabled", true));
    /** {limit, every, maxUses} of failed logins per username; unset: 10 per 60000 ms. */
    public static final String RATE_LIMITS_LOGIN_PER_USER = add(ConfigKey.json("rateLimits.login.perUser"));
    /** {limit, every, maxUses} of failed logins per client address; unset: 100 per 60000 ms. */
    public static final String RATE_LIMITS_LOGIN_PER_IP = add(ConfigKey.json("rateLimits.login.perIp"));
    /** Token buckets kept in memory at most (least recently used dropped first). */
    public static final String RATE_LIMITS_MAX_BUCKETS =
            add(ConfigKey.integer("rateLimits.maxBuckets", 100_000, 1, Integer.MAX_VALUE));

    /** Documents and pattern-query results served from memory, invalidated by every committed write. */
    public static final String CACHE_ENABLED = add(ConfigKey.bool("cache.enabled", true));
    /** Documents the cache holds at most (a cached page counts 1 plus each document it holds). */
    public static final String CACHE_MAX_ENTRIES = add(ConfigKey.longKey("cache.maxEntries", 10_000L, 1));

    /** Rules in CEL: a YAML list of {name, pattern, read?, write?, validate?} (see docs/rules.md), or a JSON array in env/flags. */
    public static final String RULES = add(ConfigKey.json("rules"));
    /** Members one channel may hold at most. */
    public static final String CHANNELS_MAX_MEMBERS = add(ConfigKey.integer("channels.maxMembers", 1000, 1, 1_000_000));
    /** Channels one user may belong to at most (owned ones included). */
    public static final String CHANNELS_MAX_PER_USER = add(ConfigKey.integer("channels.maxPerUser", 500, 1, 1_000_000));
    /** Longest channel name, in characters. */
    public static final String CHANNELS_MAX_NAME_LENGTH = add(ConfigKey.integer("channels.maxNameLength", 200, 1, 10_000));

    /** Bearer token GET /metrics requires; unset: /metrics is open (bind it to a private network). */
    public static final String METRICS_TOKEN = add(ConfigKey.string("metrics.token", null));

    private ConfigKeys() {
    }

    private static String add(ConfigKey k) {
        KEYS.put(k.name(), k);
        return k.name();
    }

    /** The key definition, or null for an unknown name. */
    public static ConfigKey get(String name) {
        return KEYS.get(name);
    }

    /** All keys in declaration order. */
    public static Map<String, ConfigKey> all() {
        return java.util.Collections.unmodifiableMap(KEYS);
    }
}
