package io.switchboard.server.transport.ws;

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
import io.switchboard.server.http.HttpReadDeadline;
import io.switchboard.server.transport.RemoteAddress;


/**
 * Turns an HTTP request on {@code /ws} into a native-protocol WebSocket: handshake, then the
 * HTTP handler is replaced by the frame aggregator and {@link WsFrameHandler}, and a stateful
 * session is opened with the connection as its sink.
 */
public final class WsUpgrade {
    private WsUpgrade() {
    }

    /** The route of {@code GET /ws}. */
    public static void register(io.switchboard.server.http.RouteTable t, ServerContext sc) {
        t.add(io.switchboard.server.http.Route.exact("/ws", x -> {
            if (x.method().equals(io.netty.handler.codec.http.HttpMethod.GET) && x.request().headers()
                    .containsValue(HttpHeaderNames.UPGRADE, io.netty.handler.codec.http.HttpHeaderValues.WEBSOCKET, true)) {
                upgrade(x.ctx(), x.full(), sc);
            } else if (x.method().equals(io.netty.handler.codec.http.HttpMethod.GET)) {
                // A browser or curl opening /ws: say what it is instead of "no route".
                var body = io.switchboard.core.json.Json.object();
                body.set("error", io.switchboard.core.wire.NativeEncoder.error(new io.switchboard.core.error.SwitchboardException(
                        io.switchboard.core.error.ErrorCode.BAD_REQUEST,
                        "/ws is the WebSocket endpoint: send 'Connection: Upgrade' and 'Upgrade: websocket'"
                                + " (a WebSocket client does), or use the HTTP API under /api")));
                x.json(426, body);
            } else {
                x.notFound();
            }
        }));
    }

    /** Performs the handshake and replaces the HTTP dispatcher with the WebSocket handlers. */
    static void upgrade(ChannelHandlerContext ctx, FullHttpRequest req, ServerContext sc) {
        int maxFrame = sc.config().maxFrameBytes();
        // closeOnProtocolViolation=false: an oversized frame reaches exceptionCaught, which
        // sends the PAYLOAD_TOO_LARGE error before closing with 1009 (SPEC section 4).
        WebSocketDecoderConfig decoder = WebSocketDecoderConfig.newBuilder()
                .maxFramePayloadLength(maxFrame).allowExtensions(false).closeOnProtocolViolation(false).build();
        String host = req.headers().get(HttpHeaderNames.HOST, "localhost");
        WebSocketServerHandshakerFactory factory = new WebSocketServerHandshakerFactory((sc.tls() != null ? "wss://" : "ws://") + host + "/ws", null, decoder);
        WebSocketServerHandshaker handshaker = factory.newHandshaker(req);
        if (handshaker == null) {
            WebSocketServerHandshakerFactory.sendUnsupportedVersionResponse(ctx.channel());
            return;
        }
        WsConnection conn = new WsConnection(ctx.channel(), sc.config().maxOutboundBytes(), sc.config().maxReplyBytes(),
                sc.config().heartbeatMs(),
                sc.config().maxInFlightPerConnection(), sc.connections());
        ChannelPipeline p = ctx.pipeline();
        // Each text frame's bytes are checked as UTF-8 before they are read as text: invalid ones
        // reach WsFrameHandler.exceptionCaught, which closes with 1007 (never U+FFFD).
        p.addAfter(ctx.name(), "ws-utf8", new io.netty.handler.codec.http.websocketx.Utf8FrameValidator(false));
        p.addAfter("ws-utf8", "ws-aggregator", new WebSocketFrameAggregator(maxFrame));
        p.addAfter("ws-aggregator", "ws", new WsFrameHandler(conn, sc.pipeline(), sc.connections(), maxFrame));
        p.remove(ctx.handler());
        if (p.get(HttpReadDeadline.NAME) != null) {
            p.remove(HttpReadDeadline.NAME); // a WebSocket has its heartbeat and the connect deadline instead
        }
        String remote = RemoteAddress.of(ctx.channel());
        // Opened before the handshake so the session exists when the first frame arrives.
        Session s = sc.pipeline().openStateful(conn, remote, sc.config().heartbeatMs());
        conn.session(s);
        sc.connections().add(conn);
        handshaker.handshake(ctx.channel(), req).addListener(f -> {
            if (!f.isSuccess()) {
                ctx.channel().close();
            } else if (sc.shuttingDown()) {
                conn.shutdown();
            } else {
                // A socket that answers pings but never connects must not hold a descriptor forever.
                long ms = sc.config().connectTimeoutMs();
                ctx.channel().eventLoop().schedule(() -> {
                    if (!s.isConnected() && !s.isClosed() && ctx.channel().isActive()) {
                        conn.error(0, io.switchboard.core.error.SwitchboardException.badRequest("connect",
                                "was not sent within limits.connectTimeoutMs (" + ms + " ms)"));
                        conn.closeNow(1008, "connect-timeout");
                    }
                }, ms, java.util.concurrent.TimeUnit.MILLISECONDS);
            }
        });
    }
}
