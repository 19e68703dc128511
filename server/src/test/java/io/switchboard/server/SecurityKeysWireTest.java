package io.switchboard.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSSigner;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import com.sun.net.httpserver.HttpServer;
import io.switchboard.core.json.Json;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.InetSocketAddress;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.Signature;
import java.security.interfaces.ECPrivateKey;
import java.security.interfaces.ECPublicKey;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.ECGenParameterSpec;
import java.util.Base64;
import java.util.Date;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import static io.switchboard.server.SecureWire.bearer;
import static io.switchboard.server.SecureWire.json;
import static io.switchboard.server.WsClient.op;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * SPEC section 6 keys over the wire: RS256/ES256 signing with configured keys, trusted external
 * issuers through JWKS (file and URL), client-signed RS256/ES256 tokens with keys registered as
 * PEM and JWK, and the nonce login.
 */
class SecurityKeysWireTest {
    @TempDir
    Path dir;
    SecureWire w;
    HttpServer jwksServer;

    @AfterEach
    void tearDown() {
        if (w != null) {
            w.close();
        }
        if (jwksServer != null) {
            jwksServer.stop(0);
        }
    }

    static KeyPair rsa() throws Exception {
        KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
        g.initialize(2048);
        return g.generateKeyPair();
    }

    static KeyPair ec() throws Exception {
        KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
        g.initialize(new ECGenParameterSpec("secp256r1"));
        return g.generateKeyPair();
    }

    static String pem(String type, byte[] der) {
        return "-----BEGIN " + type + "-----\n" + Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(der)
                + "\n-----END " + type + "-----\n";
    }

    Path write(String name, String content) throws Exception {
        Path p = dir.resolve(name);
        Files.writeString(p, content);
        return p;
    }

    static JWSSigner signer(KeyPair kp) throws Exception {
        return kp.getPrivate() instanceof ECPrivateKey e ? new ECDSASigner(e) : new RSASSASigner(kp.getPrivate());
    }

