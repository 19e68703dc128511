package io.switchboard.core.security;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.crypto.ECDSAVerifier;
import com.nimbusds.jose.crypto.RSASSAVerifier;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.OctetKeyPair;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jwt.SignedJWT;

import java.nio.charset.StandardCharsets;
import java.security.KeyFactory;
import java.security.PublicKey;
import java.security.Signature;
import java.security.interfaces.ECPublicKey;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.X509EncodedKeySpec;
import java.util.Base64;

/**
 * Users' registered public keys (RSA, EC or Ed25519; PEM "PUBLIC KEY", PEM "RSA PUBLIC KEY" (PKCS#1) or JWK) and the checks made
 * with them: a client-signed JWT, or a signature over a login nonce. Ed25519 is verified with the
 * JDK's own {@code Signature("Ed25519")}, so no Tink is needed.
 */
public final class PublicKeys {
    /** DER prefix of an X.509 SubjectPublicKeyInfo for a raw 32-byte Ed25519 key. */
    private static final byte[] ED25519_SPKI_PREFIX = {0x30, 0x2a, 0x30, 0x05, 0x06, 0x03, 0x2b, 0x65, 0x70, 0x03, 0x21, 0x00};

    private PublicKeys() {
    }

    /**
     * A key's identity whatever its text form (PEM of either kind, JWK, whitespace): its X.509
     * SubjectPublicKeyInfo DER, base64. IllegalArgumentException when {@code text} is no key.
     */
    public static String fingerprint(String text) {
        return fingerprint(parse(text));
    }

    /** The identity of a parsed key, as {@link #fingerprint(String)}. */
    public static String fingerprint(PublicKey key) {
        return Base64.getEncoder().encodeToString(key.getEncoded());
    }

    /** Parses a PEM or JWK public key; throws IllegalArgumentException when it is neither. */
    public static PublicKey parse(String text) {
        String t = text == null ? "" : text.trim();
        try {
            if (t.startsWith("{")) {
                JWK jwk = JWK.parse(t);
                if (jwk.isPrivate()) {
                    throw new IllegalArgumentException("a private key was given; register the public key only");
                }
                if (jwk instanceof RSAKey r) {
                    return r.toRSAPublicKey();
                }
                if (jwk instanceof ECKey e) {
                    return e.toECPublicKey();
                }
                if (jwk instanceof OctetKeyPair okp && "Ed25519".equals(okp.getCurve().getName())) {
                    byte[] raw = okp.getDecodedX();
                    byte[] der = new byte[ED25519_SPKI_PREFIX.length + raw.length];
                    System.arraycopy(ED25519_SPKI_PREFIX, 0, der, 0, ED25519_SPKI_PREFIX.length);
                    System.arraycopy(raw, 0, der, ED25519_SPKI_PREFIX.length, raw.length);
                    return KeyFactory.getInstance("Ed25519").generatePublic(new X509EncodedKeySpec(der));
                }
                throw new IllegalArgumentException("unsupported key type");
            }
            if (t.startsWith("-----BEGIN RSA PUBLIC KEY-----")) {
                String b64 = t.replace("-----BEGIN RSA PUBLIC KEY-----", "").replace("-----END RSA PUBLIC KEY-----", "")
                        .replaceAll("\\s", "");
                return KeyFactory.getInstance("RSA").generatePublic(new X509EncodedKeySpec(spkiOfRsa(Base64.getDecoder().decode(b64))));
            }
            if (!t.startsWith("-----BEGIN PUBLIC KEY-----")) {
                throw new IllegalArgumentException("expected a PEM public key or a JWK");
            }
            String b64 = t.replace("-----BEGIN PUBLIC KEY-----", "").replace("-----END PUBLIC KEY-----", "")
                    .replaceAll("\\s", "");
            X509EncodedKeySpec spec = new X509EncodedKeySpec(Base64.getDecoder().decode(b64));
            for (String alg : new String[] {"RSA", "EC", "Ed25519"}) {
                try {
                    return KeyFactory.getInstance(alg).generatePublic(spec);
                } catch (Exception ignored) {
                    // try the next key type
                }
            }
            throw new IllegalArgumentException("unsupported key type");
        } catch (IllegalArgumentException e) {
            throw e;
        } catch (Exception e) {
            throw new IllegalArgumentException("invalid public key");
        }
    }

    /** DER of rsaEncryption's AlgorithmIdentifier: SEQUENCE { OID 1.2.840.113549.1.1.1, NULL }. */
    private static final byte[] RSA_ALGORITHM_ID = {0x30, 0x0d, 0x06, 0x09, 0x2a, (byte) 0x86, 0x48, (byte) 0x86,
            (byte) 0xf7, 0x0d, 0x01, 0x01, 0x01, 0x05, 0x00};

