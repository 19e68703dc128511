package io.switchboard.server.ratelimit;

import com.fasterxml.jackson.databind.JsonNode;
import io.switchboard.core.error.SwitchboardException;
import io.switchboard.core.json.Json;
import io.switchboard.core.ratelimit.RateLimit;
import io.switchboard.core.ratelimit.RateLimitConfig;
import io.switchboard.server.config.ConfigException;
import io.switchboard.server.config.ConfigKeys;
import io.switchboard.server.config.ServerConfig;

/** Turns the server's {@code rateLimits.*} keys into a core {@link RateLimitConfig}; a bad limit stops start-up naming the key. */
public final class RateLimitSettings {
    private RateLimitSettings() {
    }

    public static RateLimitConfig of(ServerConfig c) {
        RateLimitConfig rc = RateLimitConfig.DEFAULTS
                .withKeyBy(RateLimitConfig.KeyBy.parse((String) c.get(ConfigKeys.RATE_LIMITS_KEY_BY), ConfigKeys.RATE_LIMITS_KEY_BY))
                .withMaxBuckets((Integer) c.get(ConfigKeys.RATE_LIMITS_MAX_BUCKETS));
        try {
            rc = rc.withOps(json(c, ConfigKeys.RATE_LIMITS_OPS), ConfigKeys.RATE_LIMITS_OPS);
            if (!(Boolean) c.get(ConfigKeys.RATE_LIMITS_LOGIN_ENABLED)) {
                return rc.withLogin(null, null);
            }
            return rc.withLogin(limit(c, ConfigKeys.RATE_LIMITS_LOGIN_PER_USER, RateLimitConfig.DEFAULT_LOGIN_PER_USER),
                    limit(c, ConfigKeys.RATE_LIMITS_LOGIN_PER_IP, RateLimitConfig.DEFAULT_LOGIN_PER_IP));
        } catch (SwitchboardException e) {
            throw new ConfigException("invalid rate limit: " + e.getMessage());
        }
    }

    private static RateLimit limit(ServerConfig c, String key, RateLimit def) {
        JsonNode n = json(c, key);
        return n == null || n.isNull() ? def : RateLimit.parse(n, key);
    }

    private static JsonNode json(ServerConfig c, String key) {
        String text = (String) c.get(key);
        return text == null ? null : Json.parseTrusted(text);
    }
}
