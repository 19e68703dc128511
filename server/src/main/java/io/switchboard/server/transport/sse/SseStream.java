package io.switchboard.server.transport.sse;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.DefaultHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.util.ReferenceCountUtil;
import io.switchboard.core.error.SwitchboardException;
import io.switchboard.core.op.Credentials;
import io.switchboard.core.model.EventType;
import io.switchboard.core.op.Request;
import io.switchboard.core.path.Pattern;
import io.switchboard.core.pipeline.Pipeline;
import io.switchboard.core.session.Session;
import io.switchboard.server.ServerContext;
import io.switchboard.server.http.HttpExchange;
import io.switchboard.server.http.Route;
import io.switchboard.server.http.RouteTable;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.BiFunction;

/**
 * {@code GET /api/sse?pattern=..&pattern=..}: a Server-Sent Events stream. The stream's session
 * is opened, authenticated ({@code connect} with the request's credentials) and subscribed to
 * each pattern through the pipeline before anything is written, with the connection's output
 * held: bad credentials or a forbidden pattern get a plain JSON error with their status, and no
 * push can overtake the stream's headers. Resumes after {@code Last-Event-ID} or {@code ?since=}.
 */
public final class SseStream {
    private SseStream() {
    }

    /** The route of {@code GET /api/sse}. */
    public static void register(RouteTable t, ServerContext sc) {
        t.add(Route.exact("/api/sse", x -> {
            if (x.method().equals(HttpMethod.GET)) {
                start(x, sc);
            } else {
                x.notFound();
            }
        }));
    }

    private static void start(HttpExchange x, ServerContext sc) {
        x.allowQuery("pattern", "since");
        List<String> raw = x.query().parameters().getOrDefault("pattern", List.of());
        if (raw.isEmpty()) {
            throw SwitchboardException.badRequest("pattern", "is required");
        }
        List<Pattern> patterns = new ArrayList<>();
        for (String p : raw) {
            patterns.add(Pattern.compile(p, "pattern"));
        }
        Long since = since(x);
        open(x, sc, SseFormat.NATIVE, x.credentials(), (session, conn) -> {
            CompletableFuture<?> chain = CompletableFuture.completedFuture(null);
            for (Pattern p : patterns) {
                chain = chain.thenCompose(v -> sc.pipeline().call(session, subscribe(p, since)));
            }
            return chain;
        });
    }

    /**
     * Opens a stream of any format: a stateful session authenticated with {@code credentials}
     * through the pipeline, then {@code setup} (subscriptions, first records) with the stream's
     * output held. A failure of either is answered as a plain JSON error with its status; once
     * both succeed the headers go out, then what setup queued, then the pushes.
     */
    public static void open(HttpExchange x, ServerContext sc, SseFormat format, Credentials credentials,
                            BiFunction<Session, SseConnection, CompletableFuture<?>> setup) {
        ChannelHandlerContext ctx = x.ctx();
        Pipeline pipeline = sc.pipeline();
        SseConnection conn = new SseConnection(ctx.channel(), sc.config().maxOutboundBytes(),
                sc.config().sseKeepaliveMs(), sc.connections(), format);
        conn.hold();
        Session session = pipeline.openStateful(conn, x.remote(), 0);
        conn.session(session);
        x.full().retain();
        ctx.channel().config().setAutoRead(false);
        CompletableFuture<?> chain = pipeline.connect(session, credentials).thenCompose(c -> setup.apply(session, conn));
        chain.whenComplete((v, err) -> ctx.executor().execute(() -> {
            try {
                ctx.channel().config().setAutoRead(true);
                if (err != null) {
                    session.close();
                    x.error(err);
                } else if (!ctx.channel().isActive()) {
                    session.close();
                } else {
                    stream(x, sc, conn, session);
                }
            } finally {
                x.full().release();
            }
        }));
    }

    /** Writes the stream's headers, swaps the dispatcher for the stream's handler, releases the pushes. */
    private static void stream(HttpExchange x, ServerContext sc, SseConnection conn, Session session) {
        ChannelHandlerContext ctx = x.ctx();
        HttpResponse head = new DefaultHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK);
        head.headers().set(HttpHeaderNames.CONTENT_TYPE, "text/event-stream; charset=utf-8")
                .set(HttpHeaderNames.CACHE_CONTROL, "no-cache")
                .set(HttpHeaderNames.TRANSFER_ENCODING, HttpHeaderValues.CHUNKED)
                .set("X-Accel-Buffering", "no");
        sc.cors().apply(x.request(), head.headers());
        ctx.writeAndFlush(head);
        sc.connections().add(conn);
        ctx.pipeline().replace(ctx.handler(), "sse", new ChannelInboundHandlerAdapter() {
            @Override
            public void channelRead(ChannelHandlerContext c, Object msg) {
                ReferenceCountUtil.release(msg); // a stream takes no further requests
            }

            @Override
            public void channelInactive(ChannelHandlerContext c) {
                sc.connections().remove(conn);
                conn.drop();
                session.close();
                c.fireChannelInactive();
            }
        });
        conn.release();
        if (sc.shuttingDown()) {
            conn.shutdown();
        }
    }

    private static Request.Subscribe subscribe(Pattern p, Long since) {
        return new Request.Subscribe(p, EnumSet.allOf(EventType.class), 0, false, since, null, false, null);
    }

    private static Long since(HttpExchange x) {
        String header = x.request().headers().get("Last-Event-ID");
        String field = header != null ? "Last-Event-ID" : "since";
        String v = header != null ? header : x.param("since");
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
}
