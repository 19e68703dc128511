package io.switchboard.server.transport;

/**
 * A long-lived connection the shared sweep visits (WebSocket heartbeat, SSE keepalive) and
 * shutdown closes. Implementations do their work on their channel's event loop.
 */
public interface Connection {
    /** Periodic check; {@code now} in epoch ms. */
    void sweep(long now);

    /** Tells the client the server is going away and closes. */
    void shutdown();

    /** The transport's short name for metrics: {@code ws}, {@code sse}, or an adapter's ({@code happn}). */
    String transport();

    /** True once the channel is closed. */
    boolean isClosed();
}
