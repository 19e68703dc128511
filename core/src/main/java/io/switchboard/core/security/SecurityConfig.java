package io.switchboard.core.security;

import java.security.KeyPair;
import java.security.SecureRandom;
import java.util.List;

/**
 * Security settings (SPEC section 6), built by the server from its config.
 *
 * @param enabled             false = insecure mode: {@code connect} without credentials succeeds as
 *                            anonymous and nothing is checked (development only)
 * @param jwtSecret           HS256 key, at least 32 bytes; the server generates and keeps it
 * @param issuer              {@code iss} of the tokens this server issues
 * @param tokenTtlMs          lifetime of issued tokens
 * @param rollingKeys         every login and refresh raises the user's generation ({@code gen});
 *                            tokens of older generations stop working
 * @param adminToken          API key that authorizes the admin API for automation (null = none)
 * @param clientTokenMaxTtlMs longest {@code exp - now} a client-signed token may have
 * @param signingKey          RS256/ES256 key pair used instead of HS256 when set (RSA or EC)
 * @param trustedIssuers      external issuers whose tokens are accepted, verified through JWKS
 * @param profiles            session profiles, ordered; the first match wins
 * @param sweepIntervalMs     how often stateful sessions are checked for expiry
 * @param minPasswordLength   shortest password the admin API accepts for a user
 */
public record SecurityConfig(boolean enabled, byte[] jwtSecret, String issuer, long tokenTtlMs, boolean rollingKeys,
                             String adminToken, long clientTokenMaxTtlMs, KeyPair signingKey,
                             List<TrustedIssuer> trustedIssuers, List<SessionProfile> profiles, long sweepIntervalMs,
                             int minPasswordLength) {
    /** Default of {@code auth.minPasswordLength}. */
    public static final int DEFAULT_MIN_PASSWORD_LENGTH = 8;

    /** Tokens longer than this are refused before parsing. */
    public static final int MAX_TOKEN_CHARS = 8192;

    /**
     * An external issuer: tokens with {@code iss = issuer} are verified with the keys of
     * {@code jwksJson} (inline JWK set) or, when that is null, fetched from {@code jwksUrl}.
     * Their {@code sub} is the user id; scopes come from the {@code scope} claim. When
     * {@code audience} is set, the token's {@code aud} must contain it.
     */
    public record TrustedIssuer(String issuer, String jwksJson, String jwksUrl, String audience) {
        public TrustedIssuer(String issuer, String jwksJson, String jwksUrl) {
            this(issuer, jwksJson, jwksUrl, null);
        }
    }

    public SecurityConfig {
        trustedIssuers = trustedIssuers == null ? List.of() : List.copyOf(trustedIssuers);
        profiles = profiles == null ? List.of() : List.copyOf(profiles);
        if (enabled && (jwtSecret == null || jwtSecret.length < 32)) {
            throw new IllegalArgumentException("security.jwtSecret must have at least 32 bytes");
        }
        if (minPasswordLength < 1) {
            throw new IllegalArgumentException("auth.minPasswordLength must be at least 1");
        }
        if (issuer == null) {
            issuer = "switchboard";
        }
    }

    /** Insecure mode (today's behaviour). */
    public static SecurityConfig insecure() {
        return new SecurityConfig(false, null, "switchboard", 3_600_000, false, null, 300_000, null,
                List.of(), List.of(), 1_000, DEFAULT_MIN_PASSWORD_LENGTH);
    }

    /** Secure with defaults: 1 h tokens, no rolling keys, 5 min client tokens, 1 s sweep. */
    public static SecurityConfig secure(byte[] jwtSecret) {
        return new SecurityConfig(true, jwtSecret, "switchboard", 3_600_000, false, null, 300_000, null,
                List.of(), List.of(), 1_000, DEFAULT_MIN_PASSWORD_LENGTH);
    }

    /** 32 random bytes for a new {@code jwtSecret}. */
    public static byte[] newSecret() {
        byte[] b = new byte[32];
        new SecureRandom().nextBytes(b);
        return b;
    }

    public SecurityConfig withTokenTtlMs(long v) {
        return new SecurityConfig(enabled, jwtSecret, issuer, v, rollingKeys, adminToken, clientTokenMaxTtlMs,
                signingKey, trustedIssuers, profiles, sweepIntervalMs, minPasswordLength);
    }

    public SecurityConfig withRollingKeys(boolean v) {
        return new SecurityConfig(enabled, jwtSecret, issuer, tokenTtlMs, v, adminToken, clientTokenMaxTtlMs,
                signingKey, trustedIssuers, profiles, sweepIntervalMs, minPasswordLength);
    }

    public SecurityConfig withAdminToken(String v) {
        return new SecurityConfig(enabled, jwtSecret, issuer, tokenTtlMs, rollingKeys, v, clientTokenMaxTtlMs,
                signingKey, trustedIssuers, profiles, sweepIntervalMs, minPasswordLength);
    }

    public SecurityConfig withSigningKey(KeyPair v) {
        return new SecurityConfig(enabled, jwtSecret, issuer, tokenTtlMs, rollingKeys, adminToken, clientTokenMaxTtlMs,
                v, trustedIssuers, profiles, sweepIntervalMs, minPasswordLength);
    }

    public SecurityConfig withTrustedIssuers(List<TrustedIssuer> v) {
        return new SecurityConfig(enabled, jwtSecret, issuer, tokenTtlMs, rollingKeys, adminToken, clientTokenMaxTtlMs,
                signingKey, v, profiles, sweepIntervalMs, minPasswordLength);
    }

    public SecurityConfig withProfiles(List<SessionProfile> v) {
        return new SecurityConfig(enabled, jwtSecret, issuer, tokenTtlMs, rollingKeys, adminToken, clientTokenMaxTtlMs,
                signingKey, trustedIssuers, v, sweepIntervalMs, minPasswordLength);
    }

    public SecurityConfig withSweepIntervalMs(long v) {
        return new SecurityConfig(enabled, jwtSecret, issuer, tokenTtlMs, rollingKeys, adminToken, clientTokenMaxTtlMs,
                signingKey, trustedIssuers, profiles, v, minPasswordLength);
    }

    public SecurityConfig withMinPasswordLength(int v) {
        return new SecurityConfig(enabled, jwtSecret, issuer, tokenTtlMs, rollingKeys, adminToken, clientTokenMaxTtlMs,
                signingKey, trustedIssuers, profiles, sweepIntervalMs, v);
    }

    public SecurityConfig withClientTokenMaxTtlMs(long v) {
        return new SecurityConfig(enabled, jwtSecret, issuer, tokenTtlMs, rollingKeys, adminToken, v,
                signingKey, trustedIssuers, profiles, sweepIntervalMs, minPasswordLength);
    }
}
