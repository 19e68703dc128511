package io.switchboard.server.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.switchboard.core.error.SwitchboardException;
import io.switchboard.core.model.Event;
import io.switchboard.core.session.SessionSink;

/**
 * The sink of a stateless HTTP session: its answer travels in the HTTP response (the future of
 * {@code Pipeline.call}), and it has no connection for pushes or notices to go to.
 */
final class NoReplySink implements SessionSink {
    static final NoReplySink INSTANCE = new NoReplySink();

    @Override
    public void reply(long requestId, JsonNode result) {
    }

    @Override
    public void error(long requestId, SwitchboardException error) {
    }

    @Override
    public boolean push(String subId, Event event, boolean mergeOnly, boolean needsAck) {
        return false;
    }

    @Override
    public void system(ObjectNode message) {
    }

    @Override
    public void close(String reason) {
    }
}
