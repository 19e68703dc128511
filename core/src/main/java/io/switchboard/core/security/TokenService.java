package io.switchboard.core.security;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSSigner;
import com.nimbusds.jose.JWSVerifier;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.crypto.ECDSAVerifier;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jose.crypto.MACVerifier;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.crypto.RSASSAVerifier;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jwt.JWT;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.JWTParser;
import com.nimbusds.jwt.SignedJWT;
import io.switchboard.core.engine.Ids;

import java.net.URL;
import java.security.PublicKey;
import java.security.interfaces.ECPrivateKey;
import java.security.interfaces.ECPublicKey;
import java.security.interfaces.RSAPrivateKey;
import java.security.interfaces.RSAPublicKey;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Issues and verifies JWTs. Tokens of this server are HS256 (or RS256/ES256 with a configured key)
 * with claims {@code sub, iat, exp, iss, aud=scopes, sid, gen, jti} (+ {@code tenant}). Checks
 * refuse: unsigned ({@code alg: none}) tokens, any algorithm other than the configured one (so an
 * RS public key can never be used as an HMAC secret), bad signatures, missing or past
 * {@code exp}, {@code iat}/{@code nbf} in the future beyond {@link #SKEW_MS}, and foreign issuers.
 * Revocation and generation are checked by {@link SecurityService}, which knows the live state.
 * Every failure is the same {@link InvalidToken} without detail, so nothing leaks to the client.
 */
public final class TokenService {
    /** Clock skew tolerated on {@code iat}/{@code nbf}/{@code exp}. */
    public static final long SKEW_MS = 5_000;

    /** A token that does not verify; deliberately without a reason. */
    public static final class InvalidToken extends Exception {
        InvalidToken() {
            super("invalid token", null, false, false);
        }
    }

    private final SecurityConfig config;
    private final JWSAlgorithm alg;
    private final JWSSigner signer;
    private final JWSVerifier verifier;
    /** A JWK set of a trusted issuer and when it was (last tried to be) loaded; set null = the load failed. */
    private record Jwks(JWKSet set, long loadedAt) { }

    /** An issuer's {@code jwksUrl} is fetched again for an unknown {@code kid} at most this often (key rotation). */
    static final long JWKS_REFETCH_MS = 60_000;
    /** After a failed fetch, tokens of that issuer are refused without fetching for this long. */
    static final long JWKS_RETRY_MS = 10_000;

    private final Map<String, Jwks> jwks = new ConcurrentHashMap<>();

    public TokenService(SecurityConfig config) {
        this.config = config;
        try {
            if (config.signingKey() != null && config.signingKey().getPrivate() instanceof RSAPrivateKey rsa) {
                alg = JWSAlgorithm.RS256;
                signer = new RSASSASigner(rsa);
                verifier = new RSASSAVerifier((RSAPublicKey) config.signingKey().getPublic());
            } else if (config.signingKey() != null && config.signingKey().getPrivate() instanceof ECPrivateKey ec) {
                alg = JWSAlgorithm.ES256;
                signer = new ECDSASigner(ec);
                verifier = new ECDSAVerifier((ECPublicKey) config.signingKey().getPublic());
            } else {
                alg = JWSAlgorithm.HS256;
                signer = new MACSigner(config.jwtSecret());
                verifier = new MACVerifier(config.jwtSecret());
            }
        } catch (JOSEException e) {
            throw new IllegalArgumentException("invalid signing key", e);
        }
    }

    /** The algorithm of the tokens this server issues. */
    public JWSAlgorithm algorithm() {
        return alg;
    }

    /** Issues a token for {@code user} in login session {@code sid} at generation {@code gen}. */
    public String issue(User user, String sid, long gen, long now) {
        JWTClaimsSet.Builder c = new JWTClaimsSet.Builder()
                .subject(user.id())
                .issuer(config.issuer())
                .issueTime(new Date(now))
                .expirationTime(new Date(now + config.tokenTtlMs()))
                .jwtID(Ids.random(20))
                .claim("sid", sid)
                .claim("gen", gen);
        if (!user.scopes().isEmpty()) {
            c.audience(user.scopes());
        }
        if (user.tenant() != null) {
            c.claim("tenant", user.tenant());
        }
        try {
            SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(alg).build(), c.build());
            jwt.sign(signer);
            return jwt.serialize();
        } catch (JOSEException e) {
            throw new IllegalStateException("cannot sign token", e);
        }
    }

    /** Parses a compact JWS; unsigned or oversized tokens are refused here. */
    public static SignedJWT parse(String token) throws InvalidToken {
        if (token == null || token.isEmpty() || token.length() > SecurityConfig.MAX_TOKEN_CHARS) {
            throw new InvalidToken();
        }
        try {
            JWT jwt = JWTParser.parse(token);
            if (!(jwt instanceof SignedJWT s)) {
                throw new InvalidToken();
            }
            return s;
        } catch (java.text.ParseException | RuntimeException e) {
            throw new InvalidToken();
        }
    }

    /** The unverified {@code iss}, only to choose how to verify. */
    public static String issuerOf(SignedJWT jwt) throws InvalidToken {
        try {
            return jwt.getJWTClaimsSet().getIssuer();
        } catch (java.text.ParseException e) {
            throw new InvalidToken();
        }
    }

    /** True when the token names this server as issuer. */
    public boolean isLocal(SignedJWT jwt) throws InvalidToken {
        return config.issuer().equals(issuerOf(jwt));
    }

    /** Verifies a token of this server (signature, algorithm, issuer, times). */
    public VerifiedToken verifyLocal(SignedJWT jwt, long now) throws InvalidToken {
        if (!alg.equals(jwt.getHeader().getAlgorithm())) {
            throw new InvalidToken();
        }
        try {
            if (!jwt.verify(verifier)) {
                throw new InvalidToken();
            }
            JWTClaimsSet c = jwt.getJWTClaimsSet();
            long exp = checkTimes(c, now);
            if (!config.issuer().equals(c.getIssuer()) || c.getSubject() == null || c.getStringClaim("sid") == null) {
                throw new InvalidToken();
            }
            Long gen = c.getLongClaim("gen");
            List<String> aud = c.getAudience() == null ? List.of() : c.getAudience();
            return new VerifiedToken(VerifiedToken.Kind.LOCAL, c.getSubject(), c.getStringClaim("sid"), c.getJWTID(),
                    gen == null ? -1 : gen, aud, c.getStringClaim("tenant"), exp, jwt.serialize());
        } catch (JOSEException | java.text.ParseException | RuntimeException e) {
            throw new InvalidToken();
        }
    }

    /** Verifies a token of a trusted external issuer against its JWKS. */
    public VerifiedToken verifyExternal(SignedJWT jwt, long now) throws InvalidToken {
        String iss = issuerOf(jwt);
        SecurityConfig.TrustedIssuer ti = config.trustedIssuers().stream()
                .filter(t -> t.issuer().equals(iss)).findFirst().orElseThrow(InvalidToken::new);
        String kid = jwt.getHeader().getKeyID();
        JWKSet set = jwksOf(ti, kid, now);
        boolean ok = false;
        for (JWK k : set.getKeys()) {
            if (kid != null && !kid.equals(k.getKeyID())) {
                continue;
            }
            PublicKey pk = publicKeyOf(k);
            if (pk != null && PublicKeys.verify(jwt, pk)) {
                ok = true;
                break;
            }
        }
        if (!ok) {
            throw new InvalidToken();
        }
        try {
            JWTClaimsSet c = jwt.getJWTClaimsSet();
            long exp = checkTimes(c, now);
            if (c.getSubject() == null
                    || (ti.audience() != null && (c.getAudience() == null || !c.getAudience().contains(ti.audience())))) {
                throw new InvalidToken();
            }
            List<String> scopes = new ArrayList<>();
            Object scope = c.getClaim("scope");
            if (scope instanceof String s && !s.isBlank()) {
                scopes.addAll(List.of(s.trim().split("\\s+")));
            } else if (c.getClaim("scp") instanceof List<?> l) {
                l.forEach(x -> scopes.add(String.valueOf(x)));
            }
            String jti = c.getJWTID();
            return new VerifiedToken(VerifiedToken.Kind.EXTERNAL, c.getSubject(), jti == null ? Ids.random(20) : jti,
                    jti, -1, scopes, null, exp, jwt.serialize());
        } catch (java.text.ParseException | RuntimeException e) {
            throw new InvalidToken();
        }
    }

    /**
     * Verifies a client-signed token with one of {@code user}'s registered keys: {@code sub} must
     * be the user id, {@code exp} is required and at most {@code clientTokenMaxTtl} ahead.
     */
    public VerifiedToken verifyClientSigned(SignedJWT jwt, User user, long now) throws InvalidToken {
        boolean ok = false;
        for (String k : user.publicKeys()) {
            try {
                if (PublicKeys.verify(jwt, PublicKeys.parse(k))) {
                    ok = true;
                    break;
                }
            } catch (IllegalArgumentException ignored) {
                // a stored key that no longer parses never verifies
            }
        }
        if (!ok) {
            throw new InvalidToken();
        }
        try {
            JWTClaimsSet c = jwt.getJWTClaimsSet();
            long exp = checkTimes(c, now);
            if (!user.id().equals(c.getSubject()) || exp - now > config.clientTokenMaxTtlMs() + SKEW_MS) {
                throw new InvalidToken();
            }
            String jti = c.getJWTID();
            return new VerifiedToken(VerifiedToken.Kind.CLIENT, user.id(), Ids.random(20), jti, -1,
                    user.scopes(), user.tenant(), exp, jwt.serialize());
        } catch (java.text.ParseException | RuntimeException e) {
            throw new InvalidToken();
        }
    }

    /** The unverified {@code sub}, to find whose keys to try for a client-signed token. */
    public static String subjectOf(SignedJWT jwt) throws InvalidToken {
        try {
            return jwt.getJWTClaimsSet().getSubject();
        } catch (java.text.ParseException e) {
            throw new InvalidToken();
        }
    }

    private static long checkTimes(JWTClaimsSet c, long now) throws InvalidToken {
        Date exp = c.getExpirationTime();
        if (exp == null || exp.getTime() + SKEW_MS <= now) {
            throw new InvalidToken();
        }
        Date iat = c.getIssueTime();
        Date nbf = c.getNotBeforeTime();
        if ((iat != null && iat.getTime() > now + SKEW_MS) || (nbf != null && nbf.getTime() > now + SKEW_MS)) {
            throw new InvalidToken();
        }
        return exp.getTime();
    }

    /**
     * The issuer's keys: inline ones as given; a {@code jwksUrl} is fetched on first use, again
     * when a token names a {@code kid} the set lacks (at most every {@link #JWKS_REFETCH_MS}), and
     * after a failure no sooner than {@link #JWKS_RETRY_MS}.
     */
    private JWKSet jwksOf(SecurityConfig.TrustedIssuer ti, String kid, long now) throws InvalidToken {
        Jwks cur = jwks.get(ti.issuer());
        if (cur != null && !needsFetch(ti, cur, kid, now)) {
            if (cur.set() == null) {
                throw new InvalidToken();
            }
            return cur.set();
        }
        synchronized (jwks) {
            cur = jwks.get(ti.issuer());
            if (cur == null || needsFetch(ti, cur, kid, now)) {
                JWKSet set;
                try {
                    set = ti.jwksJson() != null ? JWKSet.parse(ti.jwksJson())
                            : JWKSet.load(new URL(ti.jwksUrl()), 5_000, 5_000, 1_000_000);
                } catch (Exception e) {
                    // keep the keys we had; refuse only when there are none
                    set = cur == null ? null : cur.set();
                }
                cur = new Jwks(set, now);
                jwks.put(ti.issuer(), cur);
            }
        }
        if (cur.set() == null) {
            throw new InvalidToken();
        }
        return cur.set();
    }

    private static boolean needsFetch(SecurityConfig.TrustedIssuer ti, Jwks cur, String kid, long now) {
        if (ti.jwksJson() != null) {
            return false;
        }
        if (cur.set() == null) {
            return now - cur.loadedAt() >= JWKS_RETRY_MS;
        }
        return kid != null && cur.set().getKeyByKeyId(kid) == null && now - cur.loadedAt() >= JWKS_REFETCH_MS;
    }

    private static PublicKey publicKeyOf(JWK k) {
        try {
            if (k instanceof RSAKey r) {
                return r.toRSAPublicKey();
            }
            if (k instanceof ECKey e) {
                return e.toECPublicKey();
            }
        } catch (JOSEException e) {
            return null;
        }
        return null;
    }
}
