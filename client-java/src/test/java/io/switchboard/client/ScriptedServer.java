package io.switchboard.client;

import com.fasterxml.jackson.databind.JsonNode;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketServerProtocolHandler;
import io.switchboard.core.json.Json;

import java.net.InetSocketAddress;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BiConsumer;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * A WebSocket server on an ephemeral port of 127.0.0.1 that says only what a test tells it to:
 * it records every message a client sends, answers through a replaceable {@link #replies}
 * function, and lets the test write raw frames (batched ones included) or drop the connection.
 * Where the real server cannot be made to misbehave on cue, this one can.
 */
final class ScriptedServer implements AutoCloseable {
    /** A message a client sent, with the number of the connection (0, 1, ...) it came on. */
    record Received(int connection, JsonNode message) {
        String op() {
            return message.path("op").asText();
        }
    }

    private final EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
    private final List<Channel> connections = new CopyOnWriteArrayList<>();
    private final BlockingQueue<Received> received = new LinkedBlockingQueue<>();
    private final Channel listening;
    /** Answers a message (the frame to send back) or null for no answer; by default signs everyone in. */
    volatile Function<Received, String> replies = r -> r.op().equals("connect") ? signedIn(r.message(), "E") : null;

    ScriptedServer() {
        listening = new ServerBootstrap().group(group).channel(NioServerSocketChannel.class)
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        ch.pipeline().addLast(new HttpServerCodec(), new HttpObjectAggregator(64 * 1024),
                                new WebSocketServerProtocolHandler("/ws"), new Recorder());
                    }
                })
                .bind("127.0.0.1", 0).syncUninterruptibly().channel();
    }

    int port() {
        return ((InetSocketAddress) listening.localAddress()).getPort();
    }

    /** How many WebSocket connections were accepted so far. */
    int connectionCount() {
        return connections.size();
    }

    /** The next message a client sent, waiting up to 10 s. */
    Received next() throws InterruptedException {
        Received r = received.poll(10, TimeUnit.SECONDS);
        if (r == null) {
            throw new AssertionError("the client sent nothing within 10 s");
        }
        return r;
    }

    /** The next message, which must be {@code op}. */
    Received next(String op) throws InterruptedException {
        Received r = next();
        if (!r.op().equals(op)) {
            throw new AssertionError("expected '" + op + "', the client sent " + r.message());
        }
        return r;
    }

    /** The next message if one comes within {@code ms}, else null. */
    Received poll(long ms) throws InterruptedException {
        return received.poll(ms, TimeUnit.MILLISECONDS);
    }

    /** Writes one text frame, as is, on the latest connection. */
    void send(String frame) {
        latest().writeAndFlush(new TextWebSocketFrame(frame)).syncUninterruptibly();
    }

    /** Closes the latest connection's socket without a close frame, as a network failure would. */
    void drop() {
        latest().close().syncUninterruptibly();
    }

    /**
     * The newest connection. The client may see the handshake response a moment before this
     * side's handshake event registers the channel, so this waits for it a little.
     */
    private Channel latest() {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (connections.isEmpty()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("no client connected");
            }
            LockSupport.parkNanos(1_000_000);
        }
        return connections.get(connections.size() - 1);
    }

    @Override
    public void close() {
        listening.close().syncUninterruptibly();
        connections.forEach(Channel::close);
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
    }

    /**
     * Opens a client {@link WsConnection} to this server on {@code group}, as the client would,
     * and waits for the handshake; frames and the close go to the given callbacks.
     */
    WsConnection connect(EventLoopGroup group, BiConsumer<WsConnection, String> onFrame,
                         Consumer<WsConnection> onClosed) throws Exception {
        ClientOptions options = SwitchboardNetworkClient.builder().address("127.0.0.1", port()).options();
        CompletableFuture<WsConnection> opened = new CompletableFuture<>();
        WsConnection.open(group, options.addresses().get(0), options, new WsConnection.Listener() {
            @Override
            public void onOpen(WsConnection c) {
                opened.complete(c);
            }

            @Override
            public void onFrame(WsConnection c, String text) {
                onFrame.accept(c, text);
            }

            @Override
            public void onClosed(WsConnection c) {
                onClosed.accept(c);
            }
        }, () -> opened.completeExceptionally(new AssertionError("could not connect")));
        return opened.get(10, TimeUnit.SECONDS);
    }

    /** A successful reply to {@code request} with {@code result} (JSON text). */
    static String ok(JsonNode request, String result) {
        return "{\"id\":" + request.path("id").asLong() + ",\"ok\":true,\"result\":" + result + "}";
    }

    /** An error reply to {@code request}. */
    static String error(JsonNode request, String code) {
        return "{\"id\":" + request.path("id").asLong() + ",\"ok\":false,\"error\":{\"code\":\"" + code
                + "\",\"message\":\"scripted " + code + "\"}}";
    }

    /** The reply to {@code connect}: a session in {@code epoch}, without heartbeats. */
    static String signedIn(JsonNode connect, String epoch) {
        return ok(connect, "{\"session\":\"s\",\"epoch\":\"" + epoch + "\",\"offset\":0,\"heartbeatMs\":0}");
    }

    /** A push of a publish event at {@code offset} to subscription {@code sub}. */
    static String push(String sub, long offset, boolean ack) {
        return "{\"sub\":\"" + sub + "\"" + (ack ? ",\"ack\":true" : "") + ",\"event\":{\"offset\":" + offset
                + ",\"type\":\"publish\",\"path\":\"/a/x\",\"data\":{\"n\":" + offset + "},\"ts\":0}}";
    }

    private final class Recorder extends SimpleChannelInboundHandler<TextWebSocketFrame> {
        private int number = -1;

        @Override
        public void userEventTriggered(ChannelHandlerContext ctx, Object evt) throws Exception {
            if (evt instanceof WebSocketServerProtocolHandler.HandshakeComplete) {
                synchronized (connections) {
                    number = connections.size();
                    connections.add(ctx.channel());
                }
            }
            super.userEventTriggered(ctx, evt);
        }

        @Override
        protected void channelRead0(ChannelHandlerContext ctx, TextWebSocketFrame frame) {
            Received r = new Received(number, Json.parseTrusted(frame.text()));
            received.add(r);
            String answer = replies.apply(r);
            if (answer != null) {
                ctx.writeAndFlush(new TextWebSocketFrame(answer));
            }
        }
    }
}
