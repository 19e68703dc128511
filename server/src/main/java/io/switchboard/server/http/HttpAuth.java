package io.switchboard.server.http;

import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.QueryStringDecoder;
import io.netty.handler.codec.http.cookie.Cookie;
import io.netty.handler.codec.http.cookie.ServerCookieDecoder;
import io.switchboard.core.op.Credentials;
import io.switchboard.server.config.ConfigException;
import io.switchboard.server.config.ConfigKeys;
import io.switchboard.server.config.ServerConfig;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

/**
 * Reads an HTTP request's credentials (SPEC section 5) into the pipeline's {@link Credentials}:
 * {@code Authorization: Bearer} or {@code Basic}, a token cookie ({@code auth.tokenCookie},
 * default {@code sb_token}), or a query parameter ({@code ?token=}, for EventSource) — the first
 * present, in that order. Static files with the happn door on also read happn's
 * {@code happn_token} cookie and {@code ?happn_token=} ({@link #withHappn()}).
 */
public final class HttpAuth {
    /** The default token cookie. */
    public static final String DEFAULT_COOKIE = "sb_token";
    /** happn-3's cookie and query parameter for the session token. */
    public static final String HAPPN_TOKEN = "happn_token";
    /** Longest {@code Authorization} header read; longer ones count as no credentials. */
    private static final int MAX_AUTHORIZATION = 16_384;

    private final List<String> cookies;
    private final List<String> queries;

    private HttpAuth(List<String> cookies, List<String> queries) {
        this.cookies = List.copyOf(cookies);
        this.queries = List.copyOf(queries);
    }

    /** The native doors' sources: the {@code auth.tokenCookie} cookie and {@code ?token=}. */
    public static HttpAuth of(ServerConfig config) {
        return new HttpAuth(List.of(checkCookieName(config.tokenCookie())), List.of("token"));
    }

    /** These sources plus happn-3's {@code happn_token} cookie and query parameter. */
    public HttpAuth withHappn() {
        List<String> c = new ArrayList<>(cookies);
        List<String> q = new ArrayList<>(queries);
        if (!c.contains(HAPPN_TOKEN)) {
            c.add(HAPPN_TOKEN);
        }
        q.add(HAPPN_TOKEN);
        return new HttpAuth(c, q);
    }

    /** The cookie a login sets. */
    public String cookieName() {
        return cookies.get(0);
    }

    /** The cookie name as RFC 6265 allows it (a token: no separators, spaces or controls); else start-up stops. */
    static String checkCookieName(String name) {
        if (name == null || name.isEmpty() || name.length() > 64 || !name.chars().allMatch(HttpAuth::tokenChar)) {
            throw new ConfigException(ConfigKeys.AUTH_TOKEN_COOKIE + ": '" + name + "' is not a cookie name"
                    + " (1-64 letters, digits or !#$%&'*+-.^_`|~)");
        }
        return name;
    }

    private static boolean tokenChar(int c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || "!#$%&'*+-.^_`|~".indexOf(c) >= 0;
    }

    public Credentials credentials(HttpRequest req, QueryStringDecoder qs) {
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
        for (String name : queries) {
            List<String> q = qs.parameters().get(name);
            if (q != null && !q.isEmpty() && !q.get(0).isEmpty()) {
                return new Credentials.Token(q.get(0));
            }
        }
        return Credentials.NONE;
    }

    /** True when the request's credentials are a token cookie (no usable Authorization header). */
    public boolean byCookie(HttpRequest req, QueryStringDecoder qs) {
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
    public String token(HttpRequest req, QueryStringDecoder qs) {
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

    /** The first of the cookies (in the order of {@link #cookies}) the request carries, or null. */
    private String cookieToken(HttpRequest req) {
        String[] found = new String[cookies.size()];
        for (String header : req.headers().getAll(HttpHeaderNames.COOKIE)) {
            if (header.length() > MAX_AUTHORIZATION) {
                continue;
            }
            for (Cookie c : ServerCookieDecoder.LAX.decode(header)) {
                int i = cookies.indexOf(c.name());
                if (i >= 0 && !c.value().isEmpty()) {
                    found[i] = c.value();
                }
            }
        }
        for (String f : found) {
            if (f != null) {
                return f;
            }
        }
        return null;
    }
}
