package io.switchboard.server.http;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.handler.codec.http.QueryStringDecoder;
import io.netty.util.ReferenceCountUtil;
import io.switchboard.core.error.SwitchboardException;
import io.switchboard.server.ServerContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;

/**
 * The last handler of every HTTP connection: answers what no route owns (invalid HTTP,
 * shutdown, CORS preflight) and hands each request to its {@link Route} from the
 * {@link RouteTable} — whole for aggregated routes, chunk by chunk for streaming ones.
 */
public final class HttpDispatcher extends ChannelInboundHandlerAdapter {
    private static final Logger LOG = LoggerFactory.getLogger(HttpDispatcher.class);

    private final ServerContext sc;
    private final RouteTable routes;
    private final HttpReplies replies;
    /** The streaming body in progress on this connection, or null. */
    private Route.BodySink streaming;

    public HttpDispatcher(ServerContext sc, RouteTable routes, Cors cors) {
        this.sc = sc;
        this.routes = routes;
        this.replies = new HttpReplies(cors);
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        try {
            if (msg instanceof FullHttpRequest req) {
                onRequest(ctx, req);
            } else if (msg instanceof HttpRequest head) {
                onStreamingHead(ctx, head);
            } else if (msg instanceof HttpContent part && streaming != null) {
                Route.BodySink sink = streaming;
                if (part instanceof LastHttpContent) {
                    streaming = null;
                }
                sink.chunk(part.content());
                if (part instanceof LastHttpContent) {
                    sink.end();
                }
            }
        } finally {
            ReferenceCountUtil.release(msg);
        }
    }

    private void onRequest(ChannelHandlerContext ctx, FullHttpRequest req) {
        if (!req.decoderResult().isSuccess()) {
            malformed(ctx, req);
            return;
        }
        QueryStringDecoder qs = new QueryStringDecoder(req.uri());
        HttpExchange x = new HttpExchange(ctx, req, qs, sc, replies);
        try {
            RequestTargets.check(req.uri());
            if (sc.shuttingDown()) {
                x.error(SwitchboardException.unavailable("server is shutting down", null));
            } else if (Cors.isPreflight(req)) {
                replies.send(ctx, req, replies.cors().preflight(req), false);
            } else {
                Route r = routes.find(qs.rawPath());
                if (r == null || !(r.handler() instanceof Route.Handler h)) {
                    x.notFound();
                } else {
                    h.handle(x);
                }
            }
        } catch (RuntimeException e) {
            x.error(e);
        }
    }

    private void onStreamingHead(ChannelHandlerContext ctx, HttpRequest head) {
        QueryStringDecoder qs = new QueryStringDecoder(head.uri());
        HttpExchange x = new HttpExchange(ctx, head, qs, sc, replies);
        Route r = routes.find(qs.rawPath());
        try {
            if (!head.decoderResult().isSuccess()) {
                malformed(ctx, head);
            } else if (sc.shuttingDown()) {
                x.error(SwitchboardException.unavailable("server is shutting down", null));
            } else if (!checkTarget(x, head.uri())) {
                return;
            } else if (r == null || !(r.handler() instanceof Route.StreamingHandler h)) {
                x.notFound();
            } else {
                streaming = h.open(x);
                if (head instanceof LastHttpContent && streaming != null) {
                    Route.BodySink sink = streaming;
                    streaming = null;
                    sink.end();
                }
            }
        } catch (RuntimeException e) {
            streaming = null;
            x.error(e);
        }
    }

    /**
     * A request Netty could not decode (Content-Length with Transfer-Encoding, differing
     * Content-Lengths, an over-large header, a bad request line): 400 naming why, then the
     * connection is closed — where the next request would start in these bytes is unknown, so
     * reading on could smuggle one.
     */
    private void malformed(ChannelHandlerContext ctx, HttpRequest req) {
        Throwable cause = req.decoderResult().cause();
        String why = cause == null || cause.getMessage() == null ? "" : cause.getMessage();
        if (why.length() > 120) {
            why = why.substring(0, 120) + "...";
        }
        replies.error(ctx, req, SwitchboardException.badRequest("request",
                "is not valid HTTP" + (why.isEmpty() ? "" : " (" + why + ")") + "; the connection is closed"), true);
    }

    /** False (answered 400) when the request target is not ASCII with UTF-8 escapes. */
    private static boolean checkTarget(HttpExchange x, String uri) {
        try {
            RequestTargets.check(uri);
            return true;
        } catch (SwitchboardException e) {
            x.error(e);
            return false;
        }
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        if (streaming != null) {
            streaming.abort(new IOException("connection closed"));
            streaming = null;
        }
        ctx.fireChannelInactive();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        if (cause instanceof io.netty.handler.codec.PrematureChannelClosureException) {
            // The client went away mid-request (e.g. after a refused 100-continue): nothing to answer.
            LOG.debug("{} closed mid-request", ctx.channel().remoteAddress());
        } else if (!(cause instanceof IOException)) {
            LOG.warn("http error from {}", ctx.channel().remoteAddress(), cause);
        }
        ctx.close();
    }
}
