package io.switchboard.core.engine;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.switchboard.core.error.ErrorCode;
import io.switchboard.core.error.SwitchboardException;
import io.switchboard.core.op.Request;
import io.switchboard.core.op.RequestParser;
import io.switchboard.core.session.Principal;
import io.switchboard.core.session.Session;
import io.switchboard.core.session.SessionSink;
import io.switchboard.core.session.SessionType;

import java.util.concurrent.CompletableFuture;

/**
 * The one way into the engine for every door. It parses wire messages, enforces the session
 * state (connect first), and is where authentication, permissions, rules, rate limits and the
 * cache are applied, so no transport or adapter can skip them.
 */
public final class Pipeline {
    private final Engine engine;

    public Pipeline(Engine engine) {
        this.engine = engine;
    }

    public Engine engine() {
        return engine;
    }

    /** Opens a stateful session (WebSocket, SSE, adapter connection); it must {@code connect}. */
    public Session openStateful(SessionSink sink, String remoteAddress, long heartbeatMs) {
        Session s = engine.openSession(SessionType.STATEFUL, Principal.ANONYMOUS, sink, remoteAddress);
        s.heartbeatMs(heartbeatMs);
        return s;
    }

    /** Opens a session for one HTTP request, already connected. */
    public Session openStateless(SessionSink sink, String remoteAddress) {
        Session s = engine.openSession(SessionType.STATELESS, Principal.ANONYMOUS, sink, remoteAddress);
        s.markConnected();
        return s;
    }

    public void close(Session s) {
        engine.closeSession(s);
    }

    /**
     * Handles one wire message: {@code {"id": n, "op": ..., ...}}. The reply (or error) goes to
     * the session's sink with the same id. Never throws.
     */
    public void handle(Session session, JsonNode msg) {
        long id = 0;
        try {
            if (msg == null || !msg.isObject()) {
                throw SwitchboardException.badRequest("message", "must be a JSON object");
            }
            JsonNode idNode = msg.get("id");
            if (idNode != null && !idNode.isNull()) {
                if (!idNode.isIntegralNumber() || !idNode.canConvertToLong()) {
                    throw SwitchboardException.badRequest("id", "must be an integer");
                }
                id = idNode.asLong();
            }
            Request r = RequestParser.parse(msg);
            handle(session, id, r);
        } catch (RuntimeException e) {
            session.sink().error(id, SwitchboardException.of(e));
        }
    }

    /** Handles a request already parsed (adapters build requests directly). */
    public void handle(Session session, long id, Request r) {
        execute(session, id, r).whenComplete((out, err) -> {
            if (err != null) {
                session.sink().error(id, SwitchboardException.of(err));
                return;
            }
            session.sink().reply(id, out.result() == null ? NullNode.getInstance() : out.result());
            if (out.afterReply() != null) {
                out.afterReply().run();
            }
        });
    }

    /**
     * Runs a request and returns its result, for callers that are not message-oriented (HTTP,
     * the in-process client). Work due after the reply runs once the future completes.
     */
    public CompletableFuture<JsonNode> call(Session session, Request r) {
        return execute(session, 0, r).thenApply(out -> {
            if (out.afterReply() != null) {
                out.afterReply().run();
            }
            return out.result();
        });
    }

    private CompletableFuture<Outcome> execute(Session session, long id, Request r) {
        if (session.isClosed()) {
            return CompletableFuture.failedFuture(SwitchboardException.unavailable("session is closed", null));
        }
        session.touch(engine.now());
        if (r instanceof Request.Connect c) {
            return connect(session, id, c);
        }
        if (!session.isConnected()) {
            return CompletableFuture.failedFuture(new SwitchboardException(ErrorCode.UNAUTHENTICATED,
                    "send connect first"));
        }
        return engine.execute(session, id, r);
    }

    /** Insecure mode: connect without credentials succeeds as the anonymous principal. */
    private CompletableFuture<Outcome> connect(Session session, long id, Request.Connect c) {
        session.principal(Principal.ANONYMOUS);
        session.markConnected();
        return engine.execute(session, id, c).thenApply(out -> {
            ObjectNode o = (ObjectNode) out.result();
            o.putNull("user");
            if (session.heartbeatMs() > 0) {
                o.put("heartbeatMs", session.heartbeatMs());
            }
            return out;
        });
    }
}
