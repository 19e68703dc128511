package io.switchboard.server.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.QueryStringDecoder;
import io.switchboard.core.error.SwitchboardException;
import io.switchboard.core.json.Json;
import io.switchboard.core.op.Credentials;
import io.switchboard.server.ServerContext;
import io.switchboard.server.transport.RemoteAddress;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * One HTTP request being answered, as a route handler sees it: the request and its parsed query,
 * the client's address and credentials, and the ways to answer (at once, or when a future
 * completes). Reading from the connection pauses while an answer is pending, so pipelined
 * requests on one keep-alive connection are answered in order.
 */
public final class HttpExchange {
    private static final Logger LOG = LoggerFactory.getLogger(HttpExchange.class);

    private final ChannelHandlerContext ctx;
    private final HttpRequest request;
    private final QueryStringDecoder qs;
    private final ServerContext sc;
    private final HttpReplies replies;

    HttpExchange(ChannelHandlerContext ctx, HttpRequest request, QueryStringDecoder qs, ServerContext sc, HttpReplies replies) {
        this.ctx = ctx;
        this.request = request;
        this.qs = qs;
        this.sc = sc;
        this.replies = replies;
    }

    public ChannelHandlerContext ctx() { return ctx; }
    public HttpRequest request() { return request; }
    public HttpMethod method() { return request.method(); }
    public QueryStringDecoder query() { return qs; }
    public ServerContext server() { return sc; }
    HttpReplies replies() { return replies; }

    /** The raw (not decoded) URL path. */
    public String path() {
        return qs.rawPath();
    }

    /** The aggregated request (aggregated routes only). */
    public FullHttpRequest full() {
        return (FullHttpRequest) request;
    }

    public String remote() {
        return RemoteAddress.of(ctx.channel());
    }

    /** The request's credentials; a state-changing request by cookie alone must pass the {@link CookieGuard}. */
    public Credentials credentials() {
        HttpAuth auth = sc.httpAuth();
        if (auth.byCookie(request, qs)) {
            CookieGuard.check(request, sc.cors(), auth.cookieName());
        }
        return auth.credentials(request, qs);
    }

    /** Query parameters every route takes: {@code token} carries credentials (for EventSource). */
    static final java.util.Set<String> ALWAYS_ALLOWED_QUERY = java.util.Set.of("token");

    /** BAD_REQUEST naming the first query parameter not in {@code allowed} (nor {@code token}). */
    public void allowQuery(String... allowed) {
        java.util.Set<String> ok = new java.util.HashSet<>(ALWAYS_ALLOWED_QUERY);
        ok.addAll(List.of(allowed));
        refuseUnknownQuery(qs, ok);
    }

    static void refuseUnknownQuery(QueryStringDecoder qs, java.util.Set<String> allowed) {
        for (String name : qs.parameters().keySet()) {
            if (!allowed.contains(name)) {
                throw SwitchboardException.badRequest(name, "is not a known query parameter of this route"
                        + (allowed.size() > 1 ? "; known: " + String.join(", ", new java.util.TreeSet<>(allowed)) : ""));
            }
        }
    }

    /** The body as a JSON object ({@code {}} when empty), refusing a field not in {@code allowed}. */
    public ObjectNode bodyObject(java.util.Set<String> allowed) {
        ObjectNode b = bodyObject();
        io.switchboard.core.json.Fields.allowOnly(b, "", allowed);
        return b;
    }

    /** The last value of query parameter {@code name}, or null. */
    public String param(String name) {
        List<String> v = qs.parameters().get(name);
        return v == null || v.isEmpty() ? null : v.get(v.size() - 1);
    }

    /** The JSON body, or null when empty. BAD_REQUEST naming {@code body} when it is not JSON. */
    public JsonNode body() {
        FullHttpRequest f = full();
        if (f.content().readableBytes() == 0) {
            return null;
        }
        // Strictly: bytes that are not UTF-8 are refused, never read as U+FFFD.
        return ApiMessages.parse(io.switchboard.core.json.Utf8.decode(f.content().nioBuffer(), "body"), "body");
    }

    /** The body as a JSON object ({@code {}} when empty). */
    public ObjectNode bodyObject() {
        JsonNode n = body();
        if (n == null) {
            return Json.object();
        }
        if (!n.isObject()) {
            throw SwitchboardException.badRequest("body", "must be a JSON object");
        }
        return (ObjectNode) n;
    }

    public void json(int status, JsonNode body) {
        replies.json(ctx, request, status, body);
    }

    public void error(Throwable e) {
        replies.error(ctx, request, SwitchboardException.of(e));
    }

    public void notFound() {
        error(SwitchboardException.notFound("no route for " + request.method() + " " + path()));
    }

    /**
     * Answers when {@code result} completes (an error becomes the catalogue's error response).
     * Reading pauses until then; shutdown waits for it.
     */
    public void respond(CompletableFuture<Reply> result) {
        hold(result.handle((reply, err) -> {
            try {
                if (err != null) {
                    error(err);
                } else {
                    send(reply);
                }
            } catch (RuntimeException e) {
                LOG.warn("failed to write a response", e);
            }
            return null;
        }));
    }

    /**
     * For a handler that writes its own answer (a file): reading pauses and shutdown waits until
     * {@code answered} completes, as with {@link #respond}.
     */
    void hold(CompletableFuture<Void> answered) {
        if (request instanceof FullHttpRequest f) {
            f.retain();
        }
        sc.inFlight().incrementAndGet();
        ctx.channel().config().setAutoRead(false);
        answered.whenComplete((v, err) -> {
            if (request instanceof FullHttpRequest f) {
                f.release();
            }
            sc.inFlight().decrementAndGet();
            ctx.channel().config().setAutoRead(true);
        });
    }

    private void send(Reply reply) {
        FullHttpResponse res = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.valueOf(reply.status()),
                Unpooled.wrappedBuffer(Json.writeBytes(reply.body())));
        res.headers().set(HttpHeaderNames.CONTENT_TYPE, HttpHeaderValues.APPLICATION_JSON);
        for (String c : reply.cookies()) {
            res.headers().add(HttpHeaderNames.SET_COOKIE, c);
        }
        if (!reply.cookies().isEmpty()) {
            res.headers().set(HttpHeaderNames.CACHE_CONTROL, "no-store");
        }
        replies.send(ctx, request, res, false);
    }
}
