package io.switchboard.server.tls;

import io.netty.buffer.ByteBufAllocator;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslHandler;
import io.netty.handler.ssl.SslProvider;
import io.switchboard.server.config.ConfigException;
import io.switchboard.server.config.ConfigKeys;
import io.switchboard.server.config.ServerConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import javax.net.ssl.SSLException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.List;

/**
 * The server side of TLS ({@code http.tls.*}): one {@link SslContext} on the JDK's own TLS
 * provider (no native library), from PEM files or the generated self-signed pair, and an
 * {@link SslHandler} per accepted connection, so HTTPS, WSS, SSE and every adapter share the one
 * port. Everything is checked at start-up: a missing, unreadable or mismatched file stops it with
 * a message naming the key.
 */
public final class ServerTls {
    private static final Logger LOG = LoggerFactory.getLogger(ServerTls.class);
    private final SslContext context;
    private final X509Certificate certificate;
    private final long handshakeTimeoutMs;

    private ServerTls(SslContext context, X509Certificate certificate, long handshakeTimeoutMs) {
        this.context = context;
        this.certificate = certificate;
        this.handshakeTimeoutMs = handshakeTimeoutMs;
    }

    /**
     * The TLS of {@code config}, or null when TLS is off (no {@code http.tls.*} set).
     *
     * @throws ConfigException for a contradictory setting or a file that cannot be used
     */
    public static ServerTls of(ServerConfig config) {
        boolean selfSigned = config.tlsSelfSigned();
        String certPath = config.tlsCertPath();
        String keyPath = config.tlsKeyPath();
        if (!selfSigned && certPath == null && keyPath == null) {
            return null;
        }
        Path cert;
        Path key;
        if (selfSigned) {
            if (certPath != null || keyPath != null) {
                throw new ConfigException(ConfigKeys.HTTP_TLS_SELF_SIGNED + ": set either selfSigned: true or"
                        + " certPath and keyPath, not both");
            }
            Path[] pair = SelfSignedFiles.ensure(config.dataDir(), config.host());
            cert = pair[0];
            key = pair[1];
        } else {
            if (certPath == null) {
                throw new ConfigException(ConfigKeys.HTTP_TLS_CERT_PATH + ": required with " + ConfigKeys.HTTP_TLS_KEY_PATH
                        + " (the PEM certificate chain of the key)");
            }
            if (keyPath == null) {
                throw new ConfigException(ConfigKeys.HTTP_TLS_KEY_PATH + ": required with " + ConfigKeys.HTTP_TLS_CERT_PATH
                        + " (the PEM private key of the certificate)");
            }
            cert = Path.of(certPath);
            key = Path.of(keyPath);
        }
        String certKey = selfSigned ? ConfigKeys.HTTP_TLS_SELF_SIGNED : ConfigKeys.HTTP_TLS_CERT_PATH;
        String keyKey = selfSigned ? ConfigKeys.HTTP_TLS_SELF_SIGNED : ConfigKeys.HTTP_TLS_KEY_PATH;
        List<X509Certificate> chain = PemFiles.certificates(certKey, cert);
        PrivateKey privateKey = PemFiles.privateKey(keyKey, key);
        requireMatch(keyKey, key, cert, privateKey, chain.get(0));
        if (chain.get(0).getNotAfter().toInstant().isBefore(Instant.now())) {
            LOG.warn("{}: the certificate in {} expired on {}; clients will refuse it", certKey, cert,
                    chain.get(0).getNotAfter().toInstant());
        }
        try {
            SslContext ctx = SslContextBuilder.forServer(privateKey, chain)
                    .sslProvider(SslProvider.JDK)
                    .protocols("TLSv1.3", "TLSv1.2")
                    .build();
            return new ServerTls(ctx, chain.get(0), Math.max(1000, config.requestTimeoutMs()));
        } catch (SSLException | IllegalArgumentException e) {
            throw new ConfigException(certKey + ": cannot use " + cert + " with " + key + ": " + e.getMessage());
        }
    }

    /** Proves the key belongs to the certificate: a signature by the key verifies with the certificate's public key. */
    private static void requireMatch(String keyKey, Path keyFile, Path certFile, PrivateKey key, X509Certificate cert) {
        String alg = switch (key.getAlgorithm()) {
            case "RSA" -> "SHA256withRSA";
            case "EC" -> "SHA256withECDSA";
            case "Ed25519", "EdDSA" -> "Ed25519";
            default -> throw new ConfigException(keyKey + ": " + keyFile + " holds a " + key.getAlgorithm()
                    + " key; use an RSA or EC key");
        };
        byte[] probe = "switchboard tls key check".getBytes(StandardCharsets.US_ASCII);
        boolean ok;
        try {
            Signature s = Signature.getInstance(alg);
            s.initSign(key);
            s.update(probe);
            byte[] sig = s.sign();
            Signature v = Signature.getInstance(alg);
            v.initVerify(cert.getPublicKey());
            v.update(probe);
            ok = v.verify(sig);
        } catch (GeneralSecurityException e) {
            ok = false; // e.g. an EC key against an RSA certificate
        }
        if (!ok) {
            throw new ConfigException(keyKey + ": the private key in " + keyFile + " does not belong to the certificate in "
                    + certFile);
        }
    }

    /** A handler for one accepted connection; a handshake must finish within {@code limits.requestTimeoutMs}. */
    public SslHandler newHandler(ByteBufAllocator alloc) {
        SslHandler h = context.newHandler(alloc);
        h.setHandshakeTimeoutMillis(handshakeTimeoutMs);
        return h;
    }

    /** The certificate the server presents (the leaf). */
    public X509Certificate certificate() {
        return certificate;
    }
}
