package io.switchboard.bench.load;

import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.HttpClientCodec;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketClientHandshakerFactory;
import io.netty.handler.codec.http.websocketx.WebSocketClientProtocolHandler;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketFrameAggregator;
import io.netty.handler.codec.http.websocketx.WebSocketVersion;

import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;

/**
 * A WebSocket client connection on Netty. A server frame may hold several messages separated by
 * {@code \n} (SPEC section 4); each is handed to the listener separately. Pings are answered by
 * Netty's protocol handler.
 */
public final class WsConn extends ChannelConn {
    private static final int MAX_FRAME = 64 << 20;

    private final Listener listener;

    private WsConn(Listener listener) {
        this.listener = listener;
    }

    /** Starts connecting to {@code ws://host:port/path}; the listener hears onOpen or onClose. */
    public static WsConn connect(Net net, String host, int port, String path, Listener listener) {
        WsConn c = new WsConn(listener);
        URI uri = URI.create("ws://" + host + ":" + port + path);
        net.bootstrap().handler(new ChannelInitializer<SocketChannel>() {
            @Override
            protected void initChannel(SocketChannel ch) {
                ch.pipeline().addLast(new HttpClientCodec(), new HttpObjectAggregator(65536),
                        new WebSocketClientProtocolHandler(WebSocketClientHandshakerFactory.newHandshaker(
                                uri, WebSocketVersion.V13, null, false, new DefaultHttpHeaders(), MAX_FRAME)),
                        new WebSocketFrameAggregator(MAX_FRAME), c.new Handler());
            }
        }).connect(new InetSocketAddress(host, port)).addListener(f -> {
            if (!f.isSuccess()) {
                listener.onClose(c, f.cause());
            }
        });
        return c;
    }

    @Override
    public void send(String message, boolean flush) {
        Channel ch = channel;
        if (ch == null) {
            return;
        }
        TextWebSocketFrame frame = new TextWebSocketFrame(message);
        if (flush) {
            ch.writeAndFlush(frame, ch.voidPromise());
        } else {
            ch.write(frame, ch.voidPromise());
        }
    }

    public void flush() {
        Channel ch = channel;
        if (ch != null) {
            ch.flush();
        }
    }

    public Channel channel() {
        return channel;
    }

    private final class Handler extends SimpleChannelInboundHandler<WebSocketFrame> {
        @Override
        public void userEventTriggered(ChannelHandlerContext ctx, Object evt) throws Exception {
            if (evt == WebSocketClientProtocolHandler.ClientHandshakeStateEvent.HANDSHAKE_COMPLETE) {
                channel = ctx.channel();
                open = true;
                listener.onOpen(WsConn.this);
            }
            super.userEventTriggered(ctx, evt);
        }

        @Override
        protected void channelRead0(ChannelHandlerContext ctx, WebSocketFrame frame) {
            if (frame instanceof TextWebSocketFrame) {
                if (listener.onRawFrame(WsConn.this, frame.content())) {
                    return;
                }
                String text = frame.content().toString(StandardCharsets.UTF_8);
                int from = 0;
                int nl;
                while ((nl = text.indexOf('\n', from)) >= 0) {
                    if (nl > from) {
                        listener.onMessage(WsConn.this, text.substring(from, nl));
                    }
                    from = nl + 1;
                }
                if (from < text.length()) {
                    listener.onMessage(WsConn.this, from == 0 ? text : text.substring(from));
                }
            }
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) throws Exception {
            open = false;
            listener.onClose(WsConn.this, null);
            super.channelInactive(ctx);
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            ctx.close();
        }
    }
}
