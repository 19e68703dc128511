package io.switchboard.server.http;

/**
 * One entry of the {@link RouteTable}: a path prefix (or an exact path), how the request body
 * reaches the handler, and the handler. A door — the native API, SSE, WebSocket, a
 * compatibility adapter, file uploads — registers its routes; nothing else routes HTTP.
 *
 * @param path    the exact path, or a prefix when {@code prefix} is true
 * @param body    {@link Body#AGGREGATED}: the handler gets the whole request (bounded by
 *                {@code limits.maxFrameBytes}); {@link Body#STREAMING}: the body arrives in chunks
 */
public record Route(String path, boolean prefix, Body body, Object handler) {
    /** How a route receives request bodies. */
    public enum Body { AGGREGATED, STREAMING }

    /** A request handled with its whole body. */
    @FunctionalInterface
    public interface Handler {
        void handle(HttpExchange exchange);
    }

    /** A request whose body streams: the handler returns where the chunks go. */
    @FunctionalInterface
    public interface StreamingHandler {
        BodySink open(HttpExchange exchange);
    }

    /** Receives a streaming body, chunk by chunk, on the connection's event loop. */
    public interface BodySink {
        /** One chunk; the sink owns {@code chunk} only for the call (copy what you keep). */
        void chunk(io.netty.buffer.ByteBuf chunk);

        /** The body ended; answer the exchange now or later. */
        void end();

        /** The connection failed or closed mid-body. */
        void abort(Throwable cause);
    }

    public static Route exact(String path, Handler h) {
        return new Route(path, false, Body.AGGREGATED, h);
    }

    public static Route prefix(String prefix, Handler h) {
        return new Route(prefix, true, Body.AGGREGATED, h);
    }

    public static Route streaming(String prefix, StreamingHandler h) {
        return new Route(prefix, true, Body.STREAMING, h);
    }

    boolean matches(String rawPath) {
        return prefix ? rawPath.startsWith(path) : rawPath.equals(path);
    }
}
