package io.switchboard.core.security;

import io.switchboard.core.op.Credentials;

import com.nimbusds.jwt.SignedJWT;
import io.switchboard.core.engine.Ids;
import io.switchboard.core.error.ErrorCode;
import io.switchboard.core.error.SwitchboardException;

import java.security.MessageDigest;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.function.LongSupplier;

/**
 * Credentials to identities: verifies tokens (this server's, trusted issuers', client-signed),
 * passwords and nonce signatures, and issues tokens. Every failure is UNAUTHENTICATED with the
 * same message, so a caller cannot tell a missing user from a wrong password or a revoked token
 * from a forged one. Password hashing runs on {@code work}, never on a store or I/O thread.
 */
public final class Authenticator {
    static final String BAD_CREDENTIALS = "invalid credentials";
    static final String BAD_TOKEN = "invalid or expired token";
    /** How long a nonce may be signed and used (documented in security.md: 60 s). */
    static final long NONCE_TTL_MS = 60_000;
    /** Nonces outstanding at most (documented in security.md: 100,000). */
    static final int MAX_PENDING_NONCES = 100_000;
    private static final java.security.SecureRandom RANDOM = new java.security.SecureRandom();
    private static final int MAX_PASSWORD = 1024;

    /** A token just issued for a user. */
    public record Issued(String token, User user, VerifiedToken verified) { }

    /** A nonce bound to a user (asked for by username) or to a key (asked for by public key). */
    private record Nonce(String userId, String keyFingerprint, long expiresAt) { }

    private final java.util.Set<String> extraAdminKeys = java.util.concurrent.ConcurrentHashMap.newKeySet();
    private final SecurityConfig config;
    private final SecurityDirectory dir;
    private final TokenService tokens;
    private final LongSupplier clock;
    private final Executor work;
    /**
     * Nonces handed out and not yet used, bounded: a flood of nonce requests (they need no login)
     * cannot grow memory past {@link #MAX_PENDING_NONCES}; past it the least recent go first,
     * and an expired one goes after {@link #NONCE_TTL_MS} without a scan per request.
     */
    private final Map<String, Nonce> nonces = com.github.benmanes.caffeine.cache.Caffeine.newBuilder()
            .maximumSize(MAX_PENDING_NONCES).expireAfterWrite(java.time.Duration.ofMillis(NONCE_TTL_MS))
            .<String, Nonce>build().asMap();
    /** Signature-verified tokens by their text; bounded, and entries past {@code exp} are re-verified. */
    private final com.github.benmanes.caffeine.cache.Cache<String, VerifiedToken> verified =
            com.github.benmanes.caffeine.cache.Caffeine.newBuilder().maximumSize(100_000)
                    .expireAfterWrite(java.time.Duration.ofMinutes(10)).build();

    Authenticator(SecurityConfig config, SecurityDirectory dir, TokenService tokens, LongSupplier clock, Executor work) {
        this.config = config;
        this.dir = dir;
        this.tokens = tokens;
        this.clock = clock;
        this.work = work;
    }

    static SwitchboardException unauthenticated(String msg) {
        return new SwitchboardException(ErrorCode.UNAUTHENTICATED, msg);
    }

    /** Verifies any accepted kind of token, including revocation, user state and generation. */
    public VerifiedToken verify(String token) {
        long now = clock.getAsLong();
        try {
            VerifiedToken vt = verified.getIfPresent(token);
            if (vt == null || now >= vt.expiresAt()) {
                vt = verifySignature(token, now);
            }
            // Checked on every use, cached or not: revocations and key generations act at once.
            User u = dir.user(vt.userId());
            if (vt.kind() == VerifiedToken.Kind.LOCAL && (u == null || u.revoked()
                    || !java.util.Objects.equals(u.tenant(), vt.tenant())
                    || (config.rollingKeys() && vt.gen() < dir.gen(u.id())))) {
                throw unauthenticated(BAD_TOKEN);
            }
            if (vt.kind() != VerifiedToken.Kind.LOCAL && u != null && u.revoked()) {
                throw unauthenticated(BAD_TOKEN);
            }
            if (dir.isRevoked(vt.jti()) || dir.isRevoked(vt.sid())) {
                throw unauthenticated(BAD_TOKEN);
            }
            return vt;
        } catch (TokenService.InvalidToken e) {
            throw unauthenticated(BAD_TOKEN);
        }
    }

