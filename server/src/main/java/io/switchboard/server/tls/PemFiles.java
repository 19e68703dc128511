package io.switchboard.server.tls;

import io.switchboard.server.config.ConfigException;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.openssl.PEMEncryptedKeyPair;
import org.bouncycastle.openssl.PEMKeyPair;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;
import org.bouncycastle.pkcs.PKCS8EncryptedPrivateKeyInfo;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.PrivateKey;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads the PEM files of {@code http.tls.*}: a certificate chain (leaf first) and an unencrypted
 * private key as PKCS#8 ({@code BEGIN PRIVATE KEY}), PKCS#1 ({@code BEGIN RSA PRIVATE KEY}) or
 * SEC1 ({@code BEGIN EC PRIVATE KEY}). Every failure is a {@link ConfigException} naming the
 * key and the file, so a bad file stops start-up with a message an operator can act on.
 */
final class PemFiles {
    private PemFiles() {
    }

    /** The certificates of {@code file} in file order; at least one. */
    static List<X509Certificate> certificates(String key, Path file) {
        List<X509Certificate> out = new ArrayList<>();
        JcaX509CertificateConverter converter = new JcaX509CertificateConverter();
        for (Object o : objects(key, file)) {
            if (o instanceof X509CertificateHolder holder) {
                try {
                    out.add(converter.getCertificate(holder));
                } catch (CertificateException e) {
                    throw new ConfigException(key + ": " + file + " holds an unreadable certificate: " + e.getMessage());
                }
            }
        }
        if (out.isEmpty()) {
            throw new ConfigException(key + ": " + file + " holds no PEM certificate (-----BEGIN CERTIFICATE-----)");
        }
        return out;
    }

    /** The one private key of {@code file}. */
    static PrivateKey privateKey(String key, Path file) {
        JcaPEMKeyConverter converter = new JcaPEMKeyConverter();
        for (Object o : objects(key, file)) {
            try {
                if (o instanceof PrivateKeyInfo info) {
                    return converter.getPrivateKey(info);
                }
                if (o instanceof PEMKeyPair pair) {
                    return converter.getPrivateKey(pair.getPrivateKeyInfo());
                }
            } catch (IOException e) {
                throw new ConfigException(key + ": " + file + " holds a private key this server cannot use: " + e.getMessage());
            }
            if (o instanceof PKCS8EncryptedPrivateKeyInfo || o instanceof PEMEncryptedKeyPair) {
                throw new ConfigException(key + ": " + file + " holds an encrypted private key; give an unencrypted one"
                        + " (openssl pkey -in encrypted.pem -out key.pem) and make it readable by the server's user only");
            }
        }
        throw new ConfigException(key + ": " + file + " holds no PEM private key (-----BEGIN PRIVATE KEY-----,"
                + " RSA PRIVATE KEY or EC PRIVATE KEY)");
    }

    /** Every PEM object of {@code file}; an unreadable file or a broken PEM block is a ConfigException. */
    private static List<Object> objects(String key, Path file) {
        if (!Files.exists(file)) {
            throw new ConfigException(key + ": " + file + " does not exist");
        }
        if (!Files.isRegularFile(file)) {
            throw new ConfigException(key + ": " + file + " is not a file");
        }
        List<Object> out = new ArrayList<>();
        try (Reader r = Files.newBufferedReader(file, StandardCharsets.US_ASCII); PEMParser parser = new PEMParser(r)) {
            for (Object o = parser.readObject(); o != null; o = parser.readObject()) {
                out.add(o);
            }
        } catch (AccessDeniedException e) {
            throw new ConfigException(key + ": " + file + " is not readable by this process");
        } catch (NoSuchFileException e) {
            throw new ConfigException(key + ": " + file + " does not exist");
        } catch (IOException | RuntimeException e) {
            // PEMParser throws IOException (or, for bad base64, a runtime exception) on a broken block.
            throw new ConfigException(key + ": " + file + " is not a readable PEM file: " + e.getMessage());
        }
        return out;
    }
}
