package io.switchboard.server.http;

import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import io.switchboard.core.error.SwitchboardException;
import io.switchboard.server.ServerContext;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;

/**
 * {@code GET /metrics}: every series in the Prometheus text format. With {@code metrics.token}
 * set, the scraper must send {@code Authorization: Bearer <token>}; otherwise the route is open.
 */
final class MetricsRoutes {
    private static final String CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";

    private MetricsRoutes() {
    }

    static void register(RouteTable t, ServerContext sc) {
        t.add(Route.exact("/metrics", x -> {
            if (!x.method().equals(HttpMethod.GET) || sc.metrics() == null) {
                x.notFound();
                return;
            }
            String token = sc.config().metricsToken();
            if (token != null && !token.isEmpty() && !authorized(x.request().headers().get(HttpHeaderNames.AUTHORIZATION), token)) {
                x.error(new SwitchboardException(io.switchboard.core.error.ErrorCode.UNAUTHENTICATED, "metrics.token: send Authorization: Bearer <token>"));
                return;
            }
            sc.metrics().scrape().whenComplete((text, err) -> x.ctx().executor().execute(() -> {
                if (err != null) {
                    x.error(err);
                    return;
                }
                FullHttpResponse r = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK,
                        Unpooled.wrappedBuffer(text.getBytes(StandardCharsets.UTF_8)));
                r.headers().set(HttpHeaderNames.CONTENT_TYPE, CONTENT_TYPE);
                x.replies().send(x.ctx(), x.request(), r, false);
            }));
        }));
    }

    private static boolean authorized(String header, String token) {
        if (header == null || !header.startsWith("Bearer ")) {
            return false;
        }
        return MessageDigest.isEqual(header.substring(7).trim().getBytes(StandardCharsets.UTF_8),
                token.getBytes(StandardCharsets.UTF_8));
    }
}
