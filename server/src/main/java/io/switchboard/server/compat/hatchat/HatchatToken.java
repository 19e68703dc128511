package io.switchboard.server.compat.hatchat;

import com.fasterxml.jackson.databind.JsonNode;
import io.switchboard.core.error.ErrorCode;
import io.switchboard.core.error.SwitchboardException;
import io.switchboard.core.json.Json;
import io.switchboard.core.op.Credentials;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.Base64;

/**
 * Hatch@'s self-signed token: {@code Authorization: [Bearer ]b64(header).b64(claim).b64(signature)}
 * with claim {@code {id, exp}} and an RSA-SHA512 (PKCS#1 v1.5) signature over
 * {@code "<seg1>.<seg2>"}. Translated into {@link Credentials.SignedClaim}; the pipeline's
 * authentication verifies it against the user's registered key. {@code exp} is accepted as
 * epoch seconds, epoch milliseconds or ISO-8601, and enforced (the original never enforced it).
 */
final class HatchatToken {
    /** Numbers below this are epoch seconds, from it on epoch milliseconds (1e11 s is the year 5138). */
    private static final long SECONDS_LIMIT = 100_000_000_000L;

    private HatchatToken() {
    }

    /** The credentials of an {@code Authorization} header; NONE when there is none. */
    static Credentials parse(String header) {
        if (header == null || header.isBlank()) {
            return Credentials.NONE;
        }
        String t = header.trim();
        if (t.regionMatches(true, 0, "Bearer ", 0, 7)) {
            t = t.substring(7).trim();
        }
        String[] parts = t.split("\\.", -1);
        if (parts.length != 3 || parts[0].isEmpty() || parts[1].isEmpty() || parts[2].isEmpty()) {
            throw unauthenticated("malformed token");
        }
        JsonNode claim;
        try {
            claim = Json.parse(new String(b64(parts[1]), StandardCharsets.UTF_8));
        } catch (Exception e) {
            throw unauthenticated("malformed token claim");
        }
        if (claim == null || !claim.isObject() || !claim.path("id").isTextual()) {
            throw unauthenticated("token claim needs an id");
        }
        return new Credentials.SignedClaim(claim.get("id").asText(), parts[0] + "." + parts[1], b64(parts[2]),
                "SHA512withRSA", exp(claim.get("exp")));
    }

    /** {@code exp} in epoch ms: seconds, milliseconds or an ISO-8601 instant; null when absent. */
    static Long exp(JsonNode n) {
        if (n == null || n.isNull()) {
            return null;
        }
        if (n.isNumber()) {
            return scale(n.asDouble());
        }
        if (n.isTextual()) {
            String s = n.asText().trim();
            try {
                return scale(Double.parseDouble(s));
            } catch (NumberFormatException ignored) {
                // not a number: an instant
            }
            try {
                return OffsetDateTime.parse(s).toInstant().toEpochMilli();
            } catch (RuntimeException e) {
                try {
                    return Instant.parse(s).toEpochMilli();
                } catch (RuntimeException e2) {
                    throw unauthenticated("token exp is not a time");
                }
            }
        }
        throw unauthenticated("token exp is not a time");
    }

    private static long scale(double v) {
        if (Double.isNaN(v) || Double.isInfinite(v)) {
            throw unauthenticated("token exp is not a time");
        }
        return v < SECONDS_LIMIT ? (long) (v * 1000) : (long) v;
    }

    /** Base64 in either alphabet, with or without padding. */
    private static byte[] b64(String s) {
        String std = s.replace('-', '+').replace('_', '/');
        int pad = (4 - std.length() % 4) % 4;
        try {
            return Base64.getDecoder().decode(std + "=".repeat(pad == 3 ? 0 : pad));
        } catch (IllegalArgumentException e) {
            throw unauthenticated("malformed token encoding");
        }
    }

    private static SwitchboardException unauthenticated(String why) {
        return new SwitchboardException(ErrorCode.UNAUTHENTICATED, why);
    }
}
