package io.switchboard.core.security;

import io.switchboard.core.engine.Engine;
import io.switchboard.core.engine.EngineOptions;
import io.switchboard.core.error.ErrorCode;
import io.switchboard.core.error.SwitchboardException;
import io.switchboard.core.op.Credentials;
import io.switchboard.core.pipeline.Pipeline;
import io.switchboard.core.result.DisconnectReason;
import io.switchboard.core.session.Session;
import io.switchboard.core.store.memory.MemoryData;
import io.switchboard.core.store.memory.MemoryStore;
import io.switchboard.core.testing.RecordingSink;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.Signature;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

/**
 * Nonces bound to a public key (asked for by key, signed as the nonce's base64-decoded bytes:
 * happn-3's digest login) and the parent/child link between a session that logged in and the
 * sessions that came in with its token.
 */
class KeyNonceAndChildSessionsTest {
    final AtomicLong now = new AtomicLong(1_700_000_000_000L);
    Engine engine;
    SecurityService security;
    Pipeline pipeline;
    KeyPair dan;
    KeyPair eve;

    @BeforeEach
    void open() throws Exception {
        EngineOptions d = EngineOptions.defaults();
        engine = new Engine(new MemoryStore(new MemoryData()),
                new EngineOptions(d.retention(), d.retentionIntervalMs(), d.maxQueryLimit(), d.maxCatchUpBuffer(), now::get));
        engine.start();
        security = new SecurityService(engine, SecurityConfig.secure(SecurityPipelineTest.SECRET).withAdminToken("k"));
        security.start();
        pipeline = security.install(Pipeline.builder(engine)).build();
        SecurityAdmin admin = security.systemAdmin();
        KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
        g.initialize(2048);
        dan = g.generateKeyPair();
        eve = g.generateKeyPair();
        admin.createUser(new User("dan-id", "dan", null, null, List.of(), List.of(), null, false, List.of(pem(dan)), null),
                "password-dan", null).join();
        admin.createUser(new User("eve-id", "eve", null, null, List.of(), List.of(), null, false, List.of(pem(eve)), null),
                "password-eve", null).join();
    }

    @AfterEach
    void close() {
        security.close();
        engine.close();
    }

    static String pem(KeyPair k) {
        return "-----BEGIN PUBLIC KEY-----\n" + Base64.getMimeEncoder().encodeToString(k.getPublic().getEncoded())
                + "\n-----END PUBLIC KEY-----\n";
    }

    /** The same key as PKCS#1 "RSA PUBLIC KEY" PEM, as happn-util-crypto writes it. */
    static String pkcs1Pem(KeyPair k) {
        byte[] spki = k.getPublic().getEncoded();
        // An RSA SPKI is the 24-byte header (algorithm id and bit-string prefix) before the PKCS#1 key.
        byte[] pkcs1 = java.util.Arrays.copyOfRange(spki, 24, spki.length);
        return "-----BEGIN RSA PUBLIC KEY-----\n" + Base64.getMimeEncoder().encodeToString(pkcs1)
                + "\n-----END RSA PUBLIC KEY-----\n";
    }

    static String sign(KeyPair k, byte[] message) throws Exception {
        Signature s = Signature.getInstance("SHA256withRSA");
        s.initSign(k.getPrivate());
        s.update(message);
        return Base64.getEncoder().encodeToString(s.sign());
    }

    Session login(Credentials c) {
        Session s = pipeline.openStateful(new RecordingSink(), "10.0.0.1", 0);
        pipeline.connect(s, c).join();
        return s;
    }

    ErrorCode fails(Credentials c) {
        Throwable t = catchThrowable(() -> login(c));
        return t == null ? null : SwitchboardException.of(t).code();
    }

    Credentials.SignedNonce digest(String user, String nonce, KeyPair signer, String namedKey) throws Exception {
        return new Credentials.SignedNonce(user, null, nonce, sign(signer, Base64.getDecoder().decode(nonce)), namedKey,
                Credentials.NonceBytes.BASE64);
    }

    @Test
    void aNonceAskedForByKeyLogsInWithItsDecodedBytesSigned() throws Exception {
        String key = pkcs1Pem(dan);
        String nonce = security.nonceForKey(key);
        assertThat(Base64.getDecoder().decode(nonce)).hasSize(32);
        Session s = login(digest("dan", nonce, dan, key));
        assertThat(SessionAuth.of(s).principal().username()).isEqualTo("dan");
        assertThat(SessionAuth.of(s).token()).isNotEmpty();
        // single use, even after a success
        assertThat(fails(digest("dan", nonce, dan, key))).isEqualTo(ErrorCode.UNAUTHENTICATED);
    }

