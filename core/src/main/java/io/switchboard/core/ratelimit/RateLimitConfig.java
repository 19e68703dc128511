package io.switchboard.core.ratelimit;

import com.fasterxml.jackson.databind.JsonNode;
import io.switchboard.core.error.SwitchboardException;

import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * The rate limits of a node: per-op limits (and the {@code default} for every op without one),
 * what a bucket is keyed by, the login limits that slow password guessing, and how many
 * buckets may be kept in memory.
 *
 * @param ops          op name → limit; {@code "default"} applies to every op not named, except
 *                     {@code connect}, {@code ack} and {@code rateLimitStatus}
 * @param keyBy        whose calls share a bucket
 * @param loginPerUser failed logins one username may have (null: unlimited)
 * @param loginPerIp   failed logins one client address may have (null: unlimited)
 * @param maxBuckets   buckets kept at most; past it the least recently used are dropped
 */
public record RateLimitConfig(Map<String, RateLimit> ops, KeyBy keyBy, RateLimit loginPerUser, RateLimit loginPerIp,
                              int maxBuckets) {
    /** The op name whose limit applies to every op without its own. */
    public static final String DEFAULT_OP = "default";
    /** 10 failed logins per username per minute, in bursts of at most 10. */
    public static final RateLimit DEFAULT_LOGIN_PER_USER = new RateLimit(10, 60_000, 0);
    /** 100 failed logins per client address per minute. */
    public static final RateLimit DEFAULT_LOGIN_PER_IP = new RateLimit(100, 60_000, 0);
    public static final int DEFAULT_MAX_BUCKETS = 100_000;
    /** No op limits, login limits on. */
    public static final RateLimitConfig DEFAULTS = new RateLimitConfig(Map.of(), KeyBy.USER, DEFAULT_LOGIN_PER_USER,
            DEFAULT_LOGIN_PER_IP, DEFAULT_MAX_BUCKETS);

    /** Whose calls share a bucket. */
    public enum KeyBy {
        /** The authenticated user, across all its sessions and doors; the client address when anonymous. */
        USER,
        /** One session (a WebSocket or SSE connection; every HTTP request is a session of its own). */
        SESSION,
        /** The client address. */
        IP;

        public String wire() {
            return name().toLowerCase(Locale.ROOT);
        }

        public static KeyBy parse(String s, String field) {
            for (KeyBy k : values()) {
                if (k.wire().equalsIgnoreCase(s == null ? "" : s.trim())) {
                    return k;
                }
            }
            throw SwitchboardException.badRequest(field, "must be one of user, session, ip");
        }
    }

    public RateLimitConfig {
        ops = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(ops));
        if (maxBuckets < 1) {
            throw new IllegalArgumentException("maxBuckets must be at least 1");
        }
    }

    /**
     * The op whose bucket a call of {@code op} takes its token from: an increment is a write of
     * a document like a set, so it shares set's limit (else it would be a way around it).
     */
    public static String limitedAs(String op) {
        return op.equals("increment") ? "set" : op;
    }

    /** The limit of {@code op}: its own, else the default (null: unlimited). */
    public RateLimit limitOf(String op) {
        RateLimit own = ops.get(op);
        if (own != null || op.equals("connect") || op.equals("ack") || op.equals("rateLimitStatus")) {
            return own;
        }
        return ops.get(DEFAULT_OP);
    }

    /** The same config with {@code ops} from a JSON mapping {@code {op: {limit, every, maxUses}}}. */
    public RateLimitConfig withOps(JsonNode mapping, String field) {
        Map<String, RateLimit> out = new LinkedHashMap<>();
        if (mapping != null && !mapping.isNull()) {
            if (!mapping.isObject()) {
                throw SwitchboardException.badRequest(field, "must be a mapping of op names to {limit, every, maxUses}");
            }
            Iterator<Map.Entry<String, JsonNode>> it = mapping.fields();
            while (it.hasNext()) {
                Map.Entry<String, JsonNode> e = it.next();
                if (!e.getKey().equals(DEFAULT_OP) && io.switchboard.core.op.OpFields.of(e.getKey()) == null) {
                    throw SwitchboardException.badRequest(field + "." + e.getKey(), "is not an operation (nor 'default')");
                }
                if (!limitedAs(e.getKey()).equals(e.getKey())) {
                    throw SwitchboardException.badRequest(field + "." + e.getKey(), "has no limit of its own: it counts"
                            + " against '" + limitedAs(e.getKey()) + "'");
                }
                out.put(e.getKey(), RateLimit.parse(e.getValue(), field + "." + e.getKey()));
            }
        }
        return new RateLimitConfig(out, keyBy, loginPerUser, loginPerIp, maxBuckets);
    }

    public RateLimitConfig withKeyBy(KeyBy k) {
        return new RateLimitConfig(ops, k, loginPerUser, loginPerIp, maxBuckets);
    }

    public RateLimitConfig withLogin(RateLimit perUser, RateLimit perIp) {
        return new RateLimitConfig(ops, keyBy, perUser, perIp, maxBuckets);
    }

    public RateLimitConfig withMaxBuckets(int n) {
        return new RateLimitConfig(ops, keyBy, loginPerUser, loginPerIp, n);
    }
}
