package io.switchboard.core.engine;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.switchboard.core.error.SwitchboardException;
import io.switchboard.core.json.Json;
import io.switchboard.core.model.Document;
import io.switchboard.core.model.Event;
import io.switchboard.core.op.Consistency;
import io.switchboard.core.op.Request;
import io.switchboard.core.query.Query;
import io.switchboard.core.router.DeliveryTracker;
import io.switchboard.core.router.Dispatch;
import io.switchboard.core.router.Router;
import io.switchboard.core.session.Session;
import io.switchboard.core.store.Store;
import io.switchboard.core.store.WriteOp;
import io.switchboard.core.store.WriteResult;

import java.util.HashSet;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/** Document and publish operations: get, count, set, remove, publish, cancel. */
final class DataOps {
    private final Store store;
    private final Router router;
    private final WriteDispatches dispatches;
    private final Scheduler scheduler;
    private final ScheduledExecutorService timers;
    private final EngineOptions options;

    DataOps(Store store, Router router, WriteDispatches dispatches, Scheduler scheduler,
            ScheduledExecutorService timers, EngineOptions options) {
        this.store = store;
        this.router = router;
        this.dispatches = dispatches;
        this.scheduler = scheduler;
        this.timers = timers;
        this.options = options;
    }

    CompletableFuture<Outcome> get(Request.Get r) {
        if (r.target().isExact() && r.criteria() instanceof io.switchboard.core.query.Criteria.All) {
            String path = r.target().text();
            return store.get(path).thenApply(doc -> Outcome.of(doc
                    .orElseThrow(() -> SwitchboardException.notFound("no document at " + path))
                    .toJson()));
        }
        int cap = options.maxQueryLimit();
        Integer limit = r.limit() == null ? Integer.valueOf(cap) : Integer.valueOf(Math.min(r.limit(), cap));
        Query q = new Query(r.target(), r.criteria(), r.fields(), r.sort(), limit, r.skip(), r.pathsOnly());
        return store.query(q).thenApply(res -> {
            ObjectNode o = Json.object();
            o.set("items", documents(res.items()));
            o.put("total", res.total());
            return Outcome.of(o);
        });
    }

    static ArrayNode documents(List<Document> docs) {
        ArrayNode items = Json.MAPPER.createArrayNode();
        for (Document d : docs) {
            items.add(d.toJson());
        }
        return items;
    }

    CompletableFuture<Outcome> count(Request.Count r) {
        return store.count(r.target(), r.criteria())
                .thenApply(n -> Outcome.of(Json.object().put("count", n)));
    }

    CompletableFuture<Outcome> set(Session s, long requestId, Request.Set r) {
        WriteOp op = new WriteOp.Set(r.path(), r.data(), r.merge(), r.ifVersion(), r.meta(),
                s.principal().actor(), r.noStore(), r.noPublish(), options.clock().getAsLong());
        return write(s, requestId, op, r.targetSessions(), r.consistency(), r.ackTimeoutMs(), res -> {
            ObjectNode o = Json.object();
            o.put("path", r.path());
            if (res.document() != null) {
                o.set("meta", Document.metaJson(res.document().meta()));
            }
            Event e = res.event();
            if (e != null) {
                o.put("offset", e.offset());
            }
            return o;
        });
    }

    CompletableFuture<Outcome> remove(Session s, long requestId, Request.Remove r) {
        WriteOp op = new WriteOp.Remove(r.target(), r.meta(), s.principal().actor(), r.noPublish(),
                options.clock().getAsLong());
        return write(s, requestId, op, r.targetSessions(), r.consistency(), r.ackTimeoutMs(),
                res -> Json.object().put("removed", res.removed()));
    }

    CompletableFuture<Outcome> publish(Session s, long requestId, Request.Publish r) {
        long now = options.clock().getAsLong();
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
                return Outcome.of(Json.object().put("id", id).put("at", r.at()).put("scheduled", true));
            });
        }
        WriteOp op = new WriteOp.Publish(id, r.path(), r.data(), r.meta(), s.principal().actor(), now);
        return write(s, requestId, op, r.targetSessions(), r.consistency(), r.ackTimeoutMs(),
                res -> Json.object().put("id", id).put("offset", res.event().offset()));
    }

    CompletableFuture<Outcome> cancel(Request.Cancel r) {
        return store.write(new WriteOp.Cancel(r.eventId()))
                .thenApply(res -> Outcome.of(Json.object().put("id", r.eventId()).put("cancelled", true)));
    }

    /**
     * Submits a write with its delivery context and shapes the reply by consistency:
     * transactional replies at commit (events already handed to subscribers); deferred replies
     * at commit and sends a {@code published} notice with the counts right after; acknowledged
     * replies once every recipient acked or the ack timeout passed, with the counts.
     */
    private CompletableFuture<Outcome> write(Session s, long requestId, WriteOp op, List<String> targets,
                                             Consistency consistency, long ackTimeoutMs,
                                             java.util.function.Function<WriteResult, ObjectNode> reply) {
        DeliveryTracker tracker = consistency == Consistency.TRANSACTIONAL
                ? null : new DeliveryTracker(consistency == Consistency.ACKNOWLEDGED);
        Dispatch d = targets == null && tracker == null
                ? Dispatch.BROADCAST : new Dispatch(targets == null ? null : new HashSet<>(targets), tracker);
        dispatches.register(op, d);
        CompletableFuture<WriteResult> written = store.write(op);
        written.whenComplete((res, err) -> {
            if (err != null) {
                dispatches.forget(op);
            }
        });
        if (tracker == null) {
            return written.thenApply(res -> Outcome.of(reply.apply(res)));
        }
        if (consistency == Consistency.DEFERRED) {
            return written.thenApply(res -> {
                ObjectNode body = reply.apply(res);
                return new Outcome(body, () -> s.sink().system(published(requestId, body, tracker.counts())));
            });
        }
        return written.thenCompose(res -> {
            if (res.events().isEmpty()) {
                tracker.seal();
            }
            var timeout = timers.schedule(tracker::timeout, ackTimeoutMs, TimeUnit.MILLISECONDS);
            return tracker.done().thenApply(counts -> {
                timeout.cancel(false);
                router.forgetAcks(res.events());
                return Outcome.of(reply.apply(res).setAll(counts));
            });
        });
    }

    private static ObjectNode published(long requestId, ObjectNode body, ObjectNode counts) {
        ObjectNode o = Json.object();
        o.put("sys", "published");
        o.put("requestId", requestId);
        JsonNode offset = body.get("offset");
        if (offset != null) {
            o.set("offset", offset);
        }
        o.setAll(counts);
        return o;
    }
}
