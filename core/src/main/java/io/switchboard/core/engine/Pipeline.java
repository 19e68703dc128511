package io.switchboard.core.engine;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.switchboard.core.error.ErrorCode;
import io.switchboard.core.error.SwitchboardException;
import io.switchboard.core.op.Request;
import io.switchboard.core.op.RequestParser;
import io.switchboard.core.security.SecurityService;
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
    private final SecurityService security;

    /** Insecure mode: no authentication and no permission checks (today's behaviour). */
    public Pipeline(Engine engine) {
        this(engine, null);
    }

    /**
     * With security: {@code connect} authenticates through {@code security}, and every other op
     * is admitted (session expiry, limits, revocation) and checked (permissions, tenant mapping)
     * before it reaches the engine. A disabled or null service means insecure mode.
     */
    public Pipeline(Engine engine, SecurityService security) {
        this.engine = engine;
        this.security = security == null || !security.enabled() ? null : security;
    }

    /** The security service, or null in insecure mode. */
    public SecurityService security() {
        return security;
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
        if (r instanceof Request.Connect c) {
            session.touch(engine.now());
            return connect(session, id, c);
        }
        if (!session.isConnected()) {
            session.touch(engine.now());
            return CompletableFuture.failedFuture(new SwitchboardException(ErrorCode.UNAUTHENTICATED,
                    "send connect first"));
        }
        if (security == null) {
            session.touch(engine.now());
            return engine.execute(session, id, r);
        }
        SecurityService.Checked checked;
        try {
            security.admit(session);
            checked = security.check(session, r);
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(SwitchboardException.of(e));
        }
        return engine.execute(session, id, checked.request())
                .thenApply(out -> new Outcome(checked.result().apply(out.result()), out.afterReply()));
    }

    /**
     * Insecure mode: connect without credentials succeeds as the anonymous principal. With
     * security: the token or username/password must verify (else UNAUTHENTICATED); the reply adds
     * {@code user} and {@code token}. A second connect on a connected session is refused.
     */
    private CompletableFuture<Outcome> connect(Session session, long id, Request.Connect c) {
        if (security == null) {
            session.principal(Principal.ANONYMOUS);
            session.markConnected();
            return engine.execute(session, id, c).thenApply(out -> finishConnect(session, out, null));
        }
        if (session.isConnected()) {
            return CompletableFuture.failedFuture(SwitchboardException.badRequest("op", "connect was already sent"));
        }
        return security.connect(session, c).thenCompose(extra -> {
            session.markConnected();
            return engine.execute(session, id, c).thenApply(out -> finishConnect(session, out, extra));
        });
    }

    private static Outcome finishConnect(Session session, Outcome out, ObjectNode extra) {
        ObjectNode o = (ObjectNode) out.result();
        o.putNull("user");
        if (extra != null) {
            o.setAll(extra);
        }
        if (session.heartbeatMs() > 0) {
            o.put("heartbeatMs", session.heartbeatMs());
        }
        return out;
    }
}
