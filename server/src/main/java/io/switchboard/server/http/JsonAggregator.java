package io.switchboard.server.http;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpMessage;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.switchboard.core.error.ErrorCode;
import io.switchboard.core.error.SwitchboardException;
import io.switchboard.core.json.Json;
import io.switchboard.core.wire.NativeEncoder;

/**
 * Aggregates request bodies up to {@code limits.maxFrameBytes} for the routes that want whole
 * bodies; a bigger body gets the catalogue's 413 PAYLOAD_TOO_LARGE as JSON (Netty's default
 * answer has no body). Requests of {@link Route.Body#STREAMING} routes pass through in chunks.
 */
final class JsonAggregator extends HttpObjectAggregator {
    private final int max;
    private final RouteTable routes;
    /** True while the parts of a streaming route's request pass through. */
    private boolean streaming;

    JsonAggregator(int maxContentLength, RouteTable routes) {
        super(maxContentLength);
        this.max = maxContentLength;
        this.routes = routes;
    }

    @Override
    public boolean acceptInboundMessage(Object msg) throws Exception {
        if (msg instanceof io.netty.handler.codec.http.HttpRequest req) {
            Route r = routes.find(new io.netty.handler.codec.http.QueryStringDecoder(req.uri()).rawPath());
            streaming = r != null && r.body() == Route.Body.STREAMING;
        }
        if (streaming) {
            if (msg instanceof io.netty.handler.codec.http.LastHttpContent) {
                streaming = false;
            }
            return false;
        }
        return super.acceptInboundMessage(msg);
    }

    @Override
    protected void handleOversizedMessage(ChannelHandlerContext ctx, HttpMessage oversized) {
        ObjectNode body = Json.object();
        body.set("error", NativeEncoder.error(new SwitchboardException(ErrorCode.PAYLOAD_TOO_LARGE,
                "body is larger than limits.maxFrameBytes (" + max + " bytes)")));
        FullHttpResponse r = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.REQUEST_ENTITY_TOO_LARGE,
                Unpooled.wrappedBuffer(Json.writeBytes(body)));
        r.headers().set(HttpHeaderNames.CONTENT_TYPE, HttpHeaderValues.APPLICATION_JSON);
        HttpUtil.setContentLength(r, r.content().readableBytes());
        HttpUtil.setKeepAlive(r, false);
        // The rest of the body is unread, so the connection cannot carry another request.
        ctx.writeAndFlush(r).addListener(ChannelFutureListener.CLOSE);
    }
}
