package io.switchboard.core.session;

import io.switchboard.core.error.SwitchboardException;
import io.switchboard.core.model.Event;
import io.switchboard.core.result.DisconnectReason;
import io.switchboard.core.result.Notice;
import io.switchboard.core.result.Result;
import io.switchboard.core.router.Subscription;

import java.util.concurrent.Executor;

/**
 * Where a session's outbound messages go; each door implements it and encodes the typed values
 * in its own wire format. Calls come from any thread and must not block. Calls made one after
 * another by one thread must reach the client in that order (the engine relies on it to send a
 * subscribe reply before the subscription's first push).
 */
public interface SessionSink {
    /** A successful reply to request {@code requestId}. */
    void reply(long requestId, Result result);

    /** A failed reply to request {@code requestId}. */
    void error(long requestId, SwitchboardException error);

    /**
     * A push of {@code event} to {@code subscription}. The event caches its encoded bytes per
     * wire format ({@link Event#jsonBytes(boolean)}), so a door writes the same bytes to everyone.
     *
     * @param needsAck the writer asked for {@code acknowledged} consistency
     * @return false when the push was dropped (closed connection, slow consumer)
     */
    boolean push(Subscription subscription, Event event, boolean needsAck);

    /** A message of the server's own (published counts, rolled token, ended subscription). */
    void notice(Notice notice);

    /**
     * Tells the client why the session ends and closes the connection. Called at most once per
     * session, by {@link Session#end}; a door that wants to close for its own reasons (heartbeat,
     * shutdown, slow consumer) calls {@code session.end(reason)} too, so nobody sends twice.
     */
    void close(DisconnectReason reason);

    /**
     * The thread pushes to this session should run on (a Netty channel's event loop), so fan-out
     * hands each loop one task with all of its sessions' deliveries; null runs them on the
     * dispatching thread (for sinks whose push only enqueues).
     */
    default Executor executor() {
        return null;
    }
}
