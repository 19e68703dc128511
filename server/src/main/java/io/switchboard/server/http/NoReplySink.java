package io.switchboard.server.http;

import io.switchboard.core.error.SwitchboardException;
import io.switchboard.core.model.Event;
import io.switchboard.core.result.DisconnectReason;
import io.switchboard.core.result.Notice;
import io.switchboard.core.result.Result;
import io.switchboard.core.router.Subscription;
import io.switchboard.core.session.SessionSink;

/**
 * The sink of a stateless HTTP session: its answer travels in the HTTP response (the future of
 * {@code Pipeline.call}), and it has no connection for pushes or notices to go to.
 */
public final class NoReplySink implements SessionSink {
    public static final NoReplySink INSTANCE = new NoReplySink();

    @Override
    public void reply(long requestId, Result result) {
    }

    @Override
    public void error(long requestId, SwitchboardException error) {
    }

    @Override
    public boolean push(Subscription subscription, Event event, boolean needsAck) {
        return false;
    }

    @Override
    public void notice(Notice notice) {
    }

    @Override
    public void close(DisconnectReason reason) {
    }
}
