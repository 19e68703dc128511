package io.switchboard.server.http;

import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.handler.codec.http.HttpServerCodec;
import io.switchboard.server.ServerContext;
import io.switchboard.server.tls.TlsFailures;
import io.switchboard.server.transport.ConnectionGate;
import io.switchboard.server.transport.ConnectionLimiter;

/**
 * The pipeline of every accepted connection: the connection gate (limits.maxConnections,
 * maxConnectionsPerIp), TLS when {@code http.tls.*} is set, HTTP/1.1 codec, the read deadline (limits.requestTimeoutMs), a body aggregator bounded by
 * {@code limits.maxFrameBytes} (passing streaming routes through), and the dispatcher (replaced
 * by the WebSocket or SSE handlers when a request upgrades or starts a stream).
 */
public final class HttpChannelInitializer extends ChannelInitializer<Channel> {
    private final ServerContext sc;
    private final RouteTable routes;
    private final ConnectionLimiter limiter;

    public HttpChannelInitializer(ServerContext sc, RouteTable routes) {
        this.sc = sc;
        this.routes = routes;
        this.limiter = new ConnectionLimiter(sc.config().maxConnections(), sc.config().maxConnectionsPerIp());
    }

    /** The open-connection counts (for tests and metrics). */
    public ConnectionLimiter limiter() {
        return limiter;
    }

    @Override
    protected void initChannel(Channel ch) {
        ch.pipeline().addLast("gate", new ConnectionGate(limiter));
        if (sc.tls() != null) {
            // Counted by the gate first, so a connection refused there costs no handshake.
            ch.pipeline().addLast("tls", sc.tls().newHandler(ch.alloc())).addLast("tls-failures", TlsFailures.INSTANCE);
        }
        ch.pipeline()
                .addLast("http", new HttpServerCodec(8192, 32 * 1024, 8192))
                .addLast(HttpReadDeadline.NAME, new HttpReadDeadline(sc.config().requestTimeoutMs()))
                .addLast("aggregator", new JsonAggregator(sc.config().maxFrameBytes(), routes))
                .addLast("dispatcher", new HttpDispatcher(sc, routes, sc.cors()));
    }
}
