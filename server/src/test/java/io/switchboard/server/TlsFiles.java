package io.switchboard.server;

import org.bouncycastle.asn1.ASN1Encodable;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.asn1.sec.ECPrivateKey;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.openssl.jcajce.JcaPKCS8Generator;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.util.io.pem.PemObject;

import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import java.io.InputStream;
import java.io.StringWriter;
import java.math.BigInteger;
import java.net.http.HttpClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;

/** Keys and certificates in the PEM formats operators have, and clients that trust a given certificate. */
final class TlsFiles {
    private TlsFiles() {
    }

    /** How a test writes its private key. */
    enum KeyFormat { PKCS8, TRADITIONAL }

    /** A fresh key of {@code alg} ("RSA" or "EC") and a certificate for 127.0.0.1/localhost. */
    static KeyPair keyPair(String alg) throws Exception {
        KeyPairGenerator g = KeyPairGenerator.getInstance(alg);
        g.initialize(alg.equals("RSA") ? 2048 : 256);
        return g.generateKeyPair();
    }

    static X509Certificate certificate(KeyPair pair) throws Exception {
        X500Name name = new X500Name("CN=localhost");
        Instant now = Instant.now();
        var b = new JcaX509v3CertificateBuilder(name, BigInteger.valueOf(now.toEpochMilli()),
                Date.from(now.minus(Duration.ofHours(1))), Date.from(now.plus(Duration.ofDays(2))), name, pair.getPublic());
        b.addExtension(Extension.subjectAlternativeName, false, new GeneralNames(new GeneralName[] {
                new GeneralName(GeneralName.dNSName, "localhost"), new GeneralName(GeneralName.iPAddress, "127.0.0.1")}));
        String sig = pair.getPrivate().getAlgorithm().equals("RSA") ? "SHA256withRSA" : "SHA256withECDSA";
        X509CertificateHolder h = b.build(new JcaContentSignerBuilder(sig).build(pair.getPrivate()));
        return new JcaX509CertificateConverter().getCertificate(h);
    }

    static Path writeCert(Path file, X509Certificate cert) throws Exception {
        Files.writeString(file, pem(cert));
        return file;
    }

    /** PKCS#8 is {@code BEGIN PRIVATE KEY}; traditional is PKCS#1 (RSA) or SEC1 (EC). */
    static Path writeKey(Path file, KeyPair pair, KeyFormat format) throws Exception {
        String text;
        if (format == KeyFormat.PKCS8) {
            text = pem(new JcaPKCS8Generator(pair.getPrivate(), null).generate());
        } else if (pair.getPrivate().getAlgorithm().equals("EC")) {
            text = sec1(pair);
        } else {
            text = pem(pair.getPrivate());
        }
        Files.writeString(file, text);
        return file;
    }

    /** An EC key as {@code openssl ecparam -genkey} writes it: EC PARAMETERS, then EC PRIVATE KEY with the curve and public key. */
    private static String sec1(KeyPair pair) throws Exception {
        PrivateKeyInfo info = PrivateKeyInfo.getInstance(pair.getPrivate().getEncoded());
        ECPrivateKey inner = ECPrivateKey.getInstance(info.parsePrivateKey());
        ASN1Encodable curve = info.getPrivateKeyAlgorithm().getParameters();
        ECPrivateKey full = new ECPrivateKey(256, inner.getKey(),
                SubjectPublicKeyInfo.getInstance(pair.getPublic().getEncoded()).getPublicKeyData(), curve);
        return pem(new PemObject("EC PARAMETERS", curve.toASN1Primitive().getEncoded()))
                + pem(new PemObject("EC PRIVATE KEY", full.getEncoded()));
    }

    static String pem(Object o) throws Exception {
        StringWriter w = new StringWriter();
        try (JcaPEMWriter pw = new JcaPEMWriter(w)) {
            pw.writeObject(o);
        }
        return w.toString();
    }

    static X509Certificate read(Path pem) throws Exception {
        try (InputStream in = Files.newInputStream(pem)) {
            return (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(in);
        }
    }

    /** An SSLContext that trusts exactly {@code cert}. */
    static SSLContext trusting(X509Certificate cert) throws Exception {
        KeyStore ks = KeyStore.getInstance(KeyStore.getDefaultType());
        ks.load(null, null);
        ks.setCertificateEntry("server", cert);
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(ks);
        SSLContext ctx = SSLContext.getInstance("TLS");
        ctx.init(null, tmf.getTrustManagers(), null);
        return ctx;
    }

    /** A JDK HttpClient (HTTPS and WSS) that trusts exactly {@code cert}. */
    static HttpClient client(X509Certificate cert) throws Exception {
        return HttpClient.newBuilder().sslContext(trusting(cert)).connectTimeout(Duration.ofSeconds(5)).build();
    }
}
