package io.switchboard.server.security;

import io.switchboard.core.security.SecurityConfig;
import io.switchboard.server.config.ConfigException;
import io.switchboard.server.config.ConfigLoader;
import io.switchboard.server.config.ServerConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.interfaces.ECPublicKey;
import java.security.spec.ECGenParameterSpec;
import java.util.Base64;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** {@code auth.signingAlg/signingKeyPath/verifyKeyPath} and {@code auth.issuers}: mapping and start-up validation. */
class SigningAndIssuerSettingsTest {
    @TempDir
    Path dir;

    ServerConfig base() {
        return ServerConfig.defaults().withDataDir(dir).withJwtSecret("settings-test-secret-0123456789abcdef");
    }

    static String pem(String type, byte[] der) {
        return "-----BEGIN " + type + "-----\n" + Base64.getMimeEncoder().encodeToString(der) + "\n-----END " + type + "-----\n";
    }

    Path write(String name, String text) throws Exception {
        Path p = dir.resolve(name);
        Files.writeString(p, text);
        return p;
    }

    static KeyPair ec(String curve) throws Exception {
        KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
        g.initialize(new ECGenParameterSpec(curve));
        return g.generateKeyPair();
    }

    static KeyPair rsa(int bits) throws Exception {
        KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
        g.initialize(bits);
        return g.generateKeyPair();
    }

    private void fails(ServerConfig c, String... parts) {
        assertThatThrownBy(() -> SecuritySettings.of(c)).isInstanceOf(ConfigException.class).message().contains(parts);
    }

    @Test
    void signingKeysAreLoadedDerivedAndChecked() throws Exception {
        KeyPair r = rsa(2048);
        Path rk = write("rsa.pem", pem("PRIVATE KEY", r.getPrivate().getEncoded()));
        SecurityConfig sc = SecuritySettings.of(base().withSigningKey("RS256", rk));
        assertThat(sc.signingKey().getPublic()).isEqualTo(r.getPublic());
        // EC: the public key is derived from the private scalar
        KeyPair e = ec("secp256r1");
        Path ek = write("ec.pem", pem("PRIVATE KEY", e.getPrivate().getEncoded()));
        SecurityConfig ecc = SecuritySettings.of(base().withSigningKey("es256", ek));
        assertThat(((ECPublicKey) ecc.signingKey().getPublic()).getW()).isEqualTo(((ECPublicKey) e.getPublic()).getW());
        // verifyKeyPath given and matching
        Path ep = write("ec.pub", pem("PUBLIC KEY", e.getPublic().getEncoded()));
        assertThat(SecuritySettings.of(base().withSigningKey("ES256", ek).with("auth.verifyKeyPath", ep.toString()))
                .signingKey().getPublic()).isEqualTo(e.getPublic());
        // default HS256: no key pair
        assertThat(SecuritySettings.of(base()).signingKey()).isNull();

        fails(base().with("auth.signingAlg", "RS256"), "auth.signingKeyPath", "required");
        fails(base().with("auth.signingKeyPath", rk.toString()), "auth.signingKeyPath", "HS256");
        fails(base().withSigningKey("ES256", rk), "auth.signingKeyPath", "RSA", "ES256");
        fails(base().withSigningKey("RS256", ek), "auth.signingKeyPath", "EC", "RS256");
        fails(base().withSigningKey("RS256", dir.resolve("missing.pem")), "auth.signingKeyPath", "cannot read");
        fails(base().withSigningKey("RS256", write("pub.pem", pem("PUBLIC KEY", r.getPublic().getEncoded()))),
                "auth.signingKeyPath", "PRIVATE KEY");
        fails(base().withSigningKey("RS256", write("pkcs1.pem", pem("RSA PRIVATE KEY", new byte[] {1, 2, 3}))),
                "auth.signingKeyPath", "pkcs8");
        fails(base().withSigningKey("RS256", write("weak.pem", pem("PRIVATE KEY", rsa(1024).getPrivate().getEncoded()))),
                "auth.signingKeyPath", "2048");
        fails(base().withSigningKey("ES256", write("p384.pem", pem("PRIVATE KEY", ec("secp384r1").getPrivate().getEncoded()))),
                "auth.signingKeyPath", "P-256");
        Path other = write("other.pub", pem("PUBLIC KEY", ec("secp256r1").getPublic().getEncoded()));
        fails(base().withSigningKey("ES256", ek).with("auth.verifyKeyPath", other.toString()), "auth.verifyKeyPath", "does not match");
        assertThatThrownBy(() -> base().with("auth.signingAlg", "PS256")).isInstanceOf(ConfigException.class)
                .hasMessageContaining("auth.signingAlg");
    }

