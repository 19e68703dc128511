package io.switchboard.server.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.QueryStringDecoder;
import io.switchboard.core.error.SwitchboardException;
import io.switchboard.core.json.Json;
import io.switchboard.core.op.Request;
import io.switchboard.core.op.RequestParser;
import io.switchboard.core.session.Session;
import io.switchboard.server.ServerContext;
import io.switchboard.server.transport.sse.SseStream;
import io.switchboard.server.transport.ws.WsUpgrade;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;

/**
 * Routes one aggregated HTTP request: {@code /ws} upgrades, {@code /api/sse} streams, the data
 * API (SPEC section 5) runs through the pipeline like any other door after authentication
 * ({@link HttpAuth}), {@code /api/auth/*} and {@code /api/admin/*} go to {@link SecurityRoutes}; health,
 * readiness and version stay public. Each API request is a stateless session opened and closed around the call.
 */
public final class HttpDispatcher extends SimpleChannelInboundHandler<FullHttpRequest> {
    private static final Logger LOG = LoggerFactory.getLogger(HttpDispatcher.class);

    private final ServerContext sc;
    private final HttpReplies replies;
    private final SecurityRoutes securityRoutes;

    public HttpDispatcher(ServerContext sc, Cors cors) {
        this.sc = sc;
        this.replies = new HttpReplies(cors);
        this.securityRoutes = new SecurityRoutes(sc.security(), sc.config().tokenTtlMs());
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest req) {
        if (!req.decoderResult().isSuccess()) {
            replies.error(ctx, req, SwitchboardException.badRequest("request", "is not valid HTTP"));
            return;
        }
        QueryStringDecoder qs = new QueryStringDecoder(req.uri());
        String path = qs.rawPath();
        try {
            if (sc.shuttingDown()) {
                replies.error(ctx, req, SwitchboardException.unavailable("server is shutting down", null));
            } else if (Cors.isPreflight(req)) {
                replies.send(ctx, req, replies.cors().preflight(req), false);
            } else if (path.equals("/ws") && isUpgrade(req)) {
                WsUpgrade.upgrade(ctx, req, this, sc);
            } else if (path.equals("/api/sse") && req.method().equals(HttpMethod.GET)) {
                SseStream.start(ctx, req, qs, this, sc, r -> replies.cors().apply(req, r.headers()),
                        e -> replies.error(ctx, req, e));
            } else if (path.equals("/health") && req.method().equals(HttpMethod.GET)) {
                replies.json(ctx, req, 200, Json.object().put("status", "ok"));
            } else if (path.equals("/ready") && req.method().equals(HttpMethod.GET)) {
                boolean up = sc.pipeline().engine().store().isHealthy();
                replies.json(ctx, req, up ? 200 : 503, Json.object().put("status", up ? "ready" : "unavailable"));
            } else if (path.equals("/version") && req.method().equals(HttpMethod.GET)) {
                replies.json(ctx, req, 200, Json.object().put("version", sc.version()));
            } else if (path.startsWith("/api/auth/") || path.startsWith("/api/admin/")) {
                CompletableFuture<SecurityRoutes.Reply> r;
                try {
                    r = securityRoutes.route(req, qs, path, HttpAuth.remote(ctx));
                } catch (RuntimeException e) {
                    r = CompletableFuture.failedFuture(e);
                }
                if (r == null) {
                    replies.error(ctx, req, SwitchboardException.notFound("no route for " + req.method() + " " + path));
                } else {
                    respond(ctx, req, r, null);
                }
            } else {
                ObjectNode msg = apiMessage(req, qs, path);
                if (msg == null) {
                    replies.error(ctx, req, SwitchboardException.notFound("no route for " + req.method() + " " + path));
                } else {
                    call(ctx, req, qs, msg);
                }
            }
        } catch (RuntimeException e) {
            replies.error(ctx, req, SwitchboardException.of(e));
        }
    }

    private static boolean isUpgrade(FullHttpRequest req) {
        return req.headers().containsValue(HttpHeaderNames.UPGRADE, HttpHeaderValues.WEBSOCKET, true);
    }

