package io.switchboard.server.tls;

import io.switchboard.server.config.ConfigException;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.openssl.jcajce.JcaPKCS8Generator;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.SecureRandom;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.EnumSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The certificate of {@code http.tls.selfSigned}: an EC P-256 key and a self-signed certificate
 * for {@code localhost}, the loopback addresses, the listen address and the machine's name,
 * written to {@code data.dir/tls-cert.pem} and {@code data.dir/tls-key.pem} (owner-only) on the
 * first start and reused on every later one, so clients that trust it keep trusting it. An
 * expired one is replaced.
 */
final class SelfSignedFiles {
    private static final Logger LOG = LoggerFactory.getLogger(SelfSignedFiles.class);
    static final String CERT_FILE = "tls-cert.pem";
    static final String KEY_FILE = "tls-key.pem";
    private static final Duration VALIDITY = Duration.ofDays(3650);

    private SelfSignedFiles() {
    }

    /** The paths of the certificate and the key in {@code dataDir}, made first when absent or expired. */
    static Path[] ensure(Path dataDir, String listenHost) {
        Path cert = dataDir.resolve(CERT_FILE);
        Path key = dataDir.resolve(KEY_FILE);
        boolean hasCert = Files.exists(cert);
        boolean hasKey = Files.exists(key);
        if (hasCert != hasKey) {
            // Half a pair means someone removed or replaced a file: regenerating would silently
            // change the certificate clients trust.
            throw new ConfigException("http.tls.selfSigned: " + (hasCert ? key : cert) + " is missing while "
                    + (hasCert ? cert : key) + " exists; remove both to generate a new certificate");
        }
        if (hasCert && !expired(cert)) {
            return new Path[] {cert, key};
        }
        if (hasCert) {
            LOG.warn("the self-signed certificate {} has expired: generating a new one (clients must trust it again)", cert);
        }
        generate(cert, key, listenHost);
        LOG.info("generated a self-signed TLS certificate {} (key {}, owner-only); clients trust it with e.g."
                + " curl --cacert {}", cert, key, cert);
        return new Path[] {cert, key};
    }

    private static boolean expired(Path cert) {
        return PemFiles.certificates("http.tls.selfSigned", cert).get(0).getNotAfter().toInstant().isBefore(Instant.now());
    }

    private static void generate(Path cert, Path key, String listenHost) {
        try {
            KeyPairGenerator gen = KeyPairGenerator.getInstance("EC");
            gen.initialize(new ECGenParameterSpec("secp256r1"), new SecureRandom());
            KeyPair pair = gen.generateKeyPair();
            Instant now = Instant.now();
            X500Name subject = new X500Name("CN=localhost, O=Switchboard self-signed");
            X509v3CertificateBuilder b = new JcaX509v3CertificateBuilder(subject,
                    new BigInteger(64, new SecureRandom()).abs().add(BigInteger.ONE),
                    Date.from(now.minus(Duration.ofDays(1))), Date.from(now.plus(VALIDITY)), subject, pair.getPublic());
            b.addExtension(Extension.subjectAlternativeName, false, new GeneralNames(names(listenHost)));
            b.addExtension(Extension.basicConstraints, true, new BasicConstraints(false));
            b.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature | KeyUsage.keyAgreement));
            b.addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(KeyPurposeId.id_kp_serverAuth));
            X509CertificateHolder holder = b.build(new JcaContentSignerBuilder("SHA256withECDSA").build(pair.getPrivate()));
            // Key first, owner-only from its creation; each file appears whole (written aside, then moved).
            writeAtomically(key, pem(new JcaPKCS8Generator(pair.getPrivate(), null).generate()), true);
            writeAtomically(cert, pem(holder), false);
        } catch (GeneralSecurityException | OperatorCreationException | IOException e) {
            throw new ConfigException("http.tls.selfSigned: cannot generate a certificate in " + cert.getParent()
                    + ": " + e.getMessage());
        }
    }

    /** DNS names and IP addresses the certificate is valid for. */
    private static GeneralName[] names(String listenHost) {
        Set<String> dns = new LinkedHashSet<>(List.of("localhost"));
        Set<String> ips = new LinkedHashSet<>(List.of("127.0.0.1", "::1"));
        if (listenHost != null && !listenHost.isBlank() && !listenHost.equals("0.0.0.0") && !listenHost.equals("::")) {
            (isIp(listenHost) ? ips : dns).add(listenHost);
        }
        try {
            String name = InetAddress.getLocalHost().getHostName();
            if (name != null && !name.isBlank() && !isIp(name)) {
                dns.add(name);
            }
        } catch (IOException e) {
            // No resolvable machine name: localhost and the loopback addresses still work.
        }
        List<GeneralName> out = new ArrayList<>();
        dns.forEach(d -> out.add(new GeneralName(GeneralName.dNSName, d)));
        ips.forEach(ip -> out.add(new GeneralName(GeneralName.iPAddress, ip)));
        return out.toArray(GeneralName[]::new);
    }

    private static boolean isIp(String host) {
        return host.matches("[0-9.]+") || host.contains(":");
    }

    private static String pem(Object o) throws IOException {
        StringWriter w = new StringWriter();
        try (JcaPEMWriter pw = new JcaPEMWriter(w)) {
            pw.writeObject(o);
        }
        return w.toString();
    }

    private static void writeAtomically(Path file, String content, boolean ownerOnly) throws IOException {
        Path dir = file.toAbsolutePath().getParent();
        Files.createDirectories(dir);
        boolean posix = file.getFileSystem().supportedFileAttributeViews().contains("posix");
        Set<PosixFilePermission> perms = ownerOnly
                ? EnumSet.of(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE)
                : PosixFilePermissions.fromString("rw-r--r--");
        Path tmp = posix
                ? Files.createTempFile(dir, file.getFileName().toString(), ".tmp", PosixFilePermissions.asFileAttribute(perms))
                : Files.createTempFile(dir, file.getFileName().toString(), ".tmp");
        try {
            if (!posix && ownerOnly) {
                java.io.File f = tmp.toFile();
                f.setReadable(false, false);
                f.setReadable(true, true);
                f.setWritable(false, false);
                f.setWritable(true, true);
            }
            Files.writeString(tmp, content, StandardCharsets.US_ASCII);
            Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException | UncheckedIOException e) {
            Files.deleteIfExists(tmp);
            throw e;
        }
    }
}
