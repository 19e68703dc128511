package io.switchboard.server.security;

import io.switchboard.core.security.PublicKeys;
import io.switchboard.server.config.ConfigException;
import io.switchboard.server.config.ServerConfig;

import java.io.IOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Signature;
import java.security.interfaces.ECPrivateKey;
import java.security.interfaces.ECPublicKey;
import java.security.interfaces.RSAPrivateCrtKey;
import java.security.interfaces.RSAPrivateKey;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.ECFieldFp;
import java.security.spec.ECParameterSpec;
import java.security.spec.ECPoint;
import java.security.spec.ECPublicKeySpec;
import java.security.spec.EllipticCurve;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.RSAPublicKeySpec;
import java.util.Base64;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code auth.signingAlg}, {@code auth.signingKeyPath} and {@code auth.verifyKeyPath} → the key pair
 * the server signs its tokens with (null = HS256 with {@code auth.jwtSecret}). The private key is a
 * PEM PKCS#8 {@code PRIVATE KEY}; the public key is read from {@code auth.verifyKeyPath} or derived
 * from the private key. Every problem stops start-up with a message naming the key.
 */
final class SigningKeys {
    private static final Pattern PEM = Pattern.compile("-----BEGIN ([A-Z0-9 ]+)-----([^-]*)-----END \\1-----");

    private SigningKeys() {
    }

    static KeyPair of(ServerConfig c) {
        String alg = c.signingAlg();
        String keyPath = blankToNull(c.signingKeyPath());
        String verifyPath = blankToNull(c.verifyKeyPath());
        if (alg.equals("HS256")) {
            if (keyPath != null || verifyPath != null) {
                throw new ConfigException((keyPath != null ? "auth.signingKeyPath" : "auth.verifyKeyPath")
                        + ": is set but auth.signingAlg is HS256; set auth.signingAlg to RS256 or ES256");
            }
            return null;
        }
        if (keyPath == null) {
            throw new ConfigException("auth.signingKeyPath: is required when auth.signingAlg is " + alg);
        }
        PrivateKey priv = privateKey(read(keyPath, "auth.signingKeyPath"));
        boolean rsa = alg.equals("RS256");
        if (rsa && !(priv instanceof RSAPrivateKey) || !rsa && !(priv instanceof ECPrivateKey)) {
            throw new ConfigException("auth.signingKeyPath: holds an " + priv.getAlgorithm() + " key, but auth.signingAlg is "
                    + alg + " (RS256 needs an RSA key, ES256 an EC P-256 key)");
        }
        if (priv instanceof RSAPrivateKey r && r.getModulus().bitLength() < 2048) {
            throw new ConfigException("auth.signingKeyPath: the RSA key must have at least 2048 bits");
        }
        if (priv instanceof ECPrivateKey e && e.getParams().getCurve().getField().getFieldSize() != 256) {
            throw new ConfigException("auth.signingKeyPath: ES256 needs a key on curve P-256");
        }
        PublicKey pub;
        if (verifyPath != null) {
            try {
                pub = PublicKeys.parse(read(verifyPath, "auth.verifyKeyPath"));
            } catch (IllegalArgumentException e) {
                throw new ConfigException("auth.verifyKeyPath: " + e.getMessage());
            }
        } else {
            pub = derive(priv);
        }
        if (!matches(priv, pub)) {
            throw new ConfigException("auth.verifyKeyPath: does not match the private key of auth.signingKeyPath");
        }
        return new KeyPair(pub, priv);
    }

    private static String read(String path, String key) {
        try {
            return Files.readString(Path.of(path), StandardCharsets.US_ASCII);
        } catch (IOException | RuntimeException e) {
            throw new ConfigException(key + ": cannot read " + path + ": " + e.getMessage());
        }
    }

