package io.switchboard.server.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.switchboard.core.error.SwitchboardException;
import io.switchboard.core.json.Json;
import io.switchboard.core.wire.NativeEncoder;

/** Writes JSON responses and catalogue errors, with CORS and keep-alive handled in one place. */
final class HttpReplies {
    private final Cors cors;

    HttpReplies(Cors cors) {
        this.cors = cors;
    }

    Cors cors() {
        return cors;
    }

    ChannelFuture json(ChannelHandlerContext ctx, HttpRequest req, int status, JsonNode body) {
        FullHttpResponse r = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.valueOf(status),
                Unpooled.wrappedBuffer(Json.writeBytes(body)));
        r.headers().set(HttpHeaderNames.CONTENT_TYPE, HttpHeaderValues.APPLICATION_JSON);
        return send(ctx, req, r, false);
    }

    /** {@code {"error": {"code","message"}}} with the code's status; 429 adds Retry-After. */
    ChannelFuture error(ChannelHandlerContext ctx, HttpRequest req, SwitchboardException e) {
        return error(ctx, req, e, false);
    }

    /** As {@link #error(ChannelHandlerContext, HttpRequest, SwitchboardException)}; {@code close}: then closes the connection. */
    ChannelFuture error(ChannelHandlerContext ctx, HttpRequest req, SwitchboardException e, boolean close) {
        return error(ctx, req, e, close, BEARER);
    }

    /** The {@code WWW-Authenticate} challenge of the native API's 401. */
    static final String BEARER = "Bearer realm=\"switchboard\"";

    /** As above, with {@code challenge} as the 401's {@code WWW-Authenticate} (happn's is {@code happn-auth}). */
    ChannelFuture error(ChannelHandlerContext ctx, HttpRequest req, SwitchboardException e, boolean close, String challenge) {
        ObjectNode body = Json.object();
        body.set("error", NativeEncoder.error(e));
        FullHttpResponse r = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1,
                HttpResponseStatus.valueOf(e.code().httpStatus()), Unpooled.wrappedBuffer(Json.writeBytes(body)));
        r.headers().set(HttpHeaderNames.CONTENT_TYPE, HttpHeaderValues.APPLICATION_JSON);
        if (e.code() == io.switchboard.core.error.ErrorCode.UNAUTHENTICATED) {
            r.headers().set(HttpHeaderNames.WWW_AUTHENTICATE, challenge);
        }
        if (e.retryAfterMs() != null) {
            r.headers().set(HttpHeaderNames.RETRY_AFTER, Long.toString(Math.max(1, (e.retryAfterMs() + 999) / 1000)));
        }
        return send(ctx, req, r, close);
    }

    /** Sends {@code r}; closes afterwards when the client or {@code close} asks for it. */
    ChannelFuture send(ChannelHandlerContext ctx, HttpRequest req, FullHttpResponse r, boolean close) {
        cors.apply(req, r.headers());
        HttpUtil.setContentLength(r, r.content().readableBytes());
        boolean keepAlive = !close && HttpUtil.isKeepAlive(req);
        HttpUtil.setKeepAlive(r, keepAlive);
        ChannelFuture f = ctx.writeAndFlush(r);
        if (!keepAlive) {
            f.addListener(ChannelFutureListener.CLOSE);
        }
        return f;
    }
}