    static String sign(KeyPair kp, String kid, JWTClaimsSet c) throws Exception {
        JWSAlgorithm alg = kp.getPrivate() instanceof ECPrivateKey ? JWSAlgorithm.ES256 : JWSAlgorithm.RS256;
        SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(alg).keyID(kid).build(), c);
        jwt.sign(signer(kp));
        return jwt.serialize();
    }

    static JWTClaimsSet.Builder claims(String sub, long ttlMs) {
        long now = System.currentTimeMillis();
        return new JWTClaimsSet.Builder().subject(sub).issueTime(new Date(now)).expirationTime(new Date(now + ttlMs));
    }

    static String header(String token) {
        return new String(Base64.getUrlDecoder().decode(token.split("\\.")[0]), StandardCharsets.UTF_8);
    }

    /** The token authenticates over HTTP Bearer and WS connect; returns the user of /api/auth/me. */
    JsonNode works(String token) {
        HttpResponse<String> me = w.send("GET", "/api/auth/me", null, "Authorization", bearer(token));
        assertThat(me.statusCode()).as(me.body()).isEqualTo(200);
        try (WsClient c = w.ws(token)) {
            assertThat(c.request(op("get").put("path", "/news/a")).path("error").path("code").asText())
                    .isNotEqualTo("UNAUTHENTICATED");
        }
        return json(me).get("user");
    }

    /** The token is refused with UNAUTHENTICATED over HTTP Bearer and WS connect. */
    void refused(String token, String what) {
        HttpResponse<String> r = w.send("GET", "/api/data/news/a", null, "Authorization", bearer(token));
        assertThat(r.statusCode()).as(what + ": " + r.body()).isEqualTo(401);
        assertThat(json(r).get("error").get("code").asText()).isEqualTo("UNAUTHENTICATED");
        try (WsClient c = WsClient.open(w.port())) {
            JsonNode e = c.request(op("connect").put("token", token));
            assertThat(e.path("ok").asBoolean()).as(what + " ws: " + e).isFalse();
            assertThat(e.get("error").get("code").asText()).isEqualTo("UNAUTHENTICATED");
        }
    }

    private void readers() {
        w.group("readers", "{'/news/**': {'actions': ['get','subscribe']}}");
        w.user("reader", null, List.of("readers"), List.of());
    }

    // ---------------------------------------------------------------- 1. RS256 / ES256 signing

    private void signsWith(String alg, KeyPair kp) throws Exception {
        Path key = write("signing.pem", pem("PRIVATE KEY", kp.getPrivate().getEncoded()));
        w = new SecureWire(dir, c -> c.withSigningKey(alg, key));
        readers();
        String token = w.login("reader");
        assertThat(header(token)).contains("\"alg\":\"" + alg + "\"");
        assertThat(works(token).get("id").asText()).isEqualTo("reader-id");
        // the token really is signed by the configured key
        SignedJWT jwt = SignedJWT.parse(token);
        assertThat(jwt.verify(kp.getPublic() instanceof RSAPublicKey r ? new com.nimbusds.jose.crypto.RSASSAVerifier(r)
                : new com.nimbusds.jose.crypto.ECDSAVerifier((ECPublicKey) kp.getPublic()))).isTrue();
        // WS login issues the same kind of token
        try (WsClient c = WsClient.open(w.port())) {
            JsonNode r = c.ok(op("connect").put("username", "reader").put("password", "password-reader"));
            assertThat(header(r.get("token").asText())).contains("\"alg\":\"" + alg + "\"");
        }
        // key confusion: HS256 keyed with the public key (DER, PEM text) is refused, as is the
        // HS256 jwtSecret, which no longer signs anything
        JWTClaimsSet forged = claims("admin", 60_000).issuer("switchboard").claim("sid", "forged-sid-0000000000")
                .claim("gen", 0L).build();
        String pubPem = pem("PUBLIC KEY", kp.getPublic().getEncoded());
        for (byte[] secret : List.of(kp.getPublic().getEncoded(), pubPem.getBytes(StandardCharsets.US_ASCII),
                SecureWire.SECRET.getBytes(StandardCharsets.UTF_8))) {
            SignedJWT hs = new SignedJWT(new JWSHeader(JWSAlgorithm.HS256), forged);
            hs.sign(new MACSigner(secret));
            refused(hs.serialize(), "HS256 confusion");
        }
        // the same key from a restart keeps tokens valid
        w.close();
        w = new SecureWire(dir, c -> c.withSigningKey(alg, key));
        works(token);
    }

    @Test
    void rs256ServerIssuesAndChecksRs256Tokens() throws Exception {
        signsWith("RS256", rsa());
    }

    @Test
    void es256ServerIssuesAndChecksEs256Tokens() throws Exception {
        signsWith("ES256", ec());
    }

    // ---------------------------------------------------------------- 2. external issuers (JWKS)

    @Test
    void trustedIssuersThroughJwksFileAndUrl() throws Exception {
        KeyPair idp = rsa();
        KeyPair idp2 = ec();
        KeyPair stranger = rsa();
        Path jwksFile = write("jwks.json", new JWKSet(new RSAKey.Builder((RSAPublicKey) idp.getPublic()).keyID("k1")
                .privateKey(idp.getPrivate()).build()).toString(false)); // private parts in the file are dropped
        AtomicInteger fetches = new AtomicInteger();
        byte[] served = new JWKSet(new ECKey.Builder(com.nimbusds.jose.jwk.Curve.P_256, (ECPublicKey) idp2.getPublic())
                .keyID("e1").build()).toString().getBytes(StandardCharsets.UTF_8);
        jwksServer = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        jwksServer.createContext("/jwks.json", x -> {
            fetches.incrementAndGet();
            x.getResponseHeaders().add("Content-Type", "application/json");
            x.sendResponseHeaders(200, served.length);
            x.getResponseBody().write(served);
            x.close();
        });
        jwksServer.start();
        String url = "http://127.0.0.1:" + jwksServer.getAddress().getPort() + "/jwks.json";
        String issuers = "[{\"issuer\":\"https://idp.test\",\"jwksPath\":" + "\"" + jwksFile + "\""
                + ",\"audience\":\"switchboard-api\"},{\"issuer\":\"https://idp2.test\",\"jwksUrl\":\"" + url + "\"}]";
        w = new SecureWire(dir, c -> c.withIssuers(issuers));
        readers();

        // an existing user: linked by sub = user id, with their groups, plus the token's scopes
        String linked = sign(idp, "k1", claims("reader-id", 60_000).issuer("https://idp.test")
                .audience("switchboard-api").claim("scope", "notes:get").build());
        JsonNode u = works(linked);
        assertThat(u.get("id").asText()).isEqualTo("reader-id");
        assertThat(u.get("username").asText()).isEqualTo("reader");
        assertThat(u.get("groups").toString()).contains("readers");
        assertThat(u.get("scopes").toString()).contains("notes:get");
        // an unknown subject: not created, a principal named by sub with the token's scopes only
        String fresh = sign(idp, "k1", claims("ext-42", 60_000).issuer("https://idp.test")
                .audience("switchboard-api").claim("scope", "news:get").build());
        JsonNode f = works(fresh);
        assertThat(f.get("id").asText()).isEqualTo("ext-42");
        assertThat(f.get("username").asText()).isEqualTo("ext-42");
        assertThat(f.get("groups").size()).isZero();
        assertThat(f.get("scopes").toString()).isEqualTo("[\"news:get\"]");
        assertThat(w.send("GET", "/api/admin/users/ext-42", null, "X-Admin-Token", SecureWire.ADMIN_KEY).statusCode())
                .isEqualTo(404);
        // through a JWKS URL (fetched once, then kept)
        String viaUrl = sign(idp2, "e1", claims("reader-id", 60_000).issuer("https://idp2.test").build());
        assertThat(works(viaUrl).get("id").asText()).isEqualTo("reader-id");
        works(sign(idp2, "e1", claims("ext-7", 60_000).issuer("https://idp2.test").build()));
        assertThat(fetches.get()).isEqualTo(1);

        // refused: unknown issuer, key not in the JWKS (same kid, and no kid), wrong or missing
        // audience, expired, HS256 keyed with the issuer's public key, and a revoked linked user
        refused(sign(idp, "k1", claims("reader-id", 60_000).issuer("https://evil.test").audience("switchboard-api").build()),
                "unknown issuer");
        refused(sign(stranger, "k1", claims("reader-id", 60_000).issuer("https://idp.test").audience("switchboard-api").build()),
                "foreign key, same kid");
        refused(sign(stranger, null, claims("reader-id", 60_000).issuer("https://idp.test").audience("switchboard-api").build()),
                "foreign key, no kid");
        refused(sign(stranger, "e1", claims("reader-id", 60_000).issuer("https://idp2.test").build()), "foreign key via url");
        refused(sign(idp, "k1", claims("reader-id", 60_000).issuer("https://idp.test").audience("other").build()), "audience");
        refused(sign(idp, "k1", claims("reader-id", 60_000).issuer("https://idp.test").build()), "no audience");
        refused(sign(idp, "k1", claims("reader-id", -60_000).issuer("https://idp.test").audience("switchboard-api").build()),
                "expired");
        SignedJWT hs = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.HS256).keyID("k1").build(),
                claims("reader-id", 60_000).issuer("https://idp.test").audience("switchboard-api").build());
        hs.sign(new MACSigner(idp.getPublic().getEncoded()));
        refused(hs.serialize(), "HS256 with the public key");
        w.admin("POST", "/users/reader-id/revoke", null);
        refused(linked, "revoked user");
    }

    // ---------------------------------------------------------------- 3. client-signed tokens

    private void clientSigned(KeyPair kp, String user, boolean asJwk) throws Exception {
        w.user(user, null, List.of("readers"), List.of());
        String id = user + "-id";
        String key;
        if (asJwk) {
            JWK jwk = kp.getPublic() instanceof RSAPublicKey r ? new RSAKey.Builder(r).build()
                    : new ECKey.Builder(com.nimbusds.jose.jwk.Curve.P_256, (ECPublicKey) kp.getPublic()).build();
            key = "{\"key\":" + jwk.toJSONString() + "}";
        } else {
            key = Json.write(Json.object().put("key", pem("PUBLIC KEY", kp.getPublic().getEncoded())));
        }
        w.admin("POST", "/users/" + id + "/keys", key);
        String what = user + (asJwk ? " jwk" : " pem");

        String good = sign(kp, null, claims(id, 60_000).build());
        assertThat(works(good).get("id").asText()).as(what).isEqualTo(id);
        // exp beyond auth.clientTokenMaxTtl (here 120 s), no exp, another subject, another key
        refused(sign(kp, null, claims(id, 600_000).build()), what + " too long");
        refused(sign(kp, null, new JWTClaimsSet.Builder().subject(id).build()), what + " no exp");
        refused(sign(kp, null, claims(id, -60_000).build()), what + " expired");
        refused(sign(kp, null, claims("reader-id", 60_000).build()), what + " other user");
        refused(sign(kp.getPrivate() instanceof ECPrivateKey ? ec() : rsa(), null, claims(id, 60_000).build()), what + " other key");
        // key removed (PATCH publicKeys): the token that worked is refused at once
        w.admin("PATCH", "/users/" + id, "{\"publicKeys\":[]}");
        refused(good, what + " key removed");
        // registered again, then the user revoked
        w.admin("POST", "/users/" + id + "/keys", key);
        works(good);
        w.admin("POST", "/users/" + id + "/revoke", null);
        refused(good, what + " user revoked");
    }

    @Test
    void clientSignedRs256AndEs256TokensWithPemAndJwkKeys() throws Exception {
        w = new SecureWire(dir, c -> c.withClientTokenMaxTtlMs(120_000));
        readers();
        clientSigned(rsa(), "rsapem", false);
        clientSigned(rsa(), "rsajwk", true);
        clientSigned(ec(), "ecpem", false);
        clientSigned(ec(), "ecjwk", true);
    }

    // ---------------------------------------------------------------- 4. nonce login

    private String nonce(String username) {
        HttpResponse<String> r = w.send("POST", "/api/auth/nonce", "{\"username\":\"" + username + "\"}");
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        return json(r).get("nonce").asText();
    }

    private static String sig(KeyPair kp, String alg, String nonce) throws Exception {
        Signature s = Signature.getInstance(alg);
        s.initSign(kp.getPrivate());
        s.update(nonce.getBytes(StandardCharsets.UTF_8));
        return Base64.getEncoder().encodeToString(s.sign());
    }

    private HttpResponse<String> nonceLogin(String username, String nonce, String signature) {
        return w.send("POST", "/api/auth/nonce/login", Json.write(Json.object().put("username", username)
                .put("nonce", nonce).put("signature", signature)));
    }

    @Test
    void nonceLoginWithRsaAndEcKeys() throws Exception {
        w = new SecureWire(dir);
        readers();
        KeyPair rk = rsa();
        KeyPair ek = ec();
        w.admin("POST", "/users/reader-id/keys", Json.write(Json.object().put("key", pem("PUBLIC KEY", rk.getPublic().getEncoded()))));
        w.user("ecuser", null, List.of("readers"), List.of());
        w.admin("POST", "/users/ecuser-id/keys",
                "{\"key\":" + new ECKey.Builder(com.nimbusds.jose.jwk.Curve.P_256, (ECPublicKey) ek.getPublic()).build().toJSONString() + "}");

        String n = nonce("reader");
        String s = sig(rk, "SHA256withRSA", n);
        HttpResponse<String> ok = nonceLogin("reader", n, s);
        assertThat(ok.statusCode()).as(ok.body()).isEqualTo(200);
        String token = json(ok).get("token").asText();
        assertThat(json(ok).get("user").get("id").asText()).isEqualTo("reader-id");
        assertThat(works(token).get("id").asText()).isEqualTo("reader-id");
        // reused nonce
        assertThat(nonceLogin("reader", n, s).statusCode()).isEqualTo(401);
        // wrong signature: another key, another message, garbage; each consumes its nonce
        String n2 = nonce("reader");
        assertThat(nonceLogin("reader", n2, sig(rsa(), "SHA256withRSA", n2)).statusCode()).isEqualTo(401);
        assertThat(nonceLogin("reader", n2, sig(rk, "SHA256withRSA", n2)).statusCode()).as("consumed by the failure").isEqualTo(401);
        String n3 = nonce("reader");
        assertThat(nonceLogin("reader", n3, sig(rk, "SHA256withRSA", "not-the-nonce")).statusCode()).isEqualTo(401);
        String n4 = nonce("reader");
        assertThat(nonceLogin("reader", n4, "!!not base64!!").statusCode()).isEqualTo(401);
        // a nonce never issued, and one issued for another user
        assertThat(nonceLogin("reader", "made-up-nonce", sig(rk, "SHA256withRSA", "made-up-nonce")).statusCode()).isEqualTo(401);
        String forEc = nonce("ecuser");
        assertThat(nonceLogin("reader", forEc, sig(rk, "SHA256withRSA", forEc)).statusCode()).isEqualTo(401);
        // EC: DER (JDK) and raw r||s (WebCrypto) signatures
        String e1 = nonce("ecuser");
        HttpResponse<String> der = nonceLogin("ecuser", e1, sig(ek, "SHA256withECDSA", e1));
        assertThat(der.statusCode()).as(der.body()).isEqualTo(200);
        works(json(der).get("token").asText());
        String e2 = nonce("ecuser");
        assertThat(nonceLogin("ecuser", e2, sig(ek, "SHA256withECDSAinP1363Format", e2)).statusCode()).isEqualTo(200);
        // a revoked user cannot log in with a good signature
        w.admin("POST", "/users/ecuser-id/revoke", null);
        String e3 = nonce("ecuser");
        assertThat(nonceLogin("ecuser", e3, sig(ek, "SHA256withECDSA", e3)).statusCode()).isEqualTo(401);
    }
}
