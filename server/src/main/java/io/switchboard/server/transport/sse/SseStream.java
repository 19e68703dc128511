package io.switchboard.server.transport.sse;

import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.DefaultHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.QueryStringDecoder;
import io.netty.util.ReferenceCountUtil;
import io.switchboard.core.error.SwitchboardException;
import io.switchboard.core.model.EventType;
import io.switchboard.core.op.Request;
import io.switchboard.core.path.Pattern;
import io.switchboard.core.session.Session;
import io.switchboard.server.ServerContext;
import io.switchboard.server.http.HttpAuth;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;

/**
 * Starts an SSE stream for {@code GET /api/sse?pattern=..&pattern=..}: validates the
 * parameters (so bad input still gets a JSON error), sends the stream headers, then subscribes
 * each pattern through the pipeline, resuming after {@code Last-Event-ID} or {@code ?since=}.
 */
public final class SseStream {
    private SseStream() {
    }

    /**
     * @param corsHeaders adds the CORS headers to the stream's response
     * @throws SwitchboardException for bad parameters, before anything was written
     */
    public static void start(ChannelHandlerContext ctx, FullHttpRequest req, QueryStringDecoder qs,
                             ChannelHandler httpHandler, ServerContext sc, Consumer<HttpResponse> corsHeaders,
                             Consumer<SwitchboardException> errorReply) {
        List<String> raw = qs.parameters().getOrDefault("pattern", List.of());
        if (raw.isEmpty()) {
            throw SwitchboardException.badRequest("pattern", "is required");
        }
        List<Pattern> patterns = new ArrayList<>();
        for (String p : raw) {
            patterns.add(Pattern.compile(p, "pattern"));
        }
        Long since = since(req, qs);

        SseConnection conn = new SseConnection(ctx.channel(), sc.config().maxOutboundBytes(),
                sc.config().sseKeepaliveMs(), sc.connections());
        String remote = HttpAuth.remote(ctx);
        Session session = sc.pipeline().openStateful(conn, remote, 0);
        conn.session(session);
        if (!sc.secure()) {
            stream(ctx, httpHandler, sc, corsHeaders, conn, session, patterns, since, true);
            return;
        }
        // Authenticate before anything is written, so bad credentials get a plain 401 JSON reply.
        req.retain();
        ctx.channel().config().setAutoRead(false);
        sc.security().authenticate(session, HttpAuth.credentials(req, qs)).whenComplete((s, err) ->
                ctx.executor().execute(() -> {
                    try {
                        ctx.channel().config().setAutoRead(true);
                        if (err != null) {
                            sc.pipeline().close(session);
                            errorReply.accept(SwitchboardException.of(err));
                        } else if (ctx.channel().isActive()) {
                            session.markConnected();
                            try {
                                // A pattern the user may not subscribe to is a plain 403, before the stream starts.
                                for (Pattern p : patterns) {
                                    sc.security().check(session, subscribe(p, since));
                                }
                            } catch (RuntimeException e) {
                                sc.pipeline().close(session);
                                errorReply.accept(SwitchboardException.of(e));
                                return;
                            }
                            stream(ctx, httpHandler, sc, corsHeaders, conn, session, patterns, since, false);
                        } else {
                            sc.pipeline().close(session);
                        }
                    } finally {
                        req.release();
                    }
                }));
    }

    private static void stream(ChannelHandlerContext ctx, ChannelHandler httpHandler, ServerContext sc,
                               Consumer<HttpResponse> corsHeaders, SseConnection conn, Session session,
                               List<Pattern> patterns, Long since, boolean connect) {
        HttpResponse head = new DefaultHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK);
        head.headers().set(HttpHeaderNames.CONTENT_TYPE, "text/event-stream; charset=utf-8")
                .set(HttpHeaderNames.CACHE_CONTROL, "no-cache")
                .set(HttpHeaderNames.TRANSFER_ENCODING, HttpHeaderValues.CHUNKED)
                .set("X-Accel-Buffering", "no");
        corsHeaders.accept(head);
        // Written before any subscription exists, so no push can overtake the headers.
        ctx.writeAndFlush(head);

        sc.connections().add(conn);
        ctx.pipeline().replace(httpHandler, "sse", new ChannelInboundHandlerAdapter() {
            @Override
            public void channelRead(ChannelHandlerContext c, Object msg) {
                ReferenceCountUtil.release(msg); // a stream takes no further requests
            }

            @Override
            public void channelInactive(ChannelHandlerContext c) {
                sc.connections().remove(conn);
                conn.drop();
                sc.pipeline().close(session);
                c.fireChannelInactive();
            }
        });
        if (sc.shuttingDown()) {
            conn.shutdown();
            return;
        }
        // Insecure mode connects here; with security the session was authenticated by the caller.
        CompletableFuture<?> chain = connect ? sc.pipeline().call(session, new Request.Connect(null, null, null))
                : CompletableFuture.completedFuture(null);
        for (Pattern p : patterns) {
            chain = chain.thenCompose(x -> sc.pipeline().call(session, subscribe(p, since)));
        }
        chain.whenComplete((x, err) -> {
            if (err != null) {
                conn.error(0, SwitchboardException.of(err));
                conn.close("error");
            }
        });
    }

    private static Request.Subscribe subscribe(Pattern p, Long since) {
        return new Request.Subscribe(p, EnumSet.allOf(EventType.class), 0, false, since, null, false, null);
    }

    private static Long since(FullHttpRequest req, QueryStringDecoder qs) {
        String header = req.headers().get("Last-Event-ID");
        String field = header != null ? "Last-Event-ID" : "since";
        String v = header != null ? header : first(qs, "since");
        if (v == null || v.isBlank()) {
            return null;
        }
        try {
            long n = Long.parseLong(v.trim());
            if (n < 0) {
                throw SwitchboardException.badRequest(field, "must not be negative");
            }
            return n;
        } catch (NumberFormatException e) {
            throw SwitchboardException.badRequest(field, "must be an event offset (integer)");
        }
    }

    private static String first(QueryStringDecoder qs, String name) {
        List<String> v = qs.parameters().get(name);
        return v == null || v.isEmpty() ? null : v.get(0);
    }
}
