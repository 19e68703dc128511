package io.switchboard.server.http;

import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.handler.codec.http.HttpServerCodec;
import io.switchboard.server.ServerContext;

/**
 * The pipeline of every accepted connection: HTTP/1.1 codec, a body aggregator bounded by
 * {@code limits.maxFrameBytes} (passing streaming routes through), and the dispatcher (replaced
 * by the WebSocket or SSE handlers when a request upgrades or starts a stream).
 */
public final class HttpChannelInitializer extends ChannelInitializer<Channel> {
    private final ServerContext sc;
    private final RouteTable routes;

    public HttpChannelInitializer(ServerContext sc, RouteTable routes) {
        this.sc = sc;
        this.routes = routes;
    }

    @Override
    protected void initChannel(Channel ch) {
        ch.pipeline()
                .addLast("http", new HttpServerCodec(8192, 32 * 1024, 8192))
                .addLast("aggregator", new JsonAggregator(sc.config().maxFrameBytes(), routes))
                .addLast("dispatcher", new HttpDispatcher(sc, routes, sc.cors()));
    }
}
