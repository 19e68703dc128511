package io.switchboard.client;

import io.netty.buffer.ByteBufAllocator;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslHandler;
import io.netty.handler.ssl.SslProvider;

import javax.net.ssl.SSLException;
import java.security.cert.X509Certificate;
import java.util.List;

/**
 * How the client checks a server it reaches over {@code wss://}: the certificate must chain to
 * one of the {@link #trustedCertificates()} (e.g. the server's self-signed certificate), or, when
 * none are given, to the JDK's default trust store; the host name or IP address the client dials
 * must match the certificate. Runs on the JDK's own TLS (no native library).
 */
public final class ClientTls {
    private final List<X509Certificate> trusted;
    private final SslContext context;

    ClientTls(List<X509Certificate> trusted) {
        this.trusted = List.copyOf(trusted);
        try {
            SslContextBuilder b = SslContextBuilder.forClient().sslProvider(SslProvider.JDK)
                    .protocols("TLSv1.3", "TLSv1.2").endpointIdentificationAlgorithm("HTTPS");
            if (!this.trusted.isEmpty()) {
                b.trustManager(this.trusted);
            }
            this.context = b.build();
        } catch (SSLException e) {
            throw new IllegalArgumentException("cannot set up TLS with the trusted certificates: " + e.getMessage(), e);
        }
    }

    /** The certificates the client trusts; empty means the JDK's default trust store. */
    public List<X509Certificate> trustedCertificates() {
        return trusted;
    }

    /** A handler for one connection to {@code host:port} (SNI and host name check use {@code host}). */
    SslHandler newHandler(ByteBufAllocator alloc, String host, int port, long handshakeTimeoutMs) {
        SslHandler h = context.newHandler(alloc, host, port);
        h.setHandshakeTimeoutMillis(handshakeTimeoutMs);
        return h;
    }
}