    /** The op message for an API route, or null when no route matches. */
    private ObjectNode apiMessage(FullHttpRequest req, QueryStringDecoder qs, String path) {
        HttpMethod m = req.method();
        if (path.startsWith("/api/data/") || path.equals("/api/data")) {
            String target = ApiPaths.decode(path.substring("/api/data".length()));
            if (m.equals(HttpMethod.GET)) {
                return new ApiMessages("get", qs).put("path", target).json("criteria").sort().integer("limit", "skip")
                        .list("fields").bool("pathsOnly").message();
            } else if (m.equals(HttpMethod.PUT) || m.equals(HttpMethod.PATCH)) {
                ApiMessages a = new ApiMessages("set", qs).put("path", target).integer("ifVersion", "ackTimeout")
                        .bool("noPublish", "noStore").text("consistency").json("meta").list("targetSessions");
                JsonNode body = body(req);
                if (body != null) {
                    a.set("data", body);
                }
                if (m.equals(HttpMethod.PATCH)) {
                    a.set("merge", Json.MAPPER.getNodeFactory().booleanNode(true));
                }
                return a.message();
            } else if (m.equals(HttpMethod.DELETE)) {
                return new ApiMessages("remove", qs).put("path", target).integer("ackTimeout").bool("noPublish")
                        .text("consistency").json("meta").list("targetSessions").message();
            }
            return null;
        }
        if (path.startsWith("/api/count/") && m.equals(HttpMethod.GET)) {
            return new ApiMessages("count", qs).put("path", ApiPaths.decode(path.substring("/api/count".length())))
                    .json("criteria").message();
        }
        if (path.startsWith("/api/publish/") && m.equals(HttpMethod.POST)) {
            JsonNode body = body(req);
            if (body != null && !body.isObject()) {
                throw SwitchboardException.badRequest("body", "must be a JSON object {data, meta, at}");
            }
            ObjectNode msg = body == null ? Json.object() : ((ObjectNode) body).deepCopy();
            msg.put("op", "publish").put("path", ApiPaths.decode(path.substring("/api/publish".length())));
            return msg;
        }
        if (path.startsWith("/api/events/") && path.endsWith("/cancel") && m.equals(HttpMethod.POST)) {
            String id = path.substring("/api/events/".length(), path.length() - "/cancel".length());
            if (id.isEmpty() || id.contains("/")) {
                return null;
            }
            return Json.object().put("op", "cancel").put("eventId", ApiPaths.decode(id).substring(1));
        }
        if (path.equals("/api/history") && m.equals(HttpMethod.GET)) {
            return new ApiMessages("history", qs).text("pattern")
                    .integer("since", "until", "sinceTs", "untilTs", "limit", "wait").message();
        }
        return null;
    }

    private static JsonNode body(FullHttpRequest req) {
        if (req.content().readableBytes() == 0) {
            return null;
        }
        return ApiMessages.parse(req.content().toString(StandardCharsets.UTF_8), "body");
    }

    /**
     * Authenticates (with security on), then runs the op. Reading pauses until the answer is
     * written, so pipelined requests on one keep-alive connection are answered in order even when
     * one of them long-polls.
     */
    private void call(ChannelHandlerContext ctx, FullHttpRequest req, QueryStringDecoder qs, ObjectNode msg) {
        Request r = RequestParser.parse(msg);
        String remote = remote(ctx);
        CompletableFuture<Session> auth = sc.secure()
                ? sc.security().authenticateHttp(HttpAuth.credentials(req, qs), remote, NoReplySink.INSTANCE)
                : CompletableFuture.completedFuture(sc.pipeline().openStateless(NoReplySink.INSTANCE, remote));
        Session[] opened = new Session[1];
        CompletableFuture<SecurityRoutes.Reply> result = auth.thenCompose(session -> {
            opened[0] = session;
            return sc.pipeline().call(session, r);
        }).thenApply(out -> SecurityRoutes.Reply.ok(out == null ? Json.MAPPER.nullNode() : out));
        respond(ctx, req, result, opened);
    }

    /** Writes the reply (or the error) once {@code result} completes, then closes the request's session. */
    private void respond(ChannelHandlerContext ctx, FullHttpRequest req, CompletableFuture<SecurityRoutes.Reply> result,
                         Session[] session) {
        req.retain();
        sc.inFlight().incrementAndGet();
        ctx.channel().config().setAutoRead(false);
        result.whenComplete((reply, err) -> {
            try {
                if (err != null) {
                    replies.error(ctx, req, SwitchboardException.of(err));
                } else {
                    FullHttpResponse res = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1,
                            HttpResponseStatus.valueOf(reply.status()), Unpooled.wrappedBuffer(Json.writeBytes(reply.body())));
                    res.headers().set(HttpHeaderNames.CONTENT_TYPE, HttpHeaderValues.APPLICATION_JSON);
                    for (String c : reply.cookies()) {
                        res.headers().add(HttpHeaderNames.SET_COOKIE, c);
                    }
                    if (!reply.cookies().isEmpty()) {
                        res.headers().set(HttpHeaderNames.CACHE_CONTROL, "no-store");
                    }
                    replies.send(ctx, req, res, false);
                }
            } catch (RuntimeException e) {
                LOG.warn("failed to write a response", e);
            } finally {
                if (session != null && session[0] != null) {
                    sc.pipeline().close(session[0]);
                }
                req.release();
                sc.inFlight().decrementAndGet();
                ctx.channel().config().setAutoRead(true);
            }
        });
    }

    private static String remote(ChannelHandlerContext ctx) {
        return HttpAuth.remote(ctx);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        if (!(cause instanceof IOException)) {
            LOG.warn("http error from {}", ctx.channel().remoteAddress(), cause);
        }
        ctx.close();
    }
}
