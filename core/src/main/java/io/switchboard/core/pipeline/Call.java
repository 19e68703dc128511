package io.switchboard.core.pipeline;

import io.switchboard.core.op.Request;
import io.switchboard.core.session.Session;

/** One request on its way through the pipeline: who sent it, its id, and the request as mapped so far. */
public record Call(Session session, long requestId, Request request) {
    /** The same call carrying {@code r} (a stage that mapped the request). */
    public Call with(Request r) {
        return r == request ? this : new Call(session, requestId, r);
    }
}
