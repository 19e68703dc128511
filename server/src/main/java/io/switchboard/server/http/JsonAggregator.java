package io.switchboard.server.http;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.netty.buffer.Unpooled;
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

    /** Longest a refused body is read and discarded, so the client sees the 413 instead of a reset. */
    private static final long DRAIN_MS = 5_000;
    /** Most bytes of a refused body discarded before the connection is closed anyway. */
    private static final long DRAIN_BYTES = 16L * 1024 * 1024;

    /** True once a too-large body was answered: the rest is read and dropped, then the connection closes. */
    private boolean draining;
    private long drained;

    /**
     * With {@code Expect: 100-continue} the client waits before sending the body: a too-large
     * one is refused with the JSON 413 at once and never sent, and the connection stays usable.
     */
    @Override
    protected Object newContinueResponse(HttpMessage start, int maxContentLength, io.netty.channel.ChannelPipeline pipeline) {
        Object r = super.newContinueResponse(start, maxContentLength, pipeline);
        if (r instanceof FullHttpResponse res && res.status().equals(HttpResponseStatus.REQUEST_ENTITY_TOO_LARGE)) {
            res.release();
            return tooLarge(true);
        }
        return r;
    }

    /**
     * A body that turned out too large: answer, stop sending (half-close), and read what the
     * client still sends, bounded in bytes and time. Closing at once with unread bytes in the
     * socket makes the kernel send a reset, which throws the answer away on the client's side.
     */
    @Override
    protected void handleOversizedMessage(ChannelHandlerContext ctx, HttpMessage oversized) {
        draining = true;
        io.netty.channel.Channel ch = ctx.channel();
        ctx.writeAndFlush(tooLarge(false)).addListener(f -> {
            if (ch instanceof io.netty.channel.socket.DuplexChannel d) {
                d.shutdownOutput();
            } else {
                ch.close();
            }
        });
        ctx.executor().schedule(() -> {
            ch.close();
        }, DRAIN_MS, java.util.concurrent.TimeUnit.MILLISECONDS);
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) throws Exception {
        if (!draining) {
            super.channelRead(ctx, msg);
            return;
        }
        try {
            if (msg instanceof io.netty.buffer.ByteBufHolder h) {
                drained += h.content().readableBytes();
            }
            if (msg instanceof io.netty.handler.codec.http.LastHttpContent || drained > DRAIN_BYTES) {
                ctx.close();
            }
        } finally {
            io.netty.util.ReferenceCountUtil.release(msg);
        }
    }

    private FullHttpResponse tooLarge(boolean keepAlive) {
        ObjectNode body = Json.object();
        body.set("error", NativeEncoder.error(new SwitchboardException(ErrorCode.PAYLOAD_TOO_LARGE,
                "body is larger than limits.maxFrameBytes (" + max + " bytes)")));
        FullHttpResponse r = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.REQUEST_ENTITY_TOO_LARGE,
                Unpooled.wrappedBuffer(Json.writeBytes(body)));
        r.headers().set(HttpHeaderNames.CONTENT_TYPE, HttpHeaderValues.APPLICATION_JSON);
        HttpUtil.setContentLength(r, r.content().readableBytes());
        HttpUtil.setKeepAlive(r, keepAlive);
        return r;
    }
}
