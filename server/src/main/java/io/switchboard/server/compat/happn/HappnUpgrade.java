package io.switchboard.server.compat.happn;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.handler.codec.http.websocketx.PingWebSocketFrame;
import io.netty.handler.codec.http.websocketx.PongWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketDecoderConfig;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketFrameAggregator;
import io.netty.handler.codec.http.websocketx.WebSocketServerHandshaker;
import io.netty.handler.codec.http.websocketx.WebSocketServerHandshakerFactory;
import io.switchboard.core.json.Json;
import io.switchboard.core.session.Session;
import io.switchboard.server.ServerContext;
import io.switchboard.server.transport.RemoteAddress;

/**
 * Turns {@code GET /primus} into a happn-3 connection: the WebSocket handshake, then one
 * Primus JSON message per text frame ({@code "primus::..."} strings are Primus' own control
 * messages), each happn request handed to {@link HappnActions}.
 */
final class HappnUpgrade {
    private HappnUpgrade() {
    }

    static void upgrade(ChannelHandlerContext ctx, FullHttpRequest req, ServerContext sc, String path) {
        int maxFrame = sc.config().maxFrameBytes();
        WebSocketDecoderConfig decoder = WebSocketDecoderConfig.newBuilder()
                .maxFramePayloadLength(maxFrame).allowExtensions(false).build();
        String host = req.headers().get(HttpHeaderNames.HOST, "localhost");
        WebSocketServerHandshaker handshaker = new WebSocketServerHandshakerFactory((sc.tls() != null ? "wss://" : "ws://") + host + path, null, decoder)
                .newHandshaker(req);
        if (handshaker == null) {
            WebSocketServerHandshakerFactory.sendUnsupportedVersionResponse(ctx.channel());
            return;
        }
        HappnConnection conn = new HappnConnection(ctx.channel(), sc.config().maxOutboundBytes(), sc.connections());
        Session s = sc.pipeline().openStateful(conn, RemoteAddress.of(ctx.channel()), HappnConnection.PING_INTERVAL_MS);
        conn.session(s);
        HappnActions actions = new HappnActions(conn, sc.pipeline(), sc.security());
        ChannelPipeline p = ctx.pipeline();
        // Text frames that are not UTF-8 close with 1007 (RFC 6455), never read as U+FFFD.
        p.addAfter(ctx.name(), "happn-utf8", new io.netty.handler.codec.http.websocketx.Utf8FrameValidator(true));
        p.addAfter("happn-utf8", "happn-aggregator", new WebSocketFrameAggregator(maxFrame));
        p.addAfter("happn-aggregator", "happn", new Frames(conn, actions, sc));
        p.remove(ctx.handler());
        sc.connections().add(conn);
        handshaker.handshake(ctx.channel(), req).addListener(f -> {
            if (!f.isSuccess()) {
                ctx.channel().close();
            } else if (sc.shuttingDown()) {
                conn.shutdown();
            }
        });
    }

    /** Inbound Primus frames. */
    private static final class Frames extends SimpleChannelInboundHandler<WebSocketFrame> {
        private final HappnConnection conn;
        private final HappnActions actions;
        private final ServerContext sc;

        Frames(HappnConnection conn, HappnActions actions, ServerContext sc) {
            this.conn = conn;
            this.actions = actions;
            this.sc = sc;
        }

        @Override
        protected void channelRead0(ChannelHandlerContext ctx, WebSocketFrame frame) {
            conn.seen();
            if (frame instanceof TextWebSocketFrame text) {
                onText(text.text());
            } else if (frame instanceof PingWebSocketFrame) {
                ctx.writeAndFlush(new PongWebSocketFrame(frame.content().retain()));
            } else if (frame instanceof CloseWebSocketFrame) {
                ctx.writeAndFlush(new CloseWebSocketFrame(1000, "")).addListener(f -> ctx.close());
            }
        }

        private void onText(String text) {
            JsonNode msg;
            try {
                msg = Json.parse(text);
            } catch (JsonProcessingException e) {
                return; // Primus drops what its parser cannot read
            }
            if (msg.isTextual()) {
                String t = msg.asText();
                if (t.startsWith("primus::ping::")) {
                    conn.sendText("primus::pong::" + t.substring("primus::ping::".length()));
                }
                return; // primus::pong:: only proves liveness (seen above)
            }
            if (msg.isObject()) {
                actions.handle(msg);
            }
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) {
            sc.connections().remove(conn);
            conn.drop();
            sc.pipeline().close(conn.session());
            ctx.fireChannelInactive();
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            ctx.close();
        }
    }
}
