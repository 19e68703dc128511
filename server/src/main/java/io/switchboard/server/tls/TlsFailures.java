package io.switchboard.server.tls;

import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import javax.net.ssl.SSLException;

/**
 * Sits right behind the {@code SslHandler}: a failed or timed-out handshake, or plain HTTP sent
 * to the TLS port, is the client's problem, so it is logged at debug and the connection closed,
 * instead of reaching the HTTP or WebSocket handlers as an unexpected error.
 */
@ChannelHandler.Sharable
public final class TlsFailures extends ChannelInboundHandlerAdapter {
    public static final TlsFailures INSTANCE = new TlsFailures();
    private static final Logger LOG = LoggerFactory.getLogger(TlsFailures.class);

    private TlsFailures() {
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        for (Throwable t = cause; t != null; t = t.getCause()) {
            if (t instanceof SSLException) {
                LOG.debug("tls failure from {}: {}", ctx.channel().remoteAddress(), t.toString());
                ctx.close();
                return;
            }
        }
        ctx.fireExceptionCaught(cause);
    }
}
