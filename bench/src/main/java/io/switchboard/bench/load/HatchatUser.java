package io.switchboard.bench.load;

import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.Signature;
import java.time.Instant;
import java.util.Base64;
import java.util.UUID;

/** A Hatch@ user for the bench: an RSA key pair, its PEM, and the RS512 tokens it signs itself. */
final class HatchatUser {
    final String id = UUID.randomUUID().toString();
    final String pem;
    private final KeyPair keys;

    HatchatUser() throws Exception {
        KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
        g.initialize(2048);
        keys = g.generateKeyPair();
        pem = "-----BEGIN PUBLIC KEY-----\n" + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
                .encodeToString(keys.getPublic().getEncoded()) + "\n-----END PUBLIC KEY-----\n";
    }

    /** {@code Bearer} + a token valid for 4 minutes (under the server's 5-minute cap for client-signed tokens). */
    String token() throws Exception {
        Base64.Encoder b64 = Base64.getUrlEncoder().withoutPadding();
        String head = b64.encodeToString("{\"alg\":\"RS512\",\"typ\":\"JWT\"}".getBytes(StandardCharsets.UTF_8));
        String claim = b64.encodeToString(("{\"id\":\"" + id + "\",\"exp\":" + Instant.now().plusSeconds(240).getEpochSecond() + "}")
                .getBytes(StandardCharsets.UTF_8));
        Signature s = Signature.getInstance("SHA512withRSA");
        s.initSign(keys.getPrivate());
        s.update((head + "." + claim).getBytes(StandardCharsets.US_ASCII));
        return "Bearer " + head + "." + claim + "." + b64.encodeToString(s.sign());
    }
}
