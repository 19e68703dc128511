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
import io.switchboard.server.transport.ErrorJson;

/**
 * Aggregates request bodies up to {@code limits.maxFrameBytes}; a bigger body gets the
 * catalogue's 413 PAYLOAD_TOO_LARGE as JSON (Netty's default answer has no body).
 */
final class JsonAggregator extends HttpObjectAggregator {
    private final int max;

    JsonAggregator(int maxContentLength) {
        super(maxContentLength);
        this.max = maxContentLength;
    }

    @Override
    protected void handleOversizedMessage(ChannelHandlerContext ctx, HttpMessage oversized) {
        ObjectNode body = Json.object();
        body.set("error", ErrorJson.of(new SwitchboardException(ErrorCode.PAYLOAD_TOO_LARGE,
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
