package io.switchboard.core.engine;

import io.switchboard.core.error.SwitchboardException;
import io.switchboard.core.json.Json;
import io.switchboard.core.op.Request;
import io.switchboard.core.router.EventFilter;
import io.switchboard.core.router.Router;
import io.switchboard.core.router.Subscription;
import io.switchboard.core.session.Principal;
import io.switchboard.core.session.Session;
import io.switchboard.core.session.SessionSink;
import io.switchboard.core.session.SessionType;
import io.switchboard.core.store.Store;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Collection;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * The engine: runs the operations of SPEC section 3 against a {@link Store}, fans committed
 * events out through the {@link Router}, fires scheduled publishes and applies retention.
 * Doors do not call it directly; they go through the {@link Pipeline}, which adds security.
 */
public final class Engine implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Engine.class);

    private final Store store;
    private final EngineOptions options;
    private final ScheduledExecutorService timers;
    private final WriteDispatches dispatches = new WriteDispatches();
    private final Router router;
    private final Scheduler scheduler;
    private final DataOps data;
    private final LiveOps live;
    private final Map<String, Session> sessions = new ConcurrentHashMap<>();
    private volatile boolean started;

    public Engine(Store store, EngineOptions options) {
        this.store = store;
        this.options = options;
        this.timers = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "sb-timers");
            t.setDaemon(true);
            return t;
        });
        this.router = new Router(dispatches::take, options.maxCatchUpBuffer());
        this.scheduler = new Scheduler(store, timers, options.clock());
        this.data = new DataOps(store, router, dispatches, scheduler, timers, options);
        this.live = new LiveOps(store, router, timers, options);
    }

    /** Opens the store and starts the scheduler and retention. */
    public synchronized void start() {
        if (started) {
            return;
        }
        store.setCommitListener(router);
        store.open();
        scheduler.start();
        long every = options.retentionIntervalMs();
        timers.scheduleWithFixedDelay(this::applyRetention, every, every, TimeUnit.MILLISECONDS);
        started = true;
    }

    private void applyRetention() {
        store.prune(options.retention(), options.clock().getAsLong()).whenComplete((n, err) -> {
            if (err != null) {
                LOG.warn("retention failed", err);
            } else if (n > 0) {
                LOG.debug("retention removed {} events", n);
            }
        });
    }

    public Store store() {
        return store;
    }

    public EngineOptions options() {
        return options;
    }

    public long now() {
        return options.clock().getAsLong();
    }

    /** Installs the per-delivery check used on wildcard subscriptions. */
    public void eventFilter(EventFilter filter) {
        router.filter(filter);
    }

    /** See {@link Router#observe}: security caches follow committed changes under their prefix. */
    public void observeCommits(String prefix, java.util.function.Consumer<io.switchboard.core.model.Event> observer) {
        router.observe(prefix, observer);
    }

    /** Opens a session whose outbound messages go to {@code sink}. */
    public Session openSession(SessionType type, Principal principal, SessionSink sink, String remoteAddress) {
        Session s = new Session(Ids.random(24), type, principal, sink, remoteAddress, now());
        if (type == SessionType.STATEFUL) {
            sessions.put(s.id(), s);
        }
        return s;
    }

    /** Drops the session's subscriptions; its sink is not called again. */
    public void closeSession(Session s) {
        s.markClosed();
        sessions.remove(s.id());
        for (Subscription sub : s.subscriptions()) {
            router.remove(sub);
        }
    }

    public Session session(String id) {
        return sessions.get(id);
    }

    public Collection<Session> sessions() {
        return sessions.values();
    }

    /**
     * Runs one operation for a session. {@link Request.Connect} is answered by the pipeline;
     * here it only reports the log position.
     */
    public CompletableFuture<Outcome> execute(Session session, long requestId, Request request) {
        if (!started) {
            return CompletableFuture.failedFuture(SwitchboardException.unavailable("engine is not started", null));
        }
        try {
            if (request instanceof Request.Get r) {
                return data.get(r);
            } else if (request instanceof Request.Count r) {
                return data.count(r);
            } else if (request instanceof Request.Set r) {
                return data.set(session, requestId, r);
            } else if (request instanceof Request.Remove r) {
                return data.remove(session, requestId, r);
            } else if (request instanceof Request.Publish r) {
                return data.publish(session, requestId, r);
            } else if (request instanceof Request.Cancel r) {
                return data.cancel(r);
            } else if (request instanceof Request.Subscribe r) {
                return live.subscribe(session, r);
            } else if (request instanceof Request.Unsubscribe r) {
                return live.unsubscribe(session, r);
            } else if (request instanceof Request.History r) {
                return live.history(r);
            } else if (request instanceof Request.Ack r) {
                return CompletableFuture.completedFuture(Outcome.of(
                        Json.object().put("acked", router.ack(session.id(), r.offset()))));
            } else if (request instanceof Request.Ping) {
                return CompletableFuture.completedFuture(Outcome.of(Json.MAPPER.getNodeFactory().textNode("pong")));
            } else if (request instanceof Request.Connect) {
                return CompletableFuture.completedFuture(Outcome.of(Json.object()
                        .put("session", session.id()).put("epoch", store.epoch()).put("offset", store.lastOffset())));
            }
            throw SwitchboardException.badRequest("op", "is not supported");
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(SwitchboardException.of(e));
        }
    }

    /** Stops timers and closes the store after queued writes finish. */
    @Override
    public synchronized void close() {
        scheduler.stop();
        timers.shutdownNow();
        store.close();
        started = false;
    }
}
