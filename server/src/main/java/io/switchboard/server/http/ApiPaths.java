package io.switchboard.server.http;

import io.netty.handler.codec.http.QueryStringDecoder;
import io.switchboard.core.error.SwitchboardException;

import java.util.ArrayList;
import java.util.List;

/**
 * The one decoder of URL paths for every route. Each segment is percent-decoded on its own, so
 * an encoded {@code %2F} cannot smuggle a slash into a segment; it is rejected instead, as are
 * the dot segments {@code .} and {@code ..} (raw or encoded). {@code +} stays a literal plus (it
 * only means space in queries).
 */
public final class ApiPaths {
    private ApiPaths() {
    }

    /** The decoded, non-empty segments of {@code rawRest}. */
    public static List<String> segments(String rawRest) {
        List<String> out = new ArrayList<>();
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
            if (decoded.equals(".") || decoded.equals("..")) {
                throw SwitchboardException.badRequest("path", "must not contain '.' or '..' segments");
            }
            out.add(decoded);
        }
        return out;
    }

    /** {@code "/a/b%20c"} → {@code "/a/b c"}; the empty rest → {@code "/"}. */
    public static String decode(String rawRest) {
        List<String> segs = segments(rawRest);
        return segs.isEmpty() ? "/" : "/" + String.join("/", segs);
    }
}
