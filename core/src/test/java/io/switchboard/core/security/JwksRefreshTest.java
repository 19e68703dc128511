package io.switchboard.core.security;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import com.sun.net.httpserver.HttpServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.interfaces.RSAPublicKey;
import java.util.Date;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** A trusted issuer's {@code jwksUrl}: fetched once, again for a new {@code kid} (rate-limited), retried after failures. */
class JwksRefreshTest {
    final AtomicReference<byte[]> served = new AtomicReference<>();
    final AtomicInteger fetches = new AtomicInteger();
    HttpServer http;

    @AfterEach
    void stop() {
        if (http != null) {
            http.stop(0);
        }
    }

    String serve() throws Exception {
        http = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        http.createContext("/jwks", x -> {
            fetches.incrementAndGet();
            byte[] b = served.get();
            x.sendResponseHeaders(b == null ? 500 : 200, b == null ? -1 : b.length);
            if (b != null) {
                x.getResponseBody().write(b);
            }
            x.close();
        });
        http.start();
        return "http://127.0.0.1:" + http.getAddress().getPort() + "/jwks";
    }

    static KeyPair rsa() throws Exception {
        KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
        g.initialize(2048);
        return g.generateKeyPair();
    }

    void publish(KeyPair kp, String kid) {
        served.set(new JWKSet(new RSAKey.Builder((RSAPublicKey) kp.getPublic()).keyID(kid).build()).toString()
                .getBytes(StandardCharsets.UTF_8));
    }

    static SignedJWT token(KeyPair kp, String kid, long now) throws Exception {
        SignedJWT j = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.RS256).keyID(kid).build(),
                new JWTClaimsSet.Builder().issuer("idp").subject("u1").expirationTime(new Date(now + 3_600_000)).build());
        j.sign(new RSASSASigner(kp.getPrivate()));
        return j;
    }

    @Test
    void rotatedKeysAreFetchedAtMostOncePerInterval() throws Exception {
        TokenService ts = new TokenService(PasswordsAndTokensTest.SECRET_CONFIG.withTrustedIssuers(
                List.of(new SecurityConfig.TrustedIssuer("idp", null, serve()))));
        long now = System.currentTimeMillis();
        KeyPair a = rsa();
        KeyPair b = rsa();
        publish(a, "a");
        assertThat(ts.verifyExternal(token(a, "a", now), now).userId()).isEqualTo("u1");
        assertThat(ts.verifyExternal(token(a, "a", now), now + 1).userId()).isEqualTo("u1");
        assertThat(fetches.get()).isEqualTo(1);
        publish(b, "b");
        // a new kid soon after the last fetch: refused without fetching
        assertThatThrownBy(() -> ts.verifyExternal(token(b, "b", now), now + 1_000)).isInstanceOf(TokenService.InvalidToken.class);
        assertThat(fetches.get()).isEqualTo(1);
        // later: fetched again, and the new key works
        long later = now + TokenService.JWKS_REFETCH_MS + 1_000;
        assertThat(ts.verifyExternal(token(b, "b", now), later).userId()).isEqualTo("u1");
        assertThat(fetches.get()).isEqualTo(2);
        // the retired key is gone; asking for it again right away does not fetch
        assertThatThrownBy(() -> ts.verifyExternal(token(a, "a", now), later + 1)).isInstanceOf(TokenService.InvalidToken.class);
        // a forged token with a known kid never causes a fetch
        assertThatThrownBy(() -> ts.verifyExternal(token(a, "b", now), later + 2 * TokenService.JWKS_REFETCH_MS))
                .isInstanceOf(TokenService.InvalidToken.class);
        assertThat(fetches.get()).isEqualTo(2);
    }

    @Test
    void aFailedFetchIsRetriedOnlyAfterAPause() throws Exception {
        TokenService ts = new TokenService(PasswordsAndTokensTest.SECRET_CONFIG.withTrustedIssuers(
                List.of(new SecurityConfig.TrustedIssuer("idp", null, serve()))));
        long now = System.currentTimeMillis();
        KeyPair a = rsa();
        assertThatThrownBy(() -> ts.verifyExternal(token(a, "a", now), now)).isInstanceOf(TokenService.InvalidToken.class);
        publish(a, "a");
        assertThatThrownBy(() -> ts.verifyExternal(token(a, "a", now), now + 1_000)).isInstanceOf(TokenService.InvalidToken.class);
        assertThat(fetches.get()).isEqualTo(1);
        assertThat(ts.verifyExternal(token(a, "a", now), now + TokenService.JWKS_RETRY_MS).userId()).isEqualTo("u1");
        assertThat(fetches.get()).isEqualTo(2);
    }
}
