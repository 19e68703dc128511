package io.switchboard.server.http;

import io.netty.handler.codec.http.QueryStringDecoder;
import io.switchboard.core.error.SwitchboardException;

/**
 * Turns the raw URL path after a route prefix into a Switchboard path. Each segment is
 * percent-decoded on its own, so an encoded {@code %2F} cannot smuggle a slash into a segment;
 * it is rejected instead. {@code +} stays a literal plus (it only means space in queries).
 */
final class ApiPaths {
    private ApiPaths() {
    }

    /** {@code "/a/b%20c"} → {@code "/a/b c"}; the empty rest → {@code "/"}. */
    static String decode(String rawRest) {
        StringBuilder out = new StringBuilder();
        for (String seg : rawRest.split("/")) {
            if (seg.isEmpty()) {
                continue;
            }
            String decoded;
            try {
                decoded = QueryStringDecoder.decodeComponent(seg.replace("+", "%2B"));
            } catch (IllegalArgumentException e) {
                throw SwitchboardException.badRequest("path", "has a malformed percent-escape");
            }
            if (decoded.indexOf('/') >= 0) {
                throw SwitchboardException.badRequest("path", "segment must not contain an encoded '/'");
            }
            out.append('/').append(decoded);
        }
        return out.length() == 0 ? "/" : out.toString();
    }
}
