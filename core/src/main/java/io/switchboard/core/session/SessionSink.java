package io.switchboard.core.session;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.switchboard.core.error.SwitchboardException;
import io.switchboard.core.model.Event;

/**
 * Where a session's outbound messages go; each transport implements it in its own wire format.
 * Calls come from any thread and must not block. Calls made one after another by one thread
 * must reach the client in that order (the engine relies on it to send a subscribe reply
 * before the subscription's first push).
 */
public interface SessionSink {
    /** A successful reply to request {@code requestId}. */
    void reply(long requestId, JsonNode result);

    /** A failed reply to request {@code requestId}. */
    void error(long requestId, SwitchboardException error);

    /**
     * A push of {@code event} for subscription {@code subId}. The event's JSON is cached on the
     * event ({@link Event#jsonBytes(boolean)}), so transports write the same bytes to everyone.
     *
     * @param needsAck the writer asked for {@code acknowledged} consistency
     * @return false when the push was dropped (closed connection, slow consumer)
     */
    boolean push(String subId, Event event, boolean mergeOnly, boolean needsAck);

    /** A system message such as {@code {"sys":"published",...}}. */
    void system(ObjectNode message);

    /** Ends the connection, telling the client why ({@code {"sys":"disconnect","reason":...}}). */
    void close(String reason);
}
