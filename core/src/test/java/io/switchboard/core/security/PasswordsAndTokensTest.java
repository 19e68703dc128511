package io.switchboard.core.security;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.util.Base64URL;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.PlainJWT;
import com.nimbusds.jwt.SignedJWT;
import com.password4j.BcryptFunction;
import com.password4j.types.Bcrypt;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.Signature;
import java.util.Base64;
import java.util.Date;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class PasswordsAndTokensTest {
    static final byte[] SECRET = "0123456789abcdef0123456789abcdef".getBytes(StandardCharsets.UTF_8);
    static final SecurityConfig SECRET_CONFIG = SecurityConfig.secure(SECRET);
    final SecurityConfig config = SECRET_CONFIG;
    final TokenService tokens = new TokenService(config);
    final User ann = new User("u1", "ann", null, null, List.of("news:get"), List.of(), null, false, List.of(), null);
    final long now = System.currentTimeMillis();

    @Test
    void argon2idAndBcryptImport() {
        String h = Passwords.hash("s3cret");
        assertThat(h).startsWith("$argon2id$").doesNotContain("s3cret");
        assertThat(Passwords.verify("s3cret", h)).isTrue();
        assertThat(Passwords.verify("wrong", h)).isFalse();
        String bcrypt = BcryptFunction.getInstance(Bcrypt.B, 6).hash("legacy").getResult();
        assertThat(Passwords.verify("legacy", bcrypt)).isTrue();
        assertThat(Passwords.needsRehash(bcrypt)).isTrue();
        assertThat(Passwords.verify("x", "garbage")).isFalse();
        assertThat(Passwords.verify("x", null)).isFalse();
    }

    @Test
    void issuedTokenVerifies() throws Exception {
        String t = tokens.issue(ann, "sid1", 3, now);
        VerifiedToken v = tokens.verifyLocal(TokenService.parse(t), now);
        assertThat(v.userId()).isEqualTo("u1");
        assertThat(v.sid()).isEqualTo("sid1");
        assertThat(v.gen()).isEqualTo(3);
        assertThat(v.scopes()).containsExactly("news:get");
    }

    private String hs(JWTClaimsSet c) throws Exception {
        SignedJWT j = new SignedJWT(new JWSHeader(JWSAlgorithm.HS256), c);
        j.sign(new MACSigner(SECRET));
        return j.serialize();
    }

    private JWTClaimsSet.Builder claims() {
        return new JWTClaimsSet.Builder().subject("u1").issuer("switchboard").claim("sid", "s")
                .issueTime(new Date(now)).expirationTime(new Date(now + 60_000));
    }

    private void refused(String token) {
        assertThatThrownBy(() -> tokens.verifyLocal(TokenService.parse(token), now))
                .isInstanceOf(TokenService.InvalidToken.class).hasMessage("invalid token");
    }

    @Test
    void attacksAreRefused() throws Exception {
        // alg none
        refused(new PlainJWT(claims().build()).serialize());
        // expired, not yet valid (iat and nbf), wrong issuer, no exp
        refused(hs(claims().expirationTime(new Date(now - 60_000)).build()));
        refused(hs(claims().issueTime(new Date(now + 3_600_000)).build()));
        refused(hs(claims().notBeforeTime(new Date(now + 3_600_000)).build()));
        refused(hs(claims().issuer("evil").build()));
        refused(hs(new JWTClaimsSet.Builder().subject("u1").issuer("switchboard").claim("sid", "s").build()));
        // tampered payload: swap the payload, keep the signature
        String good = tokens.issue(ann, "sid1", 0, now);
        String[] parts = good.split("\\.");
        String evil = Base64URL.encode(claims().subject("admin").build().toString()).toString();
        refused(parts[0] + "." + evil + "." + parts[2]);
        // RS256 token signed by an attacker key, and HS256 when the server uses RS256
        KeyPair rsa = KeyPairGenerator.getInstance("RSA").generateKeyPair();
        SignedJWT rs = new SignedJWT(new JWSHeader(JWSAlgorithm.RS256), claims().build());
        rs.sign(new RSASSASigner(rsa.getPrivate()));
        refused(rs.serialize());
        TokenService rsTokens = new TokenService(config.withSigningKey(rsa));
        String asHs = new SignedJWT(new JWSHeader(JWSAlgorithm.HS256), claims().build()) {{
            sign(new MACSigner(java.util.Arrays.copyOf(rsa.getPublic().getEncoded(), 64)));
        }}.serialize();
        assertThatThrownBy(() -> rsTokens.verifyLocal(TokenService.parse(asHs), now)).isInstanceOf(TokenService.InvalidToken.class);
        String rsOk = rsTokens.issue(ann, "s", 0, now);
        assertThat(rsTokens.verifyLocal(TokenService.parse(rsOk), now).userId()).isEqualTo("u1");
        // oversized
        assertThatThrownBy(() -> TokenService.parse("a".repeat(9000))).isInstanceOf(TokenService.InvalidToken.class);
    }

    @Test
    void clientSignedEd25519AndNonceSignatures() throws Exception {
        KeyPair ed = KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
        String pem = "-----BEGIN PUBLIC KEY-----\n" + Base64.getEncoder().encodeToString(ed.getPublic().getEncoded())
                + "\n-----END PUBLIC KEY-----";
        User u = ann.withPublicKeys(List.of(pem));
        JWSHeader h = new JWSHeader(JWSAlgorithm.EdDSA);
        JWTClaimsSet c = new JWTClaimsSet.Builder().subject("u1").expirationTime(new Date(now + 60_000)).build();
        String input = h.toBase64URL() + "." + Base64URL.encode(c.toString());
        Signature s = Signature.getInstance("Ed25519");
        s.initSign(ed.getPrivate());
        s.update(input.getBytes(StandardCharsets.US_ASCII));
        String jwt = input + "." + Base64URL.encode(s.sign());
        assertThat(tokens.verifyClientSigned(TokenService.parse(jwt), u, now).userId()).isEqualTo("u1");
        // too long a lifetime is refused
        JWTClaimsSet longC = new JWTClaimsSet.Builder().subject("u1").expirationTime(new Date(now + 3_600_000)).build();
        String input2 = h.toBase64URL() + "." + Base64URL.encode(longC.toString());
        s.initSign(ed.getPrivate());
        s.update(input2.getBytes(StandardCharsets.US_ASCII));
        String jwt2 = input2 + "." + Base64URL.encode(s.sign());
        assertThatThrownBy(() -> tokens.verifyClientSigned(TokenService.parse(jwt2), u, now)).isInstanceOf(TokenService.InvalidToken.class);

        s.initSign(ed.getPrivate());
        s.update("nonce-1".getBytes(StandardCharsets.UTF_8));
        byte[] sig = s.sign();
        assertThat(PublicKeys.verifySignature(PublicKeys.parse(pem), "nonce-1", sig)).isTrue();
        assertThat(PublicKeys.verifySignature(PublicKeys.parse(pem), "nonce-2", sig)).isFalse();
    }
}
