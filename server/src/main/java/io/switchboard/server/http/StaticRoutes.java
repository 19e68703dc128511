package io.switchboard.server.http;

import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.DefaultHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import io.switchboard.core.error.ErrorCode;
import io.switchboard.core.error.SwitchboardException;
import io.switchboard.core.op.Credentials;
import io.switchboard.server.ServerContext;
import io.switchboard.server.config.ConfigException;
import io.switchboard.server.config.ConfigKeys;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * Serves an app's static web files from {@code http.static.dir} under {@code http.static.prefix}
 * (see docs/static-files.md): GET and HEAD, {@code index.html} for a directory, content types by
 * extension, ETag/Last-Modified with 304, the file streamed off the event loop. With
 * {@code http.static.access: secured} each request opens a stateless session through the
 * pipeline (so revocation, expiry and profiles apply) and needs {@code get} on
 * {@code /@HTTP<path>} from {@link io.switchboard.core.security.SecurityService#authorizeHttp}.
 */
public final class StaticRoutes {
    /** happn-3's challenge on a 401 from its connect middleware. */
    static final String HAPPN_CHALLENGE = "happn-auth";

    private final ServerContext sc;
    private final StaticSettings settings;
    private final StaticFiles files;
    private final HttpAuth auth;
    private final String challenge;
    /** File system calls and reads; threads end when idle, a full queue is 503. */
    private final ThreadPoolExecutor io;

    private StaticRoutes(ServerContext sc, StaticSettings settings) {
        this.sc = sc;
        this.settings = settings;
        this.files = new StaticFiles(settings.root(), settings.maxFileBytes());
        boolean happn = sc.config().happnEnabled();
        this.auth = happn ? sc.httpAuth().withHappn() : sc.httpAuth();
        this.challenge = happn ? HAPPN_CHALLENGE : HttpReplies.BEARER;
        this.io = new ThreadPoolExecutor(4, 4, 30, TimeUnit.SECONDS, new LinkedBlockingQueue<>(1024), r -> {
            Thread t = new Thread(r, "sb-static-io");
            t.setDaemon(true);
            return t;
        }, (r, pool) -> {
            throw SwitchboardException.unavailable("too many static file requests at once; retry", null);
        });
        io.allowCoreThreadTimeOut(true);
    }

    /** Adds the static route to {@code t} when {@code http.static.dir} is set. */
    public static void register(RouteTable t, ServerContext sc) {
        StaticSettings s = StaticSettings.of(sc.config());
        if (s != null) {
            try {
                t.add(Route.prefix(s.prefix(), new StaticRoutes(sc, s)::handle));
            } catch (IllegalStateException taken) {
                throw new ConfigException(ConfigKeys.HTTP_STATIC_PREFIX
                        + ": '" + s.prefix() + "' is already a route of the server; choose another mount");
            }
        }
    }

    private void handle(HttpExchange x) {
        String raw = x.path();
        String rest = settings.atRoot() ? raw : raw.substring(settings.prefix().length());
        HttpMethod m = x.method();
        boolean head = m.equals(HttpMethod.HEAD);
        if ((!rest.isEmpty() && !rest.startsWith("/")) || !(head || m.equals(HttpMethod.GET))) {
            x.notFound();
            return;
        }
        if (rest.isEmpty()) {
            // The mount itself: its index, at the slash form so that relative links resolve below it.
            FullHttpResponse r = empty(HttpResponseStatus.MOVED_PERMANENTLY);
            r.headers().set(HttpHeaderNames.LOCATION, settings.prefix() + "/" + query(x.request()));
            x.replies().send(x.ctx(), x.request(), r, false);
            return;
        }
        StaticPaths.Target target = StaticPaths.parse(rest);
        String urlPath = (settings.atRoot() ? "" : settings.prefix()) + target.servedPath();
        HttpRequest req = x.request();
        CompletableFuture<Void> done = new CompletableFuture<>();
        x.hold(done);
        CompletableFuture<StaticFiles.Found> found;
        try {
            found = access(x, m.name(), urlPath).thenApplyAsync(v -> files.open(target), io);
        } catch (RuntimeException e) {
            found = CompletableFuture.failedFuture(e);
        }
        ChannelHandlerContext ctx = x.ctx();
        found.whenComplete((f, err) -> {
            try {
                ctx.executor().execute(() -> {
                    try {
                        answer(x, req, head, f, err, done);
                    } catch (RuntimeException e) {
                        abandon(ctx, f, done);
                    }
                });
            } catch (RuntimeException loopGone) {
                abandon(ctx, f, done);
            }
        });
    }

    /** Nothing more can be written: close the file and the connection, release the request. */
    private static void abandon(ChannelHandlerContext ctx, StaticFiles.Found f, CompletableFuture<Void> done) {
        if (f != null && f.channel() != null) {
            close(f);
        }
        ctx.close();
        done.complete(null);
    }

    /** Done at once for public files (or a public path); else a session through the pipeline, then the /@HTTP permission. */
    private CompletableFuture<Void> access(HttpExchange x, String method, String urlPath) {
        if (!settings.secured() || settings.isPublic(urlPath)) {
            return CompletableFuture.completedFuture(null);
        }
        Credentials c = auth.credentials(x.request(), x.query());
        if (c == Credentials.NONE) {
            return CompletableFuture.failedFuture(new SwitchboardException(ErrorCode.UNAUTHENTICATED,
                    "a token is required: Authorization: Bearer, cookie " + String.join(" or ", cookieNames())
                            + ", or ?token="));
        }
        return sc.pipeline().authenticate(c, x.remote(), NoReplySink.INSTANCE).thenAccept(s -> {
            try {
                sc.security().authorizeHttp(s, method, urlPath);
            } finally {
                s.close();
            }
        });
    }

    private java.util.List<String> cookieNames() {
        return auth == sc.httpAuth() ? java.util.List.of(auth.cookieName())
                : java.util.List.of(auth.cookieName(), HttpAuth.HAPPN_TOKEN);
    }

    /** On the event loop: the error, redirect, 304 or file. */
    private void answer(HttpExchange x, HttpRequest req, boolean head, StaticFiles.Found f, Throwable err,
                        CompletableFuture<Void> done) {
        ChannelHandlerContext ctx = x.ctx();
        if (err != null) {
            x.replies().error(ctx, req, SwitchboardException.of(err), false, challenge).addListener(w -> done.complete(null));
            return;
        }
        if (f.redirect()) {
            FullHttpResponse r = empty(HttpResponseStatus.MOVED_PERMANENTLY);
            r.headers().set(HttpHeaderNames.LOCATION, x.path() + "/" + query(req));
            x.replies().send(ctx, req, r, false).addListener(w -> done.complete(null));
            return;
        }
        String etag = f.etag();
        if (StaticConditions.notModified(req.headers(), etag, f.modifiedMs())) {
            close(f);
            FullHttpResponse r = empty(HttpResponseStatus.NOT_MODIFIED);
            validators(r.headers(), f);
            x.replies().send(ctx, req, r, false).addListener(w -> done.complete(null));
            return;
        }
        HttpResponse r = new DefaultHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK);
        r.headers().set(HttpHeaderNames.CONTENT_TYPE, ContentTypes.of(f.name()))
                .set("X-Content-Type-Options", "nosniff");
        validators(r.headers(), f);
        HttpUtil.setContentLength(r, f.size());
        x.replies().cors().apply(req, r.headers());
        boolean keepAlive = HttpUtil.isKeepAlive(req);
        HttpUtil.setKeepAlive(r, keepAlive);
        ChannelFuture headWritten = ctx.writeAndFlush(r);
        if (head || f.size() == 0) {
            close(f);
            ChannelFuture last = ctx.writeAndFlush(LastHttpContent.EMPTY_LAST_CONTENT);
            if (!keepAlive) {
                last.addListener(ChannelFutureListener.CLOSE);
            }
            last.addListener(w -> done.complete(null));
            return;
        }
        new FileStreamer(ctx, f.channel(), f.size(), io, keepAlive, done).start(headWritten);
    }

    /** ETag, Last-Modified and Cache-Control (revalidate each time; a secured file stays out of shared caches). */
    private void validators(HttpHeaders h, StaticFiles.Found f) {
        h.set(HttpHeaderNames.ETAG, f.etag())
                .set(HttpHeaderNames.LAST_MODIFIED, StaticConditions.httpDate(f.modifiedMs()))
                .set(HttpHeaderNames.CACHE_CONTROL, settings.secured() ? "private, no-cache" : "no-cache");
    }

    /** The request's {@code ?query}, or "". */
    private static String query(HttpRequest req) {
        int q = req.uri().indexOf('?');
        return q < 0 ? "" : req.uri().substring(q);
    }

    private static FullHttpResponse empty(HttpResponseStatus status) {
        return new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, status, Unpooled.EMPTY_BUFFER);
    }

    private static void close(StaticFiles.Found f) {
        try {
            f.channel().close();
        } catch (java.io.IOException ignored) {
            // read-only
        }
    }
}
