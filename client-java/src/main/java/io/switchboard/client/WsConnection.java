package io.switchboard.client;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.codec.http.HttpClientCodec;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketClientProtocolConfig;
import io.netty.handler.codec.http.websocketx.WebSocketClientProtocolHandler;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketFrameAggregator;
import io.netty.handler.timeout.IdleStateEvent;
import io.netty.handler.timeout.IdleStateHandler;
import io.switchboard.core.json.Json;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * One WebSocket connection to one server: the Netty pipeline, plus the state that dies with it
 * (requests in flight and the server's subscription ids). The client makes a new one for every
 * reconnect, so nothing of a dead connection can leak into the next.
 */
final class WsConnection {
    private static final Logger log = LoggerFactory.getLogger(WsConnection.class);

    /** What the connection reports to its owner; every call comes on the channel's event loop. */
    interface Listener {
        void onOpen(WsConnection c);

        /** One text frame, whole (fragments aggregated); it may hold several messages. */
        void onFrame(WsConnection c, String text);

        void onClosed(WsConnection c);
    }

    final ServerAddress address;
    /** Requests sent on this connection awaiting a reply, by id. */
    final Map<Long, PendingRequest> pending = new ConcurrentHashMap<>();
    /** The server's subscription ids on this connection. */
    final Map<String, NetworkSubscription> subscriptions = new ConcurrentHashMap<>();
    private volatile Channel channel;

    private WsConnection(ServerAddress address) {
        this.address = address;
    }

    /**
     * Starts connecting; {@code onFailed} runs when the TCP connect fails, otherwise the listener
     * gets {@code onOpen} after the handshake and exactly one {@code onClosed}.
     */
    static WsConnection open(EventLoopGroup group, ServerAddress address, ClientOptions options,
                             Listener listener, Runnable onFailed) {
        WsConnection c = new WsConnection(address);
        WebSocketClientProtocolConfig ws = WebSocketClientProtocolConfig.newBuilder()
                .webSocketUri(address.webSocketUri())
                .maxFramePayloadLength(options.maxFrameBytes())
                .handshakeTimeoutMillis(Math.max(1000, options.connectTimeout().toMillis()))
                .build();
        Bootstrap b = new Bootstrap().group(group).channel(NioSocketChannel.class)
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) Math.min(Integer.MAX_VALUE,
                        Math.max(1000, options.connectTimeout().toMillis())))
                .option(ChannelOption.TCP_NODELAY, true)
                .handler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        c.channel = ch;
                        if (address.tls()) {
                            ch.pipeline().addLast(options.tls().newHandler(ch.alloc(), address.host(), address.port(),
                                    Math.max(1000, options.connectTimeout().toMillis())));
                        }
                        ch.pipeline().addLast(new HttpClientCodec(), new HttpObjectAggregator(64 * 1024),
                                new WebSocketClientProtocolHandler(ws),
                                new WebSocketFrameAggregator(options.maxFrameBytes()),
                                new Handler(c, listener));
                    }
                });
        ChannelFuture f = b.connect(address.host(), address.port());
        c.channel = f.channel();
        f.addListener(done -> {
            if (done.isSuccess()) {
                f.channel().closeFuture().addListener(x -> listener.onClosed(c));
            } else {
                log.debug("connect to {} failed: {}", address, done.cause().toString());
                onFailed.run();
            }
        });
        return c;
    }

    /** Writes one message; silently dropped when the channel is gone (its requests fail on close). */
    void send(ObjectNode message) {
        Channel ch = channel;
        if (ch != null && ch.isActive()) {
            ch.writeAndFlush(new TextWebSocketFrame(Json.write(message)));
        }
    }

    /**
     * Closes a dead server after two silent heartbeat intervals: the server pings every
     * {@code heartbeatMs}, so silence means the network or the server is gone.
     */
    void watchHeartbeat(long heartbeatMs) {
        Channel ch = channel;
        if (heartbeatMs > 0 && ch != null) {
            ch.eventLoop().execute(() -> {
                if (ch.isActive()) {
                    ch.pipeline().addFirst(new IdleStateHandler(heartbeatMs * 2 + 1000, 0, 0, TimeUnit.MILLISECONDS));
                }
            });
        }
    }

    /** A polite close: a WebSocket close frame, then the socket. */
    void close() {
        Channel ch = channel;
        if (ch != null) {
            if (ch.isActive()) {
                ch.writeAndFlush(new CloseWebSocketFrame()).addListener(x -> ch.close());
            } else {
                ch.close();
            }
        }
    }

    /** An abrupt close of the socket, as a network failure would do (used by tests too). */
    void abort() {
        Channel ch = channel;
        if (ch != null) {
            ch.close();
        }
    }

    boolean isActive() {
        Channel ch = channel;
        return ch != null && ch.isActive();
    }

    private static boolean tlsFailure(Throwable cause) {
        for (Throwable t = cause; t != null; t = t.getCause()) {
            if (t instanceof javax.net.ssl.SSLException) {
                return true;
            }
        }
        return false;
    }

    /** Hands text frames over in order, and turns handshake timeouts and silence into a close. */
    private static final class Handler extends SimpleChannelInboundHandler<WebSocketFrame> {
        private final WsConnection connection;
        private final Listener listener;
        /** One warning per connection: a failed handshake is reported by more than one exception. */
        private boolean tlsWarned;

        Handler(WsConnection connection, Listener listener) {
            this.connection = connection;
            this.listener = listener;
        }

        @Override
        protected void channelRead0(ChannelHandlerContext ctx, WebSocketFrame frame) {
            if (!(frame instanceof TextWebSocketFrame text)) {
                return;
            }
            listener.onFrame(connection, text.text());
        }

        @Override
        public void userEventTriggered(ChannelHandlerContext ctx, Object evt) throws Exception {
            if (evt == WebSocketClientProtocolHandler.ClientHandshakeStateEvent.HANDSHAKE_COMPLETE) {
                listener.onOpen(connection);
            } else if (evt == WebSocketClientProtocolHandler.ClientHandshakeStateEvent.HANDSHAKE_TIMEOUT
                    || evt instanceof IdleStateEvent) {
                log.debug("closing connection to {}: {}", connection.address, evt);
                ctx.close();
            } else {
                super.userEventTriggered(ctx, evt);
            }
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            if (tlsFailure(cause) && !tlsWarned) {
                tlsWarned = true;
                // Retrying will not help an untrusted or mismatched certificate: say so once per attempt.
                log.warn("TLS with {} failed: {}", connection.address, cause.getCause() != null ? cause.getCause().toString() : cause.toString());
            } else if (!tlsWarned) {
                log.debug("connection to {} failed: {}", connection.address, cause.toString());
            }
            ctx.close();
        }
    }
}
