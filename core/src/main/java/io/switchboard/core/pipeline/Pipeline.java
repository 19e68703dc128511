package io.switchboard.core.pipeline;

import com.fasterxml.jackson.databind.JsonNode;
import io.switchboard.core.engine.Engine;
import io.switchboard.core.engine.Outcome;
import io.switchboard.core.error.SwitchboardException;
import io.switchboard.core.metrics.Meters;
import io.switchboard.core.metrics.OpMetrics;
import io.switchboard.core.error.ErrorCode;
import io.switchboard.core.op.Credentials;
import io.switchboard.core.op.InputLimits;
import io.switchboard.core.op.Request;
import io.switchboard.core.op.RequestParser;
import io.switchboard.core.result.Result;
import io.switchboard.core.session.Principal;
import io.switchboard.core.session.Session;
import io.switchboard.core.session.SessionSink;
import io.switchboard.core.session.SessionType;

import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one way into the engine for every door (WebSocket, HTTP, SSE, adapters, the in-process
 * client). It opens sessions, and runs each request through the stages of {@link Slot} in that
 * order — admit → authenticate → rate limit → authorize → tenant → rules → cache → engine — and
 * its result back through them, so no door can skip authentication, permissions, rules, limits
 * or the cache. Build one with {@link #builder}; the security service adds its stages with
 * {@code security.install(builder)}.
 */
public final class Pipeline {
    private static final Logger LOG = LoggerFactory.getLogger(Pipeline.class);
    private final Engine engine;
    private final Stage[] stages;
    private final OpMetrics opMetrics;
    private final InputLimits limits;

    private Pipeline(Engine engine, List<Stage> stages, InputLimits limits, Meters meters) {
        this.engine = engine;
        this.stages = stages.toArray(new Stage[0]);
        this.limits = limits;
        this.opMetrics = meters == Meters.NONE ? null : new OpMetrics(meters);
    }

    /** A builder with the admission stage in place; add the others per slot. */
    public static Builder builder(Engine engine) {
        return new Builder(engine);
    }

    public Engine engine() {
        return engine;
    }

    /** What one message may hold; doors that parse messages themselves pass these to {@link RequestParser}. */
    public InputLimits limits() {
        return limits;
    }

    /** The stages' names in the order a request passes them. */
    public List<String> stageNames() {
        List<String> names = new ArrayList<>(stages.length);
        for (Stage s : stages) {
            names.add(s.name());
        }
        return names;
    }

    // ------------------------------------------------------------------ sessions

    /** Opens a stateful session (WebSocket, SSE, adapter connection); it must {@code connect} first. */
    public Session openStateful(SessionSink sink, String remoteAddress, long heartbeatMs) {
        Session s = engine.openSession(SessionType.STATEFUL, Principal.ANONYMOUS, sink, remoteAddress);
        s.heartbeatMs(heartbeatMs);
        return s;
    }

    /** Opens a session for one stateless request (HTTP); it must {@code connect} first too. */
    public Session openStateless(SessionSink sink, String remoteAddress) {
        return engine.openSession(SessionType.STATELESS, Principal.ANONYMOUS, sink, remoteAddress);
    }

    /** Closes the session without telling the client (the connection is gone or the request done). */
    public void close(Session s) {
        s.close();
    }

    /** Authenticates {@code s} with {@code credentials} (a {@code connect} through every stage). */
    public CompletableFuture<Result.Connected> connect(Session s, Credentials credentials) {
        return call(s, new Request.Connect(credentials)).thenApply(r -> (Result.Connected) r);
    }

    /**
     * A stateless session for one HTTP request, authenticated with {@code credentials}. The
     * caller closes it when the request is answered.
     */
    public CompletableFuture<Session> authenticate(Credentials credentials, String remoteAddress, SessionSink sink) {
        Session s = openStateless(sink, remoteAddress);
        return connect(s, credentials).handle((c, err) -> {
            if (err != null) {
                s.close();
                throw SwitchboardException.of(err);
            }
            return s;
        });
    }

    /** One stateless request: open a session, authenticate, run {@code r}, close. */
    public CompletableFuture<Result> callOnce(Credentials credentials, String remoteAddress, SessionSink sink, Request r) {
        return authenticate(credentials, remoteAddress, sink).thenCompose(s -> call(s, r).whenComplete((x, e) -> s.close()));
    }

    // ------------------------------------------------------------------ requests

    /**
     * Handles one wire message: {@code {"id": n, "op": ..., ...}}. The reply (or error) goes to
     * the session's sink with the same id. Never throws. The future completes once the reply
     * was handed to the sink (doors bound the requests in flight per connection with it).
     */
    public CompletableFuture<Void> handle(Session session, JsonNode msg) {
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
            return handle(session, id, RequestParser.parse(msg, limits));
        } catch (RuntimeException e) {
            session.sink().error(id, SwitchboardException.of(e));
            return CompletableFuture.completedFuture(null);
        }
    }

    /**
     * Handles a request already parsed (adapters build requests directly); replies through the
     * sink. The future completes once the reply was handed to the sink.
     */
    public CompletableFuture<Void> handle(Session session, long id, Request r) {
        return execute(new Call(session, id, r)).handle((out, err) -> {
            try {
                answer(session, id, out, err);
            } catch (RuntimeException e) {
                LOG.error("request {} could not be answered", id, e);
            }
            return null;
        });
    }

    private void answer(Session session, long id, Outcome out, Throwable err) {
        if (err != null) {
            session.sink().error(id, SwitchboardException.of(err));
            return;
        }
        try {
            session.sink().reply(id, out.result());
        } catch (RuntimeException e) {
            // Encoding failed: the client still hears back, never waits for a lost reply.
            LOG.error("reply to request {} could not be encoded", id, e);
            session.sink().error(id, new SwitchboardException(ErrorCode.INTERNAL, "the reply could not be encoded"));
            return;
        }
        if (out.afterReply() != null) {
            out.afterReply().run();
        }
    }

    /**
     * Runs a request and returns its result, for callers that are not message-oriented (HTTP,
     * the in-process client). Work due after the reply runs once the future completes.
     */
    public CompletableFuture<Result> call(Session session, Request r) {
        return execute(new Call(session, 0, r)).thenApply(out -> {
            if (out.afterReply() != null) {
                out.afterReply().run();
            }
            return out.result();
        });
    }

    private CompletableFuture<Outcome> execute(Call call) {
        CompletableFuture<Outcome> f;
        long start = opMetrics == null ? 0 : System.nanoTime();
        try {
            f = run(0, call);
        } catch (RuntimeException e) {
            f = CompletableFuture.failedFuture(SwitchboardException.of(e));
        }
        if (opMetrics != null) {
            String op = call.request().op();
            f.whenComplete((out, err) -> opMetrics.record(op, err, System.nanoTime() - start));
        }
        return f;
    }

    private CompletableFuture<Outcome> run(int i, Call call) {
        if (i == stages.length) {
            if (call.session().isClosed()) {
                // Closed while its stages ran (e.g. the client went away): not applied.
                return CompletableFuture.failedFuture(SwitchboardException.unavailable("session is closed", null));
            }
            return engine.execute(call.session(), call.requestId(), call.request());
        }
        try {
            CompletableFuture<Outcome> f = stages[i].apply(call, next -> run(i + 1, next));
            return f == null ? CompletableFuture.failedFuture(new IllegalStateException(stages[i].name() + " returned null")) : f;
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(SwitchboardException.of(e));
        }
    }

    /** Collects stages per slot; {@link #build()} lays them out in slot order. */
    public static final class Builder {
        private final Engine engine;
        private final Map<Slot, List<Stage>> slots = new EnumMap<>(Slot.class);
        private Meters meters = Meters.NONE;
        private InputLimits limits = InputLimits.DEFAULTS;

        private Builder(Engine engine) {
            this.engine = engine;
            add(Slot.ADMIT, new AdmitStage());
        }

        /** Adds {@code stage} to {@code slot}, after the stages already there. */
        public Builder add(Slot slot, Stage stage) {
            slots.computeIfAbsent(slot, k -> new ArrayList<>()).add(stage);
            return this;
        }

        /** Where ops are counted and timed (by op and status); {@link Meters#NONE} by default. */
        public Builder meters(Meters m) {
            meters = m == null ? Meters.NONE : m;
            return this;
        }

        /** The bounds every message is parsed with (default {@link InputLimits#DEFAULTS}). */
        public Builder limits(InputLimits limits) {
            this.limits = limits;
            return this;
        }

        public Pipeline build() {
            List<Stage> all = new ArrayList<>();
            for (Slot s : Slot.values()) {
                all.addAll(slots.getOrDefault(s, Collections.emptyList()));
            }
            return new Pipeline(engine, all, limits, meters);
        }
    }
}