    @Test
    void refusedKeyNonceLogins() throws Exception {
        String key = pem(dan);
        // signed as text while the door says bytes
        String n1 = security.nonceForKey(key);
        assertThat(fails(new Credentials.SignedNonce("dan", null, n1,
                sign(dan, n1.getBytes(StandardCharsets.UTF_8)), key, Credentials.NonceBytes.BASE64))).isEqualTo(ErrorCode.UNAUTHENTICATED);
        // the nonce was used by that failure
        assertThat(fails(digest("dan", n1, dan, key))).isEqualTo(ErrorCode.UNAUTHENTICATED);
        // another private key
        assertThat(fails(digest("dan", security.nonceForKey(key), eve, key))).isEqualTo(ErrorCode.UNAUTHENTICATED);
        // a key that is not the user's, correctly signed
        assertThat(fails(digest("dan", security.nonceForKey(pem(eve)), eve, pem(eve)))).isEqualTo(ErrorCode.UNAUTHENTICATED);
        // a nonce asked for one key, the login naming another
        assertThat(fails(digest("eve", security.nonceForKey(key), eve, pem(eve)))).isEqualTo(ErrorCode.UNAUTHENTICATED);
        // no key named for a key-bound nonce
        assertThat(fails(digest("dan", security.nonceForKey(key), dan, null))).isEqualTo(ErrorCode.UNAUTHENTICATED);
        // unknown user, and text that is no key at all still gets a nonce (no enumeration)
        assertThat(fails(digest("nobody", security.nonceForKey(key), dan, key))).isEqualTo(ErrorCode.UNAUTHENTICATED);
        assertThat(security.nonceForKey("not a key")).isNotEmpty();
        // expired: valid for 60 s
        String late = security.nonceForKey(key);
        now.addAndGet(Authenticator.NONCE_TTL_MS + 1);
        assertThat(fails(digest("dan", late, dan, key))).isEqualTo(ErrorCode.UNAUTHENTICATED);
    }

    @Test
    void aUserNonceStillSignsAsText() throws Exception {
        String nonce = security.nonce("dan", null);
        Session s = login(new Credentials.SignedNonce("dan", null, nonce, sign(dan, nonce.getBytes(StandardCharsets.UTF_8))));
        assertThat(SessionAuth.of(s).beganLogin()).isTrue();
        // a user's nonce is not a key's: naming a key does not make another user's nonce usable
        String forEve = security.nonce("eve", null);
        assertThat(fails(new Credentials.SignedNonce("dan", null, forEve, sign(dan, forEve.getBytes(StandardCharsets.UTF_8)),
                pem(dan), Credentials.NonceBytes.TEXT))).isEqualTo(ErrorCode.UNAUTHENTICATED);
    }

    @Test
    void endingChildSessionsEndsOnlyThoseOnTheParentsToken() {
        Session parent = login(new Credentials.Password("dan", null, "password-dan"));
        String token = SessionAuth.of(parent).token();
        RecordingSink childSink = new RecordingSink();
        Session child = pipeline.openStateful(childSink, "10.0.0.2", 0);
        pipeline.connect(child, new Credentials.Token(token)).join();
        Session other = login(new Credentials.Password("dan", null, "password-dan"));
        assertThat(SessionAuth.of(parent).beganLogin()).isTrue();
        assertThat(SessionAuth.of(child).beganLogin()).isFalse();
        assertThat(SessionAuth.of(child).loginSession()).isEqualTo(SessionAuth.of(parent).loginSession());

        // a child has no children of its own
        assertThat(security.endChildSessions(child, DisconnectReason.TOKEN_REVOKED)).isZero();
        assertThat(child.isClosed()).isFalse();

        assertThat(security.endChildSessions(parent, DisconnectReason.TOKEN_REVOKED)).isEqualTo(1);
        assertThat(child.isClosed()).isTrue();
        assertThat(parent.isClosed()).isFalse();
        assertThat(other.isClosed()).isFalse();
        // the token itself stays valid
        Session again = pipeline.openStateful(new RecordingSink(), "10.0.0.3", 0);
        pipeline.connect(again, new Credentials.Token(token)).join();
        assertThat(again.isClosed()).isFalse();
    }
}
