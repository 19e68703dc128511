package io.switchboard.server.http;

import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.switchboard.core.error.ErrorCode;
import io.switchboard.core.error.SwitchboardException;

import java.util.Locale;
import java.util.Set;

/**
 * Cross-site request forgery guard. A browser sends the token cookie ({@code auth.tokenCookie}) with requests
 * any web page starts, so a request that changes state (not GET, HEAD, OPTIONS) and is
 * authenticated by the cookie alone is refused with 403 {@code FORBIDDEN} when its
 * {@code Origin} is neither this server nor in {@code http.cors.origins}, or when its body has a
 * type a plain HTML form or {@code text/plain} fetch can send without a CORS preflight.
 * Requests with an {@code Authorization} header are not affected: no other site can add one.
 */
final class CookieGuard {
    /** The content types a cross-site form or simple fetch may send (the CORS "simple" ones). */
    private static final Set<String> SIMPLE_TYPES =
            Set.of("text/plain", "application/x-www-form-urlencoded", "multipart/form-data");

    private CookieGuard() {
    }

    /** Refuses {@code req} (authenticated by the cookie) when it could have come from another site. */
    static void check(HttpRequest req, Cors cors, String cookie) {
        HttpMethod m = req.method();
        if (m.equals(HttpMethod.GET) || m.equals(HttpMethod.HEAD) || m.equals(HttpMethod.OPTIONS)) {
            return;
        }
        String origin = req.headers().get(HttpHeaderNames.ORIGIN);
        if (origin != null && !sameOrigin(origin, req.headers().get(HttpHeaderNames.HOST)) && !cors.allows(origin)) {
            throw new SwitchboardException(ErrorCode.FORBIDDEN, "a " + m + " authenticated by the " + cookie
                    + " cookie from origin '" + shorten(origin) + "' is refused: that origin is neither this server"
                    + " nor in http.cors.origins (send Authorization: Bearer instead)");
        }
        String type = req.headers().get(HttpHeaderNames.CONTENT_TYPE);
        if (type != null && SIMPLE_TYPES.contains(mime(type))) {
            throw new SwitchboardException(ErrorCode.FORBIDDEN, "a " + m + " authenticated by the " + cookie
                    + " cookie must send Content-Type: application/json, not '" + shorten(mime(type))
                    + "' (any web page can send a form or text/plain body)");
        }
    }

    /** True when {@code origin}'s host and port are the {@code Host} the request was sent to. */
    private static boolean sameOrigin(String origin, String host) {
        int scheme = origin.indexOf("://");
        return host != null && scheme > 0 && origin.substring(scheme + 3).equalsIgnoreCase(host.trim());
    }

    private static String mime(String contentType) {
        int semi = contentType.indexOf(';');
        return (semi < 0 ? contentType : contentType.substring(0, semi)).trim().toLowerCase(Locale.ROOT);
    }

    private static String shorten(String s) {
        return s.length() > 100 ? s.substring(0, 100) + "..." : s;
    }
}
