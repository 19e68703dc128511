package io.switchboard.bench.load;

import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.codec.LineBasedFrameDecoder;
import io.netty.handler.codec.string.StringDecoder;
import io.netty.handler.codec.string.StringEncoder;

import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;

/**
 * Minimal NATS core-protocol client (text protocol: INFO/CONNECT/SUB/PUB/MSG/PING/PONG), enough to
 * drive nats-server as the fan-out reference with the same worker code as Switchboard. Payloads
 * must be one line. {@link #send} takes a full protocol command (the worker builds {@code PUB}).
 */
public final class NatsConn extends ChannelConn {
    private final Listener listener;
    private final String subject;
    private boolean nextIsPayload;

    private NatsConn(Listener listener, String subject) {
        this.listener = listener;
        this.subject = subject;
    }

    /** Connects; when {@code subject} is non-null, subscribes to it and is open once the server confirmed (PONG). */
    public static NatsConn connect(Net net, String host, int port, String subject, Listener listener) {
        NatsConn c = new NatsConn(listener, subject);
        net.bootstrap().handler(new ChannelInitializer<SocketChannel>() {
            @Override
            protected void initChannel(SocketChannel ch) {
                ch.pipeline().addLast(new LineBasedFrameDecoder(1 << 20), new StringDecoder(StandardCharsets.UTF_8),
                        new StringEncoder(StandardCharsets.UTF_8), c.new Handler());
            }
        }).connect(new InetSocketAddress(host, port)).addListener(f -> {
            if (!f.isSuccess()) {
                listener.onClose(c, f.cause());
            }
        });
        return c;
    }

    /** {@code PUB subject len\r\npayload\r\n}. */
    public static String pub(String subject, String payload) {
        return "PUB " + subject + " " + payload.getBytes(StandardCharsets.UTF_8).length + "\r\n" + payload + "\r\n";
    }

    @Override
    public void send(String command, boolean flush) {
        Channel ch = channel;
        if (ch == null) {
            return;
        }
        if (flush) {
            ch.writeAndFlush(command, ch.voidPromise());
        } else {
            ch.write(command, ch.voidPromise());
        }
    }

    public void flush() {
        Channel ch = channel;
        if (ch != null) {
            ch.flush();
        }
    }

    private final class Handler extends SimpleChannelInboundHandler<String> {
        @Override
        protected void channelRead0(ChannelHandlerContext ctx, String line) {
            if (nextIsPayload) {
                nextIsPayload = false;
                listener.onMessage(NatsConn.this, line);
            } else if (line.startsWith("MSG ")) {
                nextIsPayload = true;
            } else if (line.startsWith("PING")) {
                ctx.writeAndFlush("PONG\r\n");
            } else if (line.startsWith("INFO")) {
                channel = ctx.channel();
                StringBuilder sb = new StringBuilder("CONNECT {\"verbose\":false,\"pedantic\":false,\"echo\":false}\r\n");
                if (subject != null) {
                    sb.append("SUB ").append(subject).append(" 1\r\n");
                }
                sb.append("PING\r\n");
                ctx.writeAndFlush(sb.toString());
            } else if (line.startsWith("PONG")) {
                if (!open) {
                    open = true;
                    listener.onOpen(NatsConn.this);
                }
            } else if (line.startsWith("-ERR")) {
                System.err.println("nats: " + line);
            }
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) throws Exception {
            open = false;
            listener.onClose(NatsConn.this, null);
            super.channelInactive(ctx);
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            ctx.close();
        }
    }
}