    static PrivateKey privateKey(String pem) {
        Matcher m = PEM.matcher(pem);
        while (m.find()) {
            String type = m.group(1);
            if (type.equals("PRIVATE KEY")) {
                byte[] der;
                try {
                    der = Base64.getMimeDecoder().decode(m.group(2).trim());
                } catch (IllegalArgumentException e) {
                    throw new ConfigException("auth.signingKeyPath: the PEM block is not valid base64");
                }
                for (String a : new String[] {"RSA", "EC"}) {
                    try {
                        return KeyFactory.getInstance(a).generatePrivate(new PKCS8EncodedKeySpec(der));
                    } catch (Exception ignored) {
                        // try the next type
                    }
                }
                throw new ConfigException("auth.signingKeyPath: holds neither an RSA nor an EC private key");
            }
            if (type.equals("RSA PRIVATE KEY") || type.equals("EC PRIVATE KEY") || type.equals("ENCRYPTED PRIVATE KEY")) {
                throw new ConfigException("auth.signingKeyPath: holds a '" + type + "' block; give an unencrypted PKCS#8 "
                        + "'PRIVATE KEY' (convert with: openssl pkcs8 -topk8 -nocrypt -in KEY -out KEY.pk8)");
            }
        }
        throw new ConfigException("auth.signingKeyPath: no PEM 'PRIVATE KEY' block found");
    }

    private static PublicKey derive(PrivateKey priv) {
        try {
            if (priv instanceof RSAPrivateCrtKey r) {
                return KeyFactory.getInstance("RSA").generatePublic(new RSAPublicKeySpec(r.getModulus(), r.getPublicExponent()));
            }
            if (priv instanceof ECPrivateKey e) {
                ECParameterSpec spec = e.getParams();
                ECPoint q = multiply(spec.getGenerator(), e.getS(), spec.getCurve());
                return KeyFactory.getInstance("EC").generatePublic(new ECPublicKeySpec(q, spec));
            }
        } catch (Exception e) {
            throw new ConfigException("auth.signingKeyPath: cannot derive the public key (" + e.getMessage()
                    + "); give it in auth.verifyKeyPath");
        }
        throw new ConfigException("auth.verifyKeyPath: the public key cannot be derived from this private key; give it here");
    }

    /** k·P on a prime curve, affine double-and-add; run once at start-up. */
    private static ECPoint multiply(ECPoint p, BigInteger k, EllipticCurve curve) {
        BigInteger mod = ((ECFieldFp) curve.getField()).getP();
        ECPoint r = ECPoint.POINT_INFINITY;
        for (int i = k.bitLength() - 1; i >= 0; i--) {
            r = add(r, r, curve.getA(), mod);
            if (k.testBit(i)) {
                r = add(r, p, curve.getA(), mod);
            }
        }
        return r;
    }

    private static ECPoint add(ECPoint p, ECPoint q, BigInteger a, BigInteger mod) {
        if (p.equals(ECPoint.POINT_INFINITY)) {
            return q;
        }
        if (q.equals(ECPoint.POINT_INFINITY)) {
            return p;
        }
        BigInteger l;
        if (p.getAffineX().equals(q.getAffineX())) {
            if (p.getAffineY().add(q.getAffineY()).mod(mod).signum() == 0) {
                return ECPoint.POINT_INFINITY;
            }
            BigInteger x = p.getAffineX();
            l = x.multiply(x).multiply(BigInteger.valueOf(3)).add(a)
                    .multiply(p.getAffineY().shiftLeft(1).modInverse(mod)).mod(mod);
        } else {
            l = q.getAffineY().subtract(p.getAffineY())
                    .multiply(q.getAffineX().subtract(p.getAffineX()).modInverse(mod)).mod(mod);
        }
        BigInteger x3 = l.multiply(l).subtract(p.getAffineX()).subtract(q.getAffineX()).mod(mod);
        BigInteger y3 = l.multiply(p.getAffineX().subtract(x3)).subtract(p.getAffineY()).mod(mod);
        return new ECPoint(x3, y3);
    }

    /** Signs a probe with the private key and checks it with the public one. */
    private static boolean matches(PrivateKey priv, PublicKey pub) {
        String alg = priv instanceof RSAPrivateKey ? "SHA256withRSA" : "SHA256withECDSA";
        if (priv instanceof RSAPrivateKey != pub instanceof RSAPublicKey || priv instanceof ECPrivateKey != pub instanceof ECPublicKey) {
            return false;
        }
        try {
            byte[] probe = "switchboard signing key check".getBytes(StandardCharsets.US_ASCII);
            Signature s = Signature.getInstance(alg);
            s.initSign(priv);
            s.update(probe);
            byte[] sig = s.sign();
            Signature v = Signature.getInstance(alg);
            v.initVerify(pub);
            v.update(probe);
            return v.verify(sig);
        } catch (Exception e) {
            return false;
        }
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s;
    }
}