    @Test
    void issuersFromYamlAndValidation() throws Exception {
        KeyPair r = rsa(2048);
        Path jwks = write("jwks.json", "{\"keys\":[" + new com.nimbusds.jose.jwk.RSAKey.Builder(
                (java.security.interfaces.RSAPublicKey) r.getPublic()).keyID("k1").build().toJSONString() + "]}");
        Path yaml = write("c.yaml", "auth:\n  issuers:\n"
                + "    - issuer: https://idp.test\n      jwksPath: " + jwks + "\n      audience: api\n"
                + "    - {issuer: https://other.test, jwksUrl: 'https://other.test/.well-known/jwks.json'}\n");
        ServerConfig c = ConfigLoader.load(yaml, Map.of(), Map.of()).withDataDir(dir)
                .withJwtSecret("settings-test-secret-0123456789abcdef");
        SecurityConfig sc = SecuritySettings.of(c);
        assertThat(sc.trustedIssuers()).hasSize(2);
        assertThat(sc.trustedIssuers().get(0).issuer()).isEqualTo("https://idp.test");
        assertThat(sc.trustedIssuers().get(0).audience()).isEqualTo("api");
        assertThat(sc.trustedIssuers().get(0).jwksJson()).contains("\"k1\"");
        assertThat(sc.trustedIssuers().get(1).jwksUrl()).isEqualTo("https://other.test/.well-known/jwks.json");
        assertThat(sc.trustedIssuers().get(1).jwksJson()).isNull();
        // the same as a JSON array in an env var
        ServerConfig fromEnv = ConfigLoader.load(null, Map.of("SWITCHBOARD_AUTH_ISSUERS",
                "[{\"issuer\":\"https://idp.test\",\"jwksPath\":\"" + jwks + "\"}]"), Map.of()).withDataDir(dir)
                .withJwtSecret("settings-test-secret-0123456789abcdef");
        assertThat(SecuritySettings.of(fromEnv).trustedIssuers()).hasSize(1);

        fails(base().withIssuers("{\"issuer\":\"x\"}"), "auth.issuers", "list");
        fails(base().withIssuers("[{\"jwksUrl\":\"https://a.test/j\"}]"), "auth.issuers[0].issuer", "required");
        fails(base().withIssuers("[{\"issuer\":\"a\"}]"), "auth.issuers[0]", "jwksPath", "jwksUrl");
        fails(base().withIssuers("[{\"issuer\":\"a\",\"jwksPath\":\"" + jwks + "\",\"jwksUrl\":\"https://a.test/j\"}]"),
                "auth.issuers[0]", "exactly one");
        fails(base().withIssuers("[{\"issuer\":\"a\",\"jwksUrl\":\"file:///etc/passwd\"}]"), "auth.issuers[0].jwksUrl");
        fails(base().withIssuers("[{\"issuer\":\"a\",\"jwksPath\":\"" + dir.resolve("nope.json") + "\"}]"),
                "auth.issuers[0].jwksPath", "cannot read");
        fails(base().withIssuers("[{\"issuer\":\"a\",\"jwksPath\":\"" + write("bad.json", "{\"nope\":1}") + "\"}]"),
                "auth.issuers[0].jwksPath");
        fails(base().withIssuers("[{\"issuer\":\"switchboard\",\"jwksPath\":\"" + jwks + "\"}]"),
                "auth.issuers[0].issuer", "auth.issuer");
        fails(base().withIssuers("[{\"issuer\":\"a\",\"jwksPath\":\"" + jwks + "\",\"aud\":\"x\"}]"),
                "auth.issuers[0]", "unknown field 'aud'");
        fails(base().withIssuers("[{\"issuer\":\"a\",\"jwksPath\":\"" + jwks + "\"},{\"issuer\":\"a\",\"jwksPath\":\"" + jwks + "\"}]"),
                "auth.issuers[1].issuer", "twice");
    }
}