    /**
     * Parses and checks a token's signature and times. Tokens of this server and of trusted
     * issuers are remembered until they expire, so reconnects with the same token skip the
     * parse and signature check (a quarter of the server's time in the connect-churn profile).
     * Client-signed tokens are not: they depend on the user's current public keys.
     */
    private VerifiedToken verifySignature(String token, long now) throws TokenService.InvalidToken {
        SignedJWT jwt = TokenService.parse(token);
        VerifiedToken vt;
        if (tokens.isLocal(jwt)) {
            vt = tokens.verifyLocal(jwt, now);
        } else if (config.trustedIssuers().stream().anyMatch(t -> t.issuer().equals(issuer(jwt)))) {
            vt = tokens.verifyExternal(jwt, now);
        } else {
            User u = dir.user(TokenService.subjectOf(jwt));
            if (u == null || u.revoked() || u.publicKeys().isEmpty()) {
                throw new TokenService.InvalidToken();
            }
            return tokens.verifyClientSigned(jwt, u, now);
        }
        verified.put(token, vt);
        return vt;
    }

    /**
     * Verifies a claim signed outside JWS with one of the user's registered keys: the user must
     * exist and not be revoked, the claim must expire, not have expired, and live at most
     * {@code auth.clientTokenMaxTtl}.
     */
    public VerifiedToken verifySignedClaim(Credentials.SignedClaim c) {
        long now = clock.getAsLong();
        User u = dir.user(c.userId());
        if (u == null || u.revoked() || u.publicKeys().isEmpty()) {
            throw unauthenticated(BAD_TOKEN);
        }
        if (c.expiresAt() == null) {
            throw unauthenticated("token has no exp");
        }
        long exp = c.expiresAt();
        if (exp + TokenService.SKEW_MS <= now || exp - now > config.clientTokenMaxTtlMs() + TokenService.SKEW_MS) {
            throw unauthenticated(BAD_TOKEN);
        }
        boolean ok = false;
        for (String k : u.publicKeys()) {
            try {
                if (PublicKeys.verifyWith(c.algorithm(), PublicKeys.parse(k), c.signingInput(), c.signature())) {
                    ok = true;
                    break;
                }
            } catch (IllegalArgumentException ignored) {
                // a stored key that no longer parses never verifies
            }
        }
        if (!ok) {
            throw unauthenticated(BAD_TOKEN);
        }
        return new VerifiedToken(VerifiedToken.Kind.CLIENT, u.id(), Ids.random(20), null, -1, u.scopes(), u.tenant(),
                exp, null);
    }

    private static String issuer(SignedJWT jwt) {
        try {
            return TokenService.issuerOf(jwt);
        } catch (TokenService.InvalidToken e) {
            return null;
        }
    }

    /** Username (case-insensitive, within {@code tenant}) and password → a new token. */
    public CompletableFuture<Issued> login(String username, String password, String tenant) {
        if (username == null || password == null || password.length() > MAX_PASSWORD || username.length() > 256) {
            return CompletableFuture.failedFuture(unauthenticated(BAD_CREDENTIALS));
        }
        User u = dir.byUsername(username, tenant);
        CompletableFuture<String> hash = u == null ? CompletableFuture.completedFuture(null) : dir.credential(u.id());
        return hash.thenApplyAsync(h -> {
            boolean ok = Passwords.verify(password, h);
            if (!ok || u == null || u.revoked()) {
                throw unauthenticated(BAD_CREDENTIALS);
            }
            return Passwords.needsRehash(h) ? Passwords.hash(password) : null;
        }, work).thenCompose(rehash -> rehash == null ? CompletableFuture.completedFuture(null)
                : dir.putCredential(u.id(), rehash)).thenCompose(x -> issue(u, Ids.random(20)));
    }

    /**
     * Issues a token in login session {@code sid}. With rolling keys the user's generation is
     * raised first (written through the store), so older tokens stop working on every node.
     */
    CompletableFuture<Issued> issue(User u, String sid) {
        long gen = config.rollingKeys() ? dir.gen(u.id()) + 1 : dir.gen(u.id());
        long now = clock.getAsLong();
        String token = tokens.issue(u, sid, gen, now);
        VerifiedToken vt = new VerifiedToken(VerifiedToken.Kind.LOCAL, u.id(), sid, null, gen, u.scopes(), u.tenant(),
                now + config.tokenTtlMs(), token);
        Issued issued = new Issued(token, u, vt);
        return CompletableFuture.completedFuture(issued);
    }

    /** Persists a raised generation (rolling keys); separate so callers can update sessions first. */
    CompletableFuture<Void> commitGen(Issued i) {
        if (!config.rollingKeys()) {
            return CompletableFuture.completedFuture(null);
        }
        return dir.putGen(i.user().id(), i.verified().gen());
    }

    /** A fresh single-use nonce for {@code username}; unknown users get one too (no enumeration). */
    public String nonce(String username, String tenant) {
        long now = clock.getAsLong();
        User u = dir.byUsername(username == null ? "" : username, tenant);
        String nonce = Ids.random(32);
        nonces.put(nonce, new Nonce(u == null ? "" : u.id(), null, now + NONCE_TTL_MS));
        return nonce;
    }

