package io.switchboard.server.http;

import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.QueryStringDecoder;
import io.netty.handler.codec.http.cookie.Cookie;
import io.netty.handler.codec.http.cookie.ServerCookieDecoder;
import io.switchboard.core.op.Credentials;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;

/**
 * Reads an HTTP request's credentials (SPEC section 5) into the pipeline's {@link Credentials}:
 * {@code Authorization: Bearer} or {@code Basic}, cookie {@code sb_token}, or query
 * {@code ?token=} (for EventSource) — the first present, in that order.
 */
public final class HttpAuth {
    /** The cookie that carries the token after {@code POST /api/auth/login}. */
    public static final String COOKIE = "sb_token";
    /** Longest {@code Authorization} header read; longer ones count as no credentials. */
    private static final int MAX_AUTHORIZATION = 16_384;

    private HttpAuth() {
    }

    public static Credentials credentials(HttpRequest req, QueryStringDecoder qs) {
        String authorization = req.headers().get(HttpHeaderNames.AUTHORIZATION);
        if (authorization != null && authorization.length() <= MAX_AUTHORIZATION) {
            String a = authorization.trim();
            if (a.regionMatches(true, 0, "Bearer ", 0, 7)) {
                return new Credentials.Token(a.substring(7).trim());
            }
            if (a.regionMatches(true, 0, "Basic ", 0, 6)) {
                Credentials basic = basic(a.substring(6).trim());
                if (basic != null) {
                    return basic;
                }
            }
        }
        String cookie = cookieToken(req);
        if (cookie != null) {
            return new Credentials.Token(cookie);
        }
        List<String> q = qs.parameters().get("token");
        if (q != null && !q.isEmpty() && !q.get(0).isEmpty()) {
            return new Credentials.Token(q.get(0));
        }
        return Credentials.NONE;
    }

    /** True when the request's credentials are the {@link #COOKIE} cookie (no usable Authorization header). */
    public static boolean byCookie(HttpRequest req, QueryStringDecoder qs) {
        // The header comes first in credentials(): the cookie counts only without one.
        return !credentialsFromHeader(req) && cookieToken(req) != null;
    }

    private static boolean credentialsFromHeader(HttpRequest req) {
        String a = req.headers().get(HttpHeaderNames.AUTHORIZATION);
        if (a == null || a.length() > MAX_AUTHORIZATION) {
            return false;
        }
        a = a.trim();
        return a.regionMatches(true, 0, "Bearer ", 0, 7)
                || (a.regionMatches(true, 0, "Basic ", 0, 6) && basic(a.substring(6).trim()) != null);
    }

    /** The token the request carries (bearer, cookie or query), or null. */
    public static String token(HttpRequest req, QueryStringDecoder qs) {
        return credentials(req, qs) instanceof Credentials.Token t ? t.token() : null;
    }

    private static Credentials basic(String encoded) {
        try {
            String dec = new String(Base64.getDecoder().decode(encoded), StandardCharsets.UTF_8);
            int colon = dec.indexOf(':');
            if (colon <= 0) {
                return null;
            }
            Credentials.TenantUser tu = Credentials.TenantUser.parse(dec.substring(0, colon));
            return new Credentials.Basic(tu.username(), tu.tenant(), dec.substring(colon + 1));
        } catch (IllegalArgumentException notBase64) {
            return null;
        }
    }

    private static String cookieToken(HttpRequest req) {
        String token = null;
        for (String header : req.headers().getAll(HttpHeaderNames.COOKIE)) {
            if (header.length() > MAX_AUTHORIZATION) {
                continue;
            }
            for (Cookie c : ServerCookieDecoder.LAX.decode(header)) {
                if (COOKIE.equals(c.name()) && !c.value().isEmpty()) {
                    token = c.value();
                }
            }
        }
        return token;
    }
}
