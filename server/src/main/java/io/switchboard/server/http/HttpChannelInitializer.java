package io.switchboard.server.http;

import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.handler.codec.http.HttpServerCodec;
import io.switchboard.server.ServerContext;

/**
 * The pipeline of every accepted connection: HTTP/1.1 codec, a body aggregator bounded by
 * {@code limits.maxFrameBytes}, and the dispatcher (replaced by the WebSocket or SSE handlers
 * when a request upgrades or starts a stream).
 */
public final class HttpChannelInitializer extends ChannelInitializer<Channel> {
    private final ServerContext sc;
    private final Cors cors;

    public HttpChannelInitializer(ServerContext sc) {
        this.sc = sc;
        this.cors = new Cors(sc.config().corsOrigins());
    }

    @Override
    protected void initChannel(Channel ch) {
        ch.pipeline()
                .addLast("http", new HttpServerCodec(8192, 32 * 1024, 8192))
                .addLast("aggregator", new JsonAggregator(sc.config().maxFrameBytes()))
                .addLast("dispatcher", new HttpDispatcher(sc, cors));
    }
}