    /**
     * A fresh single-use nonce bound to {@code publicKey} rather than a user (happn-3 asks by
     * key): base64 of 32 random bytes, so a client may sign either its text or its bytes. Any
     * text gets one, a key of nobody's or no key at all (no enumeration); such a nonce never
     * verifies.
     */
    public String nonceForKey(String publicKey) {
        long now = clock.getAsLong();
        String fp;
        try {
            fp = PublicKeys.fingerprint(publicKey);
        } catch (IllegalArgumentException e) {
            fp = "";
        }
        byte[] raw = new byte[32];
        RANDOM.nextBytes(raw);
        String nonce = Base64.getEncoder().encodeToString(raw);
        nonces.put(nonce, new Nonce(null, fp, now + NONCE_TTL_MS));
        return nonce;
    }

    /** Verifies {@code signature} (base64 or base64url) of {@code nonce} with one of the user's keys. */
    public CompletableFuture<Issued> loginWithNonce(String username, String tenant, String nonce, String signature) {
        return loginWithNonce(new Credentials.SignedNonce(username, tenant, nonce, signature));
    }

    /**
     * Verifies a signed nonce: used once (also when the login fails), not expired, issued for this
     * user or for the key {@code c.publicKey()} names, which must then be one of the user's; the
     * signature (base64 or base64url) over the nonce's bytes as {@code c.signed()} says.
     */
    public CompletableFuture<Issued> loginWithNonce(Credentials.SignedNonce c) {
        Nonce n = c.nonce() == null ? null : nonces.remove(c.nonce());
        User u = dir.byUsername(c.username() == null ? "" : c.username(), c.tenant());
        if (n == null || u == null || u.revoked() || n.expiresAt < clock.getAsLong() || !boundTo(n, u, c.publicKey())) {
            return CompletableFuture.failedFuture(unauthenticated(BAD_CREDENTIALS));
        }
        byte[] sig = decode(c.signature());
        byte[] message = signedBytes(c);
        boolean ok = false;
        for (String k : u.publicKeys()) {
            try {
                java.security.PublicKey key = PublicKeys.parse(k);
                if (n.keyFingerprint == null || n.keyFingerprint.equals(PublicKeys.fingerprint(key))) {
                    ok |= message != null && PublicKeys.verifySignature(key, message, sig);
                }
            } catch (IllegalArgumentException ignored) {
                // unusable stored key
            }
        }
        if (!ok) {
            return CompletableFuture.failedFuture(unauthenticated(BAD_CREDENTIALS));
        }
        return issue(u, Ids.random(20));
    }

    /** A user's nonce is the user's; a key's nonce needs that key named and registered to the user. */
    private static boolean boundTo(Nonce n, User u, String publicKey) {
        if (n.userId != null) {
            return n.userId.equals(u.id());
        }
        String fp;
        try {
            fp = PublicKeys.fingerprint(publicKey);
        } catch (IllegalArgumentException e) {
            return false;
        }
        return fp.equals(n.keyFingerprint);
    }

    private static byte[] signedBytes(Credentials.SignedNonce c) {
        if (c.signed() == Credentials.NonceBytes.TEXT) {
            return c.nonce().getBytes(StandardCharsets.UTF_8);
        }
        try {
            return Base64.getDecoder().decode(c.nonce());
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    private static byte[] decode(String s) {
        if (s == null || s.length() > SecurityConfig.MAX_TOKEN_CHARS) {
            return null;
        }
        try {
            return Base64.getDecoder().decode(s);
        } catch (IllegalArgumentException e) {
            try {
                return Base64.getUrlDecoder().decode(s);
            } catch (IllegalArgumentException e2) {
                return null;
            }
        }
    }

    /** Constant-time comparison of the admin API key. */
    boolean isAdminToken(String candidate) {
        if (candidate == null) {
            return false;
        }
        byte[] c = candidate.getBytes(StandardCharsets.UTF_8);
        boolean ok = config.adminToken() != null && MessageDigest.isEqual(config.adminToken().getBytes(StandardCharsets.UTF_8), c);
        for (String k : extraAdminKeys) {
            ok |= MessageDigest.isEqual(k.getBytes(StandardCharsets.UTF_8), c);
        }
        return ok;
    }

    /** Another key that authorizes the admin API (an adapter's admin token, e.g. broker's {@code admin_token}). */
    void addAdminKey(String key) {
        extraAdminKeys.add(key);
    }

    TokenService tokens() {
        return tokens;
    }

    static List<String> union(List<String> a, List<String> b) {
        if (b == null || b.isEmpty()) {
            return a;
        }
        java.util.LinkedHashSet<String> s = new java.util.LinkedHashSet<>(a);
        s.addAll(b);
        return List.copyOf(s);
    }
}