    /** Wraps a PKCS#1 RSAPublicKey in an X.509 SubjectPublicKeyInfo (what the JDK reads). */
    static byte[] spkiOfRsa(byte[] pkcs1) {
        byte[] bitString = der(0x03, concat(new byte[] {0}, pkcs1));
        return der(0x30, concat(RSA_ALGORITHM_ID, bitString));
    }

    private static byte[] der(int tag, byte[] content) {
        int n = content.length;
        byte[] len = n < 0x80 ? new byte[] {(byte) n}
                : n < 0x100 ? new byte[] {(byte) 0x81, (byte) n}
                : n < 0x10000 ? new byte[] {(byte) 0x82, (byte) (n >> 8), (byte) n}
                : new byte[] {(byte) 0x83, (byte) (n >> 16), (byte) (n >> 8), (byte) n};
        return concat(new byte[] {(byte) tag}, concat(len, content));
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] out = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }

    /**
     * Verifies a JWS with {@code key}. The algorithm must fit the key type (RS/PS for RSA, ES for
     * EC, EdDSA for Ed25519): an HMAC or mismatched header is refused, which closes the
     * key-confusion attacks.
     */
    public static boolean verify(SignedJWT jwt, PublicKey key) {
        JWSAlgorithm alg = jwt.getHeader().getAlgorithm();
        try {
            if (key instanceof RSAPublicKey rsa && JWSAlgorithm.Family.RSA.contains(alg)) {
                return jwt.verify(new RSASSAVerifier(rsa));
            }
            if (key instanceof ECPublicKey ec && JWSAlgorithm.Family.EC.contains(alg)) {
                return jwt.verify(new ECDSAVerifier(ec));
            }
            if (key.getAlgorithm().equals("EdDSA") || key.getAlgorithm().equals("Ed25519")) {
                if (!JWSAlgorithm.EdDSA.equals(alg) && !JWSAlgorithm.Ed25519.equals(alg)) {
                    return false;
                }
                Signature s = Signature.getInstance("Ed25519");
                s.initVerify(key);
                s.update(jwt.getSigningInput());
                return s.verify(jwt.getSignature().decode());
            }
        } catch (Exception e) {
            return false;
        }
        return false;
    }

    /**
     * Verifies a detached signature over {@code message} (UTF-8): SHA256withRSA, SHA256withECDSA
     * (DER, or raw r||s as WebCrypto makes it) or Ed25519, by key type.
     */
    public static boolean verifySignature(PublicKey key, String message, byte[] signature) {
        return verifySignature(key, message.getBytes(StandardCharsets.UTF_8), signature);
    }

    /** As {@link #verifySignature(PublicKey, String, byte[])}, over raw {@code message} bytes. */
    public static boolean verifySignature(PublicKey key, byte[] message, byte[] signature) {
        String alg = switch (key.getAlgorithm()) {
            case "RSA" -> "SHA256withRSA";
            case "EC" -> "SHA256withECDSA";
            case "EdDSA", "Ed25519" -> "Ed25519";
            default -> null;
        };
        if (alg == null || signature == null) {
            return false;
        }
        if (check(alg, key, message, signature)) {
            return true;
        }
        // EC signatures also in the raw r||s form of JOSE and WebCrypto, besides DER
        return alg.equals("SHA256withECDSA") && check("SHA256withECDSAinP1363Format", key, message, signature);
    }

    /** The signature algorithms {@link #verifyWith} accepts, each for RSA keys. */
    private static final java.util.Set<String> CLAIM_ALGORITHMS = java.util.Set.of("SHA256withRSA", "SHA512withRSA");

    /**
     * Verifies {@code signature} over {@code message} (UTF-8) with {@code alg}, one of
     * {@code SHA256withRSA} or {@code SHA512withRSA}; false for another algorithm or a key that
     * is not RSA.
     */
    public static boolean verifyWith(String alg, PublicKey key, String message, byte[] signature) {
        if (!CLAIM_ALGORITHMS.contains(alg) || !"RSA".equals(key.getAlgorithm()) || signature == null) {
            return false;
        }
        return check(alg, key, message, signature);
    }

    private static boolean check(String alg, PublicKey key, String message, byte[] signature) {
        return check(alg, key, message.getBytes(StandardCharsets.UTF_8), signature);
    }

    private static boolean check(String alg, PublicKey key, byte[] message, byte[] signature) {
        try {
            Signature s = Signature.getInstance(alg);
            s.initVerify(key);
            s.update(message);
            return s.verify(signature);
        } catch (Exception e) {
            return false;
        }
    }
}
