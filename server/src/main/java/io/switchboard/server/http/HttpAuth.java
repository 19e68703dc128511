package io.switchboard.server.http;

import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.QueryStringDecoder;
import io.netty.handler.codec.http.cookie.Cookie;
import io.netty.handler.codec.http.cookie.ServerCookieDecoder;
import io.switchboard.core.security.HttpCredentials;

import java.net.InetSocketAddress;
import java.util.List;

/** Reads an HTTP request's credentials (SPEC section 5) and the client's address. */
public final class HttpAuth {
    /** The cookie that carries the token after {@code POST /api/auth/login}. */
    public static final String COOKIE = "sb_token";

    private HttpAuth() {
    }

    /** {@code Authorization: Bearer|Basic}, cookie {@code sb_token}, or query {@code ?token=}. */
    public static HttpCredentials credentials(HttpRequest req, QueryStringDecoder qs) {
        String cookieToken = null;
        for (String header : req.headers().getAll(HttpHeaderNames.COOKIE)) {
            if (header.length() > 16_384) {
                continue;
            }
            for (Cookie c : ServerCookieDecoder.LAX.decode(header)) {
                if (COOKIE.equals(c.name()) && !c.value().isEmpty()) {
                    cookieToken = c.value();
                }
            }
        }
        List<String> q = qs.parameters().get("token");
        String queryToken = q == null || q.isEmpty() || q.get(0).isEmpty() ? null : q.get(0);
        return HttpCredentials.of(req.headers().get(HttpHeaderNames.AUTHORIZATION), cookieToken, queryToken);
    }

    public static String remote(ChannelHandlerContext ctx) {
        return ctx.channel().remoteAddress() instanceof InetSocketAddress a
                ? a.getAddress().getHostAddress() : String.valueOf(ctx.channel().remoteAddress());
    }
}
