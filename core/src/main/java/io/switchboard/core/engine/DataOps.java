package io.switchboard.core.engine;

import io.switchboard.core.error.SwitchboardException;
import io.switchboard.core.model.Event;
import io.switchboard.core.op.Consistency;
import io.switchboard.core.op.Request;
import io.switchboard.core.query.Criteria;
import io.switchboard.core.query.Query;
import io.switchboard.core.result.DeliveryCounts;
import io.switchboard.core.result.Notice;
import io.switchboard.core.result.Result;
import io.switchboard.core.router.ClusterDeliveries;
import io.switchboard.core.router.DeliveryTracker;
import io.switchboard.core.session.Session;
import io.switchboard.core.store.Increments;
import io.switchboard.core.store.Store;
import io.switchboard.core.store.WriteOp;
import io.switchboard.core.store.WriteResult;

import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.BiFunction;

/** Document and publish operations: get, count, set, remove, publish, cancel. */
final class DataOps {
    private final Engine engine;
    private final Store store;
    private final Map<String, DeliveryTracker> tracked;
    private final Scheduler scheduler;
    private final ScheduledExecutorService timers;
    private final EngineOptions options;

    DataOps(Engine engine, Map<String, DeliveryTracker> tracked, Scheduler scheduler, ScheduledExecutorService timers,
            EngineOptions options) {
        this.engine = engine;
        this.store = engine.store();
        this.tracked = tracked;
        this.scheduler = scheduler;
        this.timers = timers;
        this.options = options;
    }

    CompletableFuture<Outcome> get(Request.Get r) {
        if (r.target().isExact() && r.criteria() instanceof Criteria.All) {
            String path = r.target().text();
            return store.get(path).thenApply(doc -> Outcome.of(new Result.DocumentResult(doc
                    .orElseThrow(() -> SwitchboardException.notFound("no document at " + path)))));
        }
        int cap = options.maxQueryLimit();
        Integer limit = r.limit() == null ? Integer.valueOf(cap) : Integer.valueOf(Math.min(r.limit(), cap));
        Query q = new Query(r.target(), r.criteria(), r.fields(), r.sort(), limit, r.skip(), r.pathsOnly(),
                options.maxReplyBytes());
        return store.query(q).thenApply(res -> Outcome.of(new Result.Page(res.items(), res.total())));
    }

    CompletableFuture<Outcome> count(Request.Count r) {
        return store.count(r.target(), r.criteria()).thenApply(n -> Outcome.of(new Result.Counted(n)));
    }

    CompletableFuture<Outcome> set(Session s, long requestId, Request.Set r) {
        Tracking t = tracking(r.consistency(), r.targetSessions());
        WriteOp op = new WriteOp.Set(r.path(), r.data(), r.merge(), r.ifVersion(), r.meta(),
                s.principal().actor(), r.noStore(), r.noPublish(), now(), t.delivery);
        return write(s, requestId, op, t, r.consistency(), r.ackTimeoutMs(), (res, counts) -> {
            Event e = res.event();
            return new Result.Written(r.path(), res.document() == null ? null : res.document().meta(),
                    e == null ? null : e.offset(), counts);
        });
    }

    /** Like a set of the resulting document; the store's writer does the read-modify-write. */
    CompletableFuture<Outcome> increment(Session s, long requestId, Request.Increment r) {
        Tracking t = tracking(r.consistency(), r.targetSessions());
        WriteOp op = new WriteOp.Increment(r.path(), r.field(), r.by(), r.ifVersion(), r.meta(), s.principal().actor(),
                now(), t.delivery);
        return write(s, requestId, op, t, r.consistency(), r.ackTimeoutMs(), (res, counts) -> {
            Event e = res.event();
            return new Result.Incremented(r.path(), Increments.name(r.field()),
                    Increments.valueAt(res.document().data(), r.field()), res.document().meta(),
                    e == null ? null : e.offset(), counts);
        });
    }

    CompletableFuture<Outcome> remove(Session s, long requestId, Request.Remove r) {
        Tracking t = tracking(r.consistency(), r.targetSessions());
        WriteOp op = new WriteOp.Remove(r.target(), r.meta(), s.principal().actor(), r.noPublish(), now(), t.delivery);
        return write(s, requestId, op, t, r.consistency(), r.ackTimeoutMs(),
                (res, counts) -> new Result.Removed(res.removed(), counts));
    }

