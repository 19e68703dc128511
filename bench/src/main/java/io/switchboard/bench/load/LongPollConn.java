package io.switchboard.bench.load;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpClientCodec;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpVersion;

import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.function.BiConsumer;

/** One long-poll: a GET that the server holds until it has an answer; the answer (status, body) is reported once. */
final class LongPollConn {
    private LongPollConn() {
    }

    /** Sends {@code GET pathAndQuery}; {@code onSent} runs once the request is written, {@code onAnswer} with the response. */
    static void get(Net net, String host, int port, String pathAndQuery, String authorization, Runnable onSent,
                    BiConsumer<Integer, String> onAnswer) {
        net.bootstrap().handler(new ChannelInitializer<SocketChannel>() {
            @Override
            protected void initChannel(SocketChannel ch) {
                ch.pipeline().addLast(new HttpClientCodec(), new HttpObjectAggregator(1 << 20),
                        new SimpleChannelInboundHandler<FullHttpResponse>() {
                            @Override
                            protected void channelRead0(ChannelHandlerContext ctx, FullHttpResponse r) {
                                onAnswer.accept(r.status().code(), r.content().toString(StandardCharsets.UTF_8));
                                ctx.close();
                            }

                            @Override
                            public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
                                onAnswer.accept(-1, String.valueOf(cause));
                                ctx.close();
                            }
                        });
            }
        }).connect(new InetSocketAddress(host, port)).addListener(f -> {
            if (!f.isSuccess()) {
                onAnswer.accept(-1, String.valueOf(f.cause()));
                return;
            }
            var ch = ((io.netty.channel.ChannelFuture) f).channel();
            DefaultFullHttpRequest req = new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.GET, pathAndQuery);
            req.headers().set(HttpHeaderNames.HOST, host + ":" + port);
            if (authorization != null) {
                req.headers().set(HttpHeaderNames.AUTHORIZATION, authorization);
            }
            ch.writeAndFlush(req).addListener(w -> onSent.run());
        });
    }
}
