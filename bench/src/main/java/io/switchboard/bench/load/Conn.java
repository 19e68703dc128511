package io.switchboard.bench.load;

/** One client connection of some wire protocol: send a message, close. Messages come to its {@link Listener}. */
public interface Conn {
    /** Writes one message; flushes when {@code flush} (batch several writes with one flush). */
    void send(String message, boolean flush);

    void close();

    boolean isOpen();

    /** Callbacks, run on the connection's event loop. */
    interface Listener {
        /** The connection is usable (handshake done). */
        void onOpen(Conn conn);

        /** One message (a line of a batched WebSocket frame, an SSE data line, a NATS payload). */
        void onMessage(Conn conn, String message);

        void onClose(Conn conn, Throwable cause);

        /**
         * A whole WebSocket text frame before it is decoded; return true when it was fully handled
         * (then {@link #onMessage} is not called for it). Lets hot receivers skip String decoding.
         */
        default boolean onRawFrame(Conn conn, io.netty.buffer.ByteBuf content) {
            return false;
        }
    }
}
