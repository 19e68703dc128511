package io.switchboard.server.http;

import io.switchboard.core.error.SwitchboardException;
import io.switchboard.core.json.Utf8;

import java.nio.ByteBuffer;

/**
 * Checks a request target before anything decodes it: it must be ASCII, and its
 * percent-escapes must spell UTF-8. Netty's decoder would turn {@code %ff} or an overlong
 * {@code %c0%ae} into U+FFFD, so two different URLs would name one path; here they are
 * {@code BAD_REQUEST} (400) instead, naming {@code path} or {@code query}.
 */
final class RequestTargets {
    private RequestTargets() {
    }

    /** Refuses {@code uri} (path and query, as sent) unless it is ASCII with UTF-8 escapes. */
    static void check(String uri) {
        int q = uri.indexOf('?');
        check(q < 0 ? uri : uri.substring(0, q), "path");
        if (q >= 0) {
            check(uri.substring(q + 1), "query");
        }
    }

    private static void check(String part, String field) {
        byte[] bytes = new byte[part.length()];
        int n = 0;
        boolean escaped = false;
        for (int i = 0; i < part.length(); i++) {
            char c = part.charAt(i);
            if (c <= 0x20 || c >= 0x7f) {
                throw SwitchboardException.badRequest(field, "must be ASCII; percent-encode other characters as UTF-8");
            }
            if (c == '%') {
                int hi = i + 2 < part.length() ? Character.digit(part.charAt(i + 1), 16) : -1;
                int lo = hi < 0 ? -1 : Character.digit(part.charAt(i + 2), 16);
                if (lo < 0) {
                    throw SwitchboardException.badRequest(field, "has a malformed percent-escape");
                }
                bytes[n++] = (byte) (hi << 4 | lo);
                escaped = true;
                i += 2;
            } else {
                bytes[n++] = (byte) c;
            }
        }
        if (escaped) {
            try {
                Utf8.decode(ByteBuffer.wrap(bytes, 0, n), field);
            } catch (SwitchboardException e) {
                throw SwitchboardException.badRequest(field,
                        "has percent-escapes that are not UTF-8 (such as %ff, or an overlong form like %c0%ae)");
            }
        }
    }
}