    CompletableFuture<Outcome> publish(Session s, long requestId, Request.Publish r) {
        long now = now();
        String id = Ids.random(20);
        if (r.at() != null && r.at() > now) {
            if (r.targetSessions() != null) {
                // Sessions are live connections; a scheduled event outlives them, and firing it to
                // everyone instead would leak what was meant for a few.
                throw SwitchboardException.badRequest("targetSessions", "cannot be combined with a future 'at'");
            }
            WriteOp op = new WriteOp.Schedule(id, r.path(), r.data(), r.meta(), s.principal().actor(), r.at(), now);
            return store.write(op).thenApply(res -> {
                scheduler.wakeAt(r.at());
                return Outcome.of(new Result.Scheduled(id, r.at()));
            });
        }
        Tracking t = tracking(r.consistency(), r.targetSessions());
        WriteOp op = new WriteOp.Publish(id, r.path(), r.data(), r.meta(), s.principal().actor(), now, t.delivery);
        return write(s, requestId, op, t, r.consistency(), r.ackTimeoutMs(),
                (res, counts) -> new Result.Published(id, res.event().offset(), counts));
    }

    CompletableFuture<Outcome> cancel(Request.Cancel r) {
        return store.write(new WriteOp.Cancel(r.eventId()))
                .thenApply(res -> Outcome.of(new Result.Cancelled(r.eventId())));
    }

    private long now() {
        return options.clock().getAsLong();
    }

    /** The delivery of a write, and its tracker when the consistency counts deliveries. */
    private record Tracking(WriteOp.Delivery delivery, DeliveryTracker tracker) { }

    private static Tracking tracking(Consistency consistency, List<String> targets) {
        DeliveryTracker tracker = consistency == Consistency.TRANSACTIONAL
                ? null : new DeliveryTracker(consistency == Consistency.ACKNOWLEDGED);
        String writeId = tracker == null ? null : Ids.random(20);
        return new Tracking(tracker == null && targets == null ? WriteOp.Delivery.BROADCAST
                : new WriteOp.Delivery(writeId, targets), tracker);
    }

    /**
     * Submits a write and shapes the reply by consistency: transactional replies once the
     * events were handed to every subscriber; deferred replies then too and sends a
     * {@code published} notice with the counts right after; acknowledged replies once every
     * recipient acked or the ack timeout passed, with the counts.
     */
    private CompletableFuture<Outcome> write(Session s, long requestId, WriteOp op, Tracking t, Consistency consistency,
                                             long ackTimeoutMs, BiFunction<WriteResult, DeliveryCounts, Result> reply) {
        DeliveryTracker tracker = t.tracker;
        String writeId = t.delivery.writeId();
        ClusterDeliveries.Gather others = null;
        if (tracker != null) {
            tracked.put(writeId, tracker);
            others = engine.deliveries().expect(writeId);
        }
        CompletableFuture<WriteResult> handedOff = store.write(op)
                .thenCompose(res -> engine.handedOff(res).thenApply(x -> res));
        if (tracker == null) {
            return handedOff.thenApply(res -> Outcome.of(reply.apply(res, null)));
        }
        ClusterDeliveries.Gather gather = others;
        handedOff.whenComplete((res, err) -> {
            if (err != null || consistency == Consistency.DEFERRED) {
                tracked.remove(writeId);
            }
            if (err != null || res.events().isEmpty()) {
                gather.close(); // no events: no other node has anything to report
            }
        });
        if (consistency == Consistency.DEFERRED) {
            return handedOff.thenApply(res -> {
                Result body = reply.apply(res, null);
                Long offset = body instanceof Result.Written w ? w.offset()
                        : body instanceof Result.Incremented i ? i.offset()
                        : body instanceof Result.Published p ? Long.valueOf(p.offset()) : null;
                // the notice waits for the other nodes' first reports (bounded by the ack timeout)
                return new Outcome(body, () -> gather.settled()
                        .completeOnTimeout(null, ackTimeoutMs, TimeUnit.MILLISECONDS)
                        .thenRun(() -> {
                            gather.close();
                            s.sink().notice(new Notice.Published(requestId, offset, gather.plus(tracker.counts(), false)));
                        }));
            });
        }
        return handedOff.thenCompose(res -> {
            if (res.events().isEmpty()) {
                tracker.seal();
            }
            CompletableFuture<Boolean> timedOut = new CompletableFuture<>();
            var timeout = timers.schedule(() -> {
                tracker.timeout();
                timedOut.complete(true);
            }, ackTimeoutMs, TimeUnit.MILLISECONDS);
            CompletableFuture<Boolean> allIn = tracker.done().thenCombine(gather.last(), (c, x) -> false);
            return allIn.applyToEither(timedOut, Boolean::booleanValue).thenApply(late -> {
                timeout.cancel(false);
                tracked.remove(writeId);
                gather.close();
                engine.router().forgetAcks(res.events());
                return Outcome.of(reply.apply(res, gather.plus(tracker.done().join(), late)));
            });
        });
    }
}
