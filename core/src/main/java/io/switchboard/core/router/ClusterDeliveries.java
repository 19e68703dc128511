package io.switchboard.core.router;

import io.switchboard.core.bus.Bus;
import io.switchboard.core.bus.DeliveryReport;
import io.switchboard.core.bus.Envelope;
import io.switchboard.core.result.DeliveryCounts;

import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Function;

/**
 * Delivery counts of {@code deferred} and {@code acknowledged} writes across the nodes of a
 * cluster. On the node that made a write, the write's own {@link DeliveryTracker} counts this
 * node's subscribers and a {@link Gather} collects the other nodes' {@link DeliveryReport}s; on
 * every other node a tracker of its own counts that node's subscribers (their acks come to it
 * like local ones) and reports to the writing node over the bus: once the events were handed
 * off, and again when the last ack is in. The nodes waited for are the bus's {@link Bus#peers()}
 * when the write starts; a node that dies or never got the write's message over the bus (it read
 * the event from the log) leaves its share out when the write's timeout passes. With a bus of one
 * node nothing here costs anything.
 */
public final class ClusterDeliveries {
    /** A node's tracker of another node's write lives at most this long (the longest ack timeout, and then some). */
    private static final long REMOTE_TTL_MS = 310_000;

    private final String nodeId;
    private final Bus bus;
    private final Function<String, DeliveryTracker> local;
    private final ScheduledExecutorService timers;
    private final Map<String, DeliveryTracker> remote = new ConcurrentHashMap<>();
    private final Map<String, Gather> gathering = new ConcurrentHashMap<>();
    private volatile Router router;

    /**
     * @param local this node's trackers by write id
     */
    public ClusterDeliveries(String nodeId, Bus bus, Function<String, DeliveryTracker> local, ScheduledExecutorService timers) {
        this.nodeId = nodeId;
        this.bus = bus;
        this.local = local;
        this.timers = timers;
        bus.onReport(this::received);
    }

    /** The router whose ack table remote trackers use (set once, before dispatch starts). */
    public void bind(Router r) {
        this.router = r;
    }

    /** The tracker that counts this node's deliveries of {@code env}, or null when none does. */
    public DeliveryTracker trackerFor(Envelope env) {
        if (env.tracking() == Envelope.Tracking.NONE || env.writeId() == null) {
            return null;
        }
        if (nodeId.equals(env.origin())) {
            return local.apply(env.writeId());
        }
        if (env.origin() == null) {
            return null;
        }
        return remote.computeIfAbsent(env.writeId(), id -> track(env));
    }

    private DeliveryTracker track(Envelope env) {
        DeliveryTracker t = new DeliveryTracker(env.tracking() == Envelope.Tracking.ACK);
        AtomicBoolean lastSent = new AtomicBoolean();
        Runnable finish = () -> {
            if (lastSent.compareAndSet(false, true)) {
                remote.remove(env.writeId(), t);
                Router r = router;
                if (r != null && t.needsAck()) {
                    r.forgetAcks(env.events());
                }
                bus.report(new DeliveryReport(nodeId, env.origin(), env.writeId(), t.counts(), true));
            }
        };
        t.done().thenRun(finish);
        t.sealed().thenRun(() -> {
            if (!t.done().isDone()) {
                bus.report(new DeliveryReport(nodeId, env.origin(), env.writeId(), t.counts(), false));
            }
        });
        timers.schedule(() -> {
            if (!t.done().isDone()) {
                t.timeout();
            }
        }, REMOTE_TTL_MS, TimeUnit.MILLISECONDS);
        return t;
    }

    /**
     * Starts collecting the other nodes' reports for a write of this node; call before the
     * write is submitted, so no report can come first.
     */
    public Gather expect(String writeId) {
        Set<String> peers = bus.peers();
        Gather g = new Gather(writeId, peers);
        if (!peers.isEmpty()) {
            gathering.put(writeId, g);
        }
        return g;
    }

    private void received(DeliveryReport r) {
        Gather g = gathering.get(r.writeId());
        if (g != null) {
            g.accept(r);
        }
    }

    /** The other nodes' share of one write of this node. */
    public final class Gather {
        private final String writeId;
        private final Set<String> waitingFor;
        private final Set<String> unsettled;
        private final Map<String, DeliveryReport> reports = new ConcurrentHashMap<>();
        private final CompletableFuture<Void> settled = new CompletableFuture<>();
        private final CompletableFuture<Void> last = new CompletableFuture<>();

        Gather(String writeId, Set<String> peers) {
            this.writeId = writeId;
            this.waitingFor = ConcurrentHashMap.newKeySet();
            this.unsettled = ConcurrentHashMap.newKeySet();
            waitingFor.addAll(peers);
            unsettled.addAll(peers);
            check();
        }

        private void accept(DeliveryReport r) {
            if (!waitingFor.contains(r.from()) && !reports.containsKey(r.from())) {
                return; // a node that joined after the write started: not waited for, not counted
            }
            reports.merge(r.from(), r, (old, now) -> old.last() ? old : now);
            unsettled.remove(r.from());
            if (r.last()) {
                waitingFor.remove(r.from());
            }
            check();
        }

        private void check() {
            if (unsettled.isEmpty()) {
                settled.complete(null);
            }
            if (waitingFor.isEmpty()) {
                last.complete(null);
            }
        }

        /** Completes once every node waited for has reported at least once (for {@code deferred}). */
        public CompletableFuture<Void> settled() {
            return settled;
        }

        /** Completes once every node waited for has sent its last report (for {@code acknowledged}). */
        public CompletableFuture<Void> last() {
            return last;
        }

        /**
         * This node's counts plus the other nodes' reports so far. With {@code final}, pushes of
         * other nodes still waiting for an ack count as failed (the write's ack timeout passed).
         */
        public DeliveryCounts plus(DeliveryCounts own, boolean timedOut) {
            int queued = own.queued();
            int delivered = own.delivered();
            int acked = own.acknowledged();
            int failed = own.failed();
            for (DeliveryReport r : reports.values()) {
                DeliveryCounts c = r.counts();
                queued += c.queued();
                delivered += c.delivered();
                acked += c.acknowledged();
                failed += c.failed();
                if (timedOut && !r.last()) {
                    failed += Math.max(0, c.delivered() - c.acknowledged());
                }
            }
            return new DeliveryCounts(queued, delivered, acked, failed);
        }

        /** Stops collecting (the write finished or failed). */
        public void close() {
            gathering.remove(writeId, this);
            settled.complete(null);
            last.complete(null);
        }
    }
}
