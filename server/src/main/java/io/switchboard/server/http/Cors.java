package io.switchboard.server.http;

import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;

import java.util.List;
import java.util.Set;

/**
 * CORS for the HTTP API from {@code http.cors.origins}: exact origins, or {@code *} for any.
 * A request from an origin not on the list gets no CORS headers, so the browser blocks it.
 */
public final class Cors {
    private static final String METHODS = "GET, PUT, PATCH, DELETE, POST, OPTIONS";
    private static final String DEFAULT_HEADERS = "Content-Type, Authorization, Last-Event-ID, X-Admin-Token";

    private final boolean any;
    private final Set<String> origins;

    public Cors(List<String> origins) {
        this.any = origins.contains("*");
        this.origins = Set.copyOf(origins);
    }

    /** True for a preflight: OPTIONS with Origin and Access-Control-Request-Method. */
    public static boolean isPreflight(HttpRequest req) {
        return req.method().equals(HttpMethod.OPTIONS) && req.headers().contains(HttpHeaderNames.ORIGIN)
                && req.headers().contains(HttpHeaderNames.ACCESS_CONTROL_REQUEST_METHOD);
    }

    /** True when {@code origin} is in {@code http.cors.origins} (or the list is {@code *}). */
    public boolean allows(String origin) {
        return any || origins.contains(origin);
    }

    /** Adds the CORS response headers when the request's origin is allowed. */
    public void apply(HttpRequest req, HttpHeaders out) {
        String origin = req.headers().get(HttpHeaderNames.ORIGIN);
        if (origin == null || !(any || origins.contains(origin))) {
            return;
        }
        // Echo the origin rather than "*" so credentials (cookies, Authorization) are allowed.
        out.set(HttpHeaderNames.ACCESS_CONTROL_ALLOW_ORIGIN, origin);
        out.set(HttpHeaderNames.ACCESS_CONTROL_ALLOW_CREDENTIALS, "true");
        out.set(HttpHeaderNames.ACCESS_CONTROL_EXPOSE_HEADERS, "Retry-After");
        out.add(HttpHeaderNames.VARY, "Origin");
    }

    /** The answer to a preflight: 204 with the allowed methods and headers. */
    public FullHttpResponse preflight(HttpRequest req) {
        FullHttpResponse r = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.NO_CONTENT);
        apply(req, r.headers());
        if (r.headers().contains(HttpHeaderNames.ACCESS_CONTROL_ALLOW_ORIGIN)) {
            String asked = req.headers().get(HttpHeaderNames.ACCESS_CONTROL_REQUEST_HEADERS);
            r.headers().set(HttpHeaderNames.ACCESS_CONTROL_ALLOW_METHODS, METHODS);
            r.headers().set(HttpHeaderNames.ACCESS_CONTROL_ALLOW_HEADERS, asked != null ? asked : DEFAULT_HEADERS);
            r.headers().set(HttpHeaderNames.ACCESS_CONTROL_MAX_AGE, "600");
        }
        r.headers().setInt(HttpHeaderNames.CONTENT_LENGTH, 0);
        return r;
    }
}
