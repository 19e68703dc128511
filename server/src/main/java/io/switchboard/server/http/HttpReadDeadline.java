package io.switchboard.server.http;

import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import io.switchboard.core.json.Json;

import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * The read deadline of an HTTP connection ({@code limits.requestTimeoutMs}): from the moment the
 * connection opens, or its last response is written, the next request — head and whole body —
 * must arrive within the deadline, or the connection closes (with a 408 when a request was
 * under way). This covers an idle socket, partial headers, slowloris, a chunked body that never
 * ends and a body shorter than its Content-Length. While a request is being answered there is
 * no deadline. One task on the event loop's timer per connection, no thread.
 */
public final class HttpReadDeadline extends ChannelDuplexHandler {
    /** The name of this handler in the channel pipeline (removed when a connection upgrades). */
    public static final String NAME = "read-deadline";

    private final long timeoutMs;
    private ScheduledFuture<?> deadline;
    /** Requests fully read and not yet answered. */
    private int pending;
    /** A request head arrived and its body has not ended. */
    private boolean reading;

    public HttpReadDeadline(long timeoutMs) {
        this.timeoutMs = timeoutMs;
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        if (ctx.channel().isActive()) {
            arm(ctx);
        }
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        arm(ctx);
        ctx.fireChannelActive();
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (msg instanceof HttpRequest) {
            reading = true;
        }
        if (msg instanceof LastHttpContent) {
            reading = false;
            pending++;
            cancel();
        }
        ctx.fireChannelRead(msg);
    }

    @Override
    public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
        if (msg instanceof LastHttpContent || msg instanceof FullHttpResponse) {
            promise = promise.unvoid();
            promise.addListener(f -> {
                if (pending > 0) {
                    pending--;
                }
                if (pending == 0) {
                    arm(ctx);
                }
            });
        }
        ctx.write(msg, promise);
    }

    private void arm(ChannelHandlerContext ctx) {
        cancel();
        deadline = ctx.executor().schedule(() -> expire(ctx), timeoutMs, TimeUnit.MILLISECONDS);
    }

    private void expire(ChannelHandlerContext ctx) {
        deadline = null;
        if (pending > 0 || !ctx.channel().isActive()) {
            return;
        }
        if (!reading) {
            ctx.close();
            return;
        }
        String body = Json.write(Json.object().set("error", Json.object().put("code", "BAD_REQUEST")
                .put("message", "'request' was not received within limits.requestTimeoutMs (" + timeoutMs + " ms)")));
        FullHttpResponse res = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.REQUEST_TIMEOUT,
                Unpooled.copiedBuffer(body, java.nio.charset.StandardCharsets.UTF_8));
        res.headers().set(HttpHeaderNames.CONTENT_TYPE, HttpHeaderValues.APPLICATION_JSON)
                .setInt(HttpHeaderNames.CONTENT_LENGTH, res.content().readableBytes())
                .set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
        pending = 1; // no re-arm from this write
        ctx.writeAndFlush(res).addListener(ChannelFutureListener.CLOSE);
    }

    private void cancel() {
        if (deadline != null) {
            deadline.cancel(false);
            deadline = null;
        }
    }

    @Override
    public void handlerRemoved(ChannelHandlerContext ctx) {
        cancel();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        cancel();
        ctx.fireChannelInactive();
    }
}
