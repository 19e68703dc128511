package io.switchboard.core.engine;

import io.switchboard.core.bus.Bus;
import io.switchboard.core.bus.Envelope;
import io.switchboard.core.bus.LocalBus;
import io.switchboard.core.bus.LogReader;
import io.switchboard.core.bus.OrderedFeed;
import io.switchboard.core.error.SwitchboardException;
import io.switchboard.core.metrics.Meters;
import io.switchboard.core.model.Event;
import io.switchboard.core.op.Request;
import io.switchboard.core.path.Pattern;
import io.switchboard.core.query.HistoryQuery;
import io.switchboard.core.result.Result;
import io.switchboard.core.router.ClusterDeliveries;
import io.switchboard.core.router.DeliveryFilter;
import io.switchboard.core.router.DeliveryTracker;
import io.switchboard.core.router.HandOffWatermark;
import io.switchboard.core.router.Router;
import io.switchboard.core.router.Subscription;
import io.switchboard.core.session.Principal;
import io.switchboard.core.session.Session;
import io.switchboard.core.session.SessionSink;
import io.switchboard.core.session.SessionType;
import io.switchboard.core.store.CommitListener;
import io.switchboard.core.store.Store;
import io.switchboard.core.store.WriteOp;
import io.switchboard.core.store.WriteResult;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * The engine: runs the operations of SPEC section 3 against a {@link Store}, publishes every
 * committed write's events on the {@link Bus}, fans the events every node committed out through
 * an {@link OrderedFeed} and the {@link Router}, fires scheduled publishes and applies retention.
 *
 * <p>The path of an event: the store's writer commits and calls {@link #committed} (building one
 * {@link Envelope} per write, with its write id and tracking), the bus carries the envelopes to
 * every node, each node's feed releases them in offset order on the dispatch thread, and the
 * router hands each event loop its deliveries. A write's reply waits until its events were
 * handed to every subscriber's queue ({@link #handedOff}), so "transactional" still means what
 * it says while matching and delivery no longer run on the writer thread.
 *
 * <p>Doors do not call the engine; they go through the pipeline, which opens sessions here.
 */
