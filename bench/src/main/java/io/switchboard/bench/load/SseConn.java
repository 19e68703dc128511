package io.switchboard.bench.load;

import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.HttpClientCodec;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpObject;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpVersion;

import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;

/**
 * A Server-Sent Events client: {@code GET path} and then every {@code data:} line is one message.
 * Open once the response head is 200.
 */
public final class SseConn extends ChannelConn {
    private final Listener listener;
    private final StringBuilder partial = new StringBuilder();

    private SseConn(Listener listener) {
        this.listener = listener;
    }

    public static SseConn connect(Net net, String host, int port, String pathAndQuery, Listener listener) {
        return connect(net, host, port, pathAndQuery, null, listener);
    }

    /** With an {@code Authorization} header (null: none). */
    public static SseConn connect(Net net, String host, int port, String pathAndQuery, String authorization, Listener listener) {
        SseConn c = new SseConn(listener);
        net.bootstrap().handler(new ChannelInitializer<SocketChannel>() {
            @Override
            protected void initChannel(SocketChannel ch) {
                ch.pipeline().addLast(new HttpClientCodec(), c.new Handler());
            }
        }).connect(new InetSocketAddress(host, port)).addListener(f -> {
            if (!f.isSuccess()) {
                listener.onClose(c, f.cause());
                return;
            }
            Channel ch = ((io.netty.channel.ChannelFuture) f).channel();
            c.channel = ch;
            DefaultFullHttpRequest req = new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.GET, pathAndQuery);
            req.headers().set(HttpHeaderNames.HOST, host + ":" + port);
            req.headers().set(HttpHeaderNames.ACCEPT, "text/event-stream");
            if (authorization != null) {
                req.headers().set(HttpHeaderNames.AUTHORIZATION, authorization);
            }
            ch.writeAndFlush(req);
        });
        return c;
    }

    @Override
    public void send(String message, boolean flush) {
        throw new UnsupportedOperationException("SSE is receive-only");
    }

    private final class Handler extends SimpleChannelInboundHandler<HttpObject> {
        @Override
        protected void channelRead0(ChannelHandlerContext ctx, HttpObject msg) {
            if (msg instanceof HttpResponse r) {
                if (r.status().code() == 200) {
                    open = true;
                    listener.onOpen(SseConn.this);
                } else {
                    ctx.close();
                }
            }
            if (msg instanceof HttpContent content) {
                partial.append(content.content().toString(StandardCharsets.UTF_8));
                int from = 0;
                int nl;
                while ((nl = partial.indexOf("\n", from)) >= 0) {
                    if (nl - from > 5 && "data:".contentEquals(partial.subSequence(from, from + 5))) {
                        int s = from + 5;
                        if (s < nl && partial.charAt(s) == ' ') {
                            s++;
                        }
                        listener.onMessage(SseConn.this, partial.substring(s, nl));
                    }
                    from = nl + 1;
                }
                partial.delete(0, from);
            }
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) throws Exception {
            open = false;
            listener.onClose(SseConn.this, null);
            super.channelInactive(ctx);
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            ctx.close();
        }
    }
}
