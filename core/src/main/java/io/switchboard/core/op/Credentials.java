package io.switchboard.core.op;

/**
 * What a client offers to authenticate a session, whatever door it came through. The
 * authentication stage of the pipeline is the only reader. A door translates its own form
 * (a {@code connect} message, an {@code Authorization} header, a cookie, an adapter's login
 * frame) into one of these. New ways to log in (an OAuth authorization code) become a new case.
 */
public sealed interface Credentials {
    /** Nothing offered: anonymous in insecure mode, UNAUTHENTICATED otherwise. */
    record None() implements Credentials { }

    /**
     * A bearer JWT: one this server issued, one from a trusted external issuer, or one the user
     * signed with a registered key (client-signed).
     */
    record Token(String token) implements Credentials { }

    /**
     * A password login that issues a token (WebSocket {@code connect}, adapter logins): checks
     * the password, rolls keys when configured, and the reply carries the new token.
     * {@code tenant} is null for a global user.
     */
    record Password(String username, String tenant, String password) implements Credentials { }

    /**
     * HTTP Basic: the password is checked on every use and no token is issued, so it never
     * rolls keys.
     */
    record Basic(String username, String tenant, String password) implements Credentials { }

    /**
     * A nonce from {@code POST /api/auth/nonce} (or one bound to a public key, for a door whose
     * clients ask for a nonce by key) signed with one of the user's registered keys
     * ({@code signature} in base64); logs in like a password and issues a token.
     * {@code publicKey}, when given, names the key that signed (it must be one of the user's);
     * {@code signed} says which bytes were signed.
     */
    record SignedNonce(String username, String tenant, String nonce, String signature, String publicKey,
                       NonceBytes signed) implements Credentials {
        public SignedNonce {
            signed = signed == null ? NonceBytes.TEXT : signed;
        }

        /** A nonce signed as its UTF-8 text with any of the user's keys. */
        public SignedNonce(String username, String tenant, String nonce, String signature) {
            this(username, tenant, nonce, signature, null, NonceBytes.TEXT);
        }
    }

    /** Which bytes of a nonce a client signs. */
    enum NonceBytes {
        /** The nonce's UTF-8 text (the native nonce login). */
        TEXT,
        /** The bytes the nonce's base64 text decodes to (happn-3's digest login, happn-util-crypto). */
        BASE64
    }

    /**
     * A claim a user signed with a registered key outside JWS (an adapter's own token format,
     * e.g. Hatch@'s): {@code signature} over the bytes of {@code signingInput} with
     * {@code algorithm} ({@code SHA256withRSA} or {@code SHA512withRSA}; the door fixes it, never
     * the client), valid until {@code expiresAt} (epoch ms; null is refused: such a token would
     * never expire).
     */
    record SignedClaim(String userId, String signingInput, byte[] signature, String algorithm, Long expiresAt)
            implements Credentials { }

    /** The admin API key ({@code auth.adminToken}). */
    record ApiKey(String key) implements Credentials { }

    Credentials NONE = new None();

    /** Splits {@code tenant/username} (the form a tenant user types) into its parts. */
    record TenantUser(String tenant, String username) {
        public static TenantUser parse(String typed) {
            int slash = typed == null ? -1 : typed.indexOf('/');
            return slash > 0 ? new TenantUser(typed.substring(0, slash), typed.substring(slash + 1))
                    : new TenantUser(null, typed);
        }
    }
}
