package io.switchboard.server.transport;

import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.switchboard.core.json.Json;

import java.nio.charset.StandardCharsets;

/**
 * First handler of every accepted connection: admits it through the {@link ConnectionLimiter},
 * or answers a plain HTTP 503/429 with the catalogue's JSON error naming the limit and closes.
 * Releases the count when the connection closes.
 */
public final class ConnectionGate extends ChannelInboundHandlerAdapter {
    private final ConnectionLimiter limiter;
    private String ip;

    public ConnectionGate(ConnectionLimiter limiter) {
        this.limiter = limiter;
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        String addr = RemoteAddress.of(ctx.channel());
        ConnectionLimiter.Refusal refusal = limiter.acquire(addr);
        if (refusal == null) {
            ip = addr;
            ctx.fireChannelActive();
            return;
        }
        boolean total = refusal == ConnectionLimiter.Refusal.TOTAL;
        String message = total
                ? "too many connections (limits.maxConnections = " + limiter.maxTotal() + ")"
                : "too many connections from this address (limits.maxConnectionsPerIp = " + limiter.maxPerIp() + ")";
        String body = Json.write(Json.object().set("error", Json.object()
                .put("code", total ? "UNAVAILABLE" : "RATE_LIMITED").put("message", message)));
        byte[] b = body.getBytes(StandardCharsets.UTF_8);
        String head = "HTTP/1.1 " + (total ? "503 Service Unavailable" : "429 Too Many Requests") + "\r\n"
                + "Content-Type: application/json\r\nContent-Length: " + b.length + "\r\nConnection: close\r\n\r\n";
        ctx.channel().config().setAutoRead(false);
        ctx.writeAndFlush(Unpooled.wrappedBuffer(head.getBytes(StandardCharsets.US_ASCII), b))
                .addListener(ChannelFutureListener.CLOSE);
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (ip == null) {
            io.netty.util.ReferenceCountUtil.release(msg);
            return;
        }
        ctx.fireChannelRead(msg);
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        if (ip != null) {
            limiter.release(ip);
            ip = null;
            ctx.fireChannelInactive();
        }
    }
}