public final class Engine implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Engine.class);
    private static final Pattern EVERYTHING = Pattern.compile("*", "pattern");

    private final Store store;
    private final Bus bus;
    private final String nodeId;
    private final EngineOptions options;
    private final SubscriptionQuota quota;
    private final ScheduledExecutorService timers;
    private final ExecutorService dispatcher;
    private final Map<String, DeliveryTracker> tracked = new ConcurrentHashMap<>();
    private final HandOffWatermark watermark = new HandOffWatermark(0);
    private final Router router;
    private final ClusterDeliveries deliveries;
    private final Scheduler scheduler;
    private final DataOps data;
    private final LiveOps live;
    private final Map<String, Session> sessions = new ConcurrentHashMap<>();
    private volatile OrderedFeed feed;
    private volatile boolean started;

    /** A single node on the local bus. */
    public Engine(Store store, EngineOptions options) {
        this(store, new LocalBus(), Ids.random(8), options);
    }

    /**
     * @param nodeId names this node in the envelopes it publishes (unique per running node)
     */
    public Engine(Store store, Bus bus, String nodeId, EngineOptions options) {
        this.store = store;
        this.bus = bus;
        this.nodeId = nodeId;
        this.options = options;
        this.timers = Executors.newSingleThreadScheduledExecutor(daemon("sb-timers"));
        this.dispatcher = Executors.newSingleThreadExecutor(daemon("sb-dispatch"));
        this.deliveries = new ClusterDeliveries(nodeId, bus, tracked::get, timers);
        this.router = new Router(deliveries::trackerFor, watermark, options.maxCatchUpBuffer());
        deliveries.bind(router);
        this.scheduler = new Scheduler(this, timers, options.clock());
        this.data = new DataOps(this, tracked, scheduler, timers, options);
        this.quota = new SubscriptionQuota(options.maxSubscriptionsPerConnection(), options.maxSubscriptionsPerUser());
        this.live = new LiveOps(store, router, timers, options, quota);
    }

    private static java.util.concurrent.ThreadFactory daemon(String name) {
        return r -> {
            Thread t = new Thread(r, name);
            t.setDaemon(true);
            return t;
        };
    }

    /** Opens the store, starts the bus, the ordered feed, the scheduler and retention. */
    public synchronized void start() {
        if (started) {
            return;
        }
        store.setCommitListener(this::committed);
        store.open();
        feed = new OrderedFeed(logReader(), store.lastOffset(), dispatcher, timers, router::dispatch);
        bus.start(feed);
        scheduler.start();
        long every = options.retentionIntervalMs();
        timers.scheduleWithFixedDelay(this::applyRetention, every, every, TimeUnit.MILLISECONDS);
        started = true;
    }

    private LogReader logReader() {
        return new LogReader() {
            @Override
            public CompletableFuture<List<Event>> read(long after, long until, int limit) {
                return store.history(new HistoryQuery(EVERYTHING, after, until, null, null, limit, null));
            }

            @Override
            public CompletableFuture<Long> firstOffset() {
                return store.firstOffset();
            }
        };
    }

    /** The store's commit callback (writer thread): one envelope per write with events, onto the bus. */
    private void committed(List<CommitListener.Committed> batch) {
        List<Envelope> out = new ArrayList<>(batch.size());
        for (CommitListener.Committed c : batch) {
            List<Event> events = c.result().events();
            if (events.isEmpty()) {
                continue;
            }
            String writeId = c.op().delivery().writeId();
            DeliveryTracker t = writeId == null ? null : tracked.get(writeId);
            Envelope.Tracking tracking = t == null ? Envelope.Tracking.NONE
                    : t.needsAck() ? Envelope.Tracking.ACK : Envelope.Tracking.COUNT;
            out.add(new Envelope(nodeId, writeId, tracking, events));
        }
        if (!out.isEmpty()) {
            try {
                bus.publish(out);
            } catch (RuntimeException e) {
                // The log has the events: the feeds fill the hole from it.
                LOG.warn("bus publish failed; subscribers will catch up from the log", e);
            }
        }
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

    public Bus bus() {
        return bus;
    }

    public String nodeId() {
        return nodeId;
    }

    public EngineOptions options() {
        return options;
    }

    public long now() {
        return options.clock().getAsLong();
    }

    /** The ordered feed of this node (null before {@link #start()}). */
    public OrderedFeed feed() {
        return feed;
    }

    /** Adds a per-delivery check on subscriptions (permissions, read rules). */
    public void addDeliveryFilter(DeliveryFilter filter) {
        router.addFilter(filter);
    }

    /** See {@link Router#observe}: caches follow committed changes under their prefix, from every node. */
    public void observeCommits(String prefix, Consumer<Event> observer) {
        router.observe(prefix, observer);
    }

    /**
     * Writes {@code op} and completes once it is durable and its events were handed to every
     * subscriber (and every commit observer ran): for internal writers such as the security
     * directory, whose caches must be current when the write returns.
     */
    public CompletableFuture<WriteResult> write(WriteOp op) {
        return store.write(op).thenCompose(res -> handedOff(res).thenApply(x -> res));
    }

    /** Completes once the events of {@code res} were handed off (at once when it has none). */
    CompletableFuture<Void> handedOff(WriteResult res) {
        List<Event> events = res.events();
        return events.isEmpty() ? CompletableFuture.completedFuture(null)
                : watermark.await(events.get(events.size() - 1).offset());
    }

    /** Opens a session whose outbound messages go to {@code sink} (the pipeline's job). */
    public Session openSession(SessionType type, Principal principal, SessionSink sink, String remoteAddress) {
        Session s = new Session(Ids.random(24), type, principal, sink, remoteAddress, now(), this::closeSession);
        s.onSubscriptionRemoved(sub -> quota.release(s));
        if (type == SessionType.STATEFUL) {
            sessions.put(s.id(), s);
        }
        return s;
    }

    /** Drops a closed session's subscriptions (its {@link Session#close()} hook). */
    private void closeSession(Session s) {
        sessions.remove(s.id());
        for (Subscription sub : List.copyOf(s.subscriptions())) {
            router.remove(sub);
            s.removeSubscription(sub.id());
        }
    }

    public Session session(String id) {
        return sessions.get(id);
    }

    /**
     * Registers the engine's series with {@code m}: open sessions, live subscriptions, events
     * dispatched and fan-out deliveries (read from counters the router keeps anyway), and the
     * store's own meters.
     */
    public void bindMeters(Meters m) {
        m.gauge("sessions", "Open sessions (every transport)", sessions::size);
        m.gauge("subscriptions", "Subscription and history-waiter entries in the pattern index", router::size);
        m.functionCounter("events.dispatched", "Committed events dispatched to subscribers", router::dispatchedCount);
        m.functionCounter("fanout.deliveries", "Events pushed to subscriptions (one per event and subscriber)",
                router::deliveryCount);
        store.bindMeters(m);
    }

    public Collection<Session> sessions() {
        return sessions.values();
    }

    /** Runs one operation for a session that passed the pipeline's stages. */
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
            } else if (request instanceof Request.Increment r) {
                return data.increment(session, requestId, r);
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
                return CompletableFuture.completedFuture(Outcome.of(new Result.Acked(router.ack(session.id(), r.offset()))));
            } else if (request instanceof Request.Ping) {
                return CompletableFuture.completedFuture(Outcome.of(new Result.Pong()));
            } else if (request instanceof Request.Connect) {
                return CompletableFuture.completedFuture(Outcome.of(new Result.Connected(session.id(), store.epoch(),
                        store.lastOffset(), null, null, session.heartbeatMs())));
            }
            throw SwitchboardException.badRequest("op", "is not supported");
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(SwitchboardException.of(e));
        }
    }

    Router router() {
        return router;
    }

    ClusterDeliveries deliveries() {
        return deliveries;
    }

    /** Stops timers, the bus and the dispatcher, and closes the store after queued writes finish. */
    @Override
    public synchronized void close() {
        scheduler.stop();
        timers.shutdownNow();
        store.close();
        bus.close();
        dispatcher.shutdown();
        try {
            dispatcher.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        started = false;
    }
}
