package io.switchboard.server.transport.ws;

import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.websocketx.WebSocketDecoderConfig;
import io.netty.handler.codec.http.websocketx.WebSocketFrameAggregator;
import io.netty.handler.codec.http.websocketx.WebSocketServerHandshaker;
import io.netty.handler.codec.http.websocketx.WebSocketServerHandshakerFactory;
import io.switchboard.core.session.Session;
import io.switchboard.server.ServerContext;

import java.net.InetSocketAddress;

/**
 * Turns an HTTP request on {@code /ws} into a native-protocol WebSocket: handshake, then the
 * HTTP handler is replaced by the frame aggregator and {@link WsFrameHandler}, and a stateful
 * session is opened with the connection as its sink.
 */
public final class WsUpgrade {
    private WsUpgrade() {
    }

    /** Performs the handshake; {@code httpHandler} is the handler to replace. */
    public static void upgrade(ChannelHandlerContext ctx, FullHttpRequest req, ChannelHandler httpHandler, ServerContext sc) {
        int maxFrame = sc.config().maxFrameBytes();
        // closeOnProtocolViolation=false: an oversized frame reaches exceptionCaught, which
        // sends the PAYLOAD_TOO_LARGE error before closing with 1009 (SPEC section 4).
        WebSocketDecoderConfig decoder = WebSocketDecoderConfig.newBuilder()
                .maxFramePayloadLength(maxFrame).allowExtensions(false).closeOnProtocolViolation(false).build();
        String host = req.headers().get(HttpHeaderNames.HOST, "localhost");
        WebSocketServerHandshakerFactory factory = new WebSocketServerHandshakerFactory("ws://" + host + "/ws", null, decoder);
        WebSocketServerHandshaker handshaker = factory.newHandshaker(req);
        if (handshaker == null) {
            WebSocketServerHandshakerFactory.sendUnsupportedVersionResponse(ctx.channel());
            return;
        }
        WsConnection conn = new WsConnection(ctx.channel(), sc.config().maxOutboundBytes(), sc.config().heartbeatMs(),
                sc.connections());
        ChannelPipeline p = ctx.pipeline();
        p.addAfter(ctx.name(), "ws-aggregator", new WebSocketFrameAggregator(maxFrame));
        p.addAfter("ws-aggregator", "ws", new WsFrameHandler(conn, sc.pipeline(), sc.connections(), maxFrame));
        p.remove(httpHandler);
        String remote = ctx.channel().remoteAddress() instanceof InetSocketAddress a
                ? a.getAddress().getHostAddress() : String.valueOf(ctx.channel().remoteAddress());
        // Opened before the handshake so the session exists when the first frame arrives.
        Session s = sc.pipeline().openStateful(conn, remote, sc.config().heartbeatMs());
        conn.session(s);
        sc.connections().add(conn);
        handshaker.handshake(ctx.channel(), req).addListener(f -> {
            if (!f.isSuccess()) {
                ctx.channel().close();
            } else if (sc.shuttingDown()) {
                conn.shutdown();
            }
        });
    }
}
