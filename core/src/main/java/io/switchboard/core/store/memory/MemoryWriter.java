package io.switchboard.core.store.memory;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.switchboard.core.error.SwitchboardException;
import io.switchboard.core.json.Json;
import io.switchboard.core.model.DocMeta;
import io.switchboard.core.model.Document;
import io.switchboard.core.model.Event;
import io.switchboard.core.model.EventType;
import io.switchboard.core.store.WriteOp;
import io.switchboard.core.store.WriteResult;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Applies one {@link WriteOp} to {@link MemoryData} with the semantics the {@code WriteOp}
 * javadoc gives. Every check that can fail runs before anything changes, so a failed op leaves
 * no trace and needs no rollback. Called with the data's write lock held.
 */
final class MemoryWriter {
    private final MemoryData d;

    MemoryWriter(MemoryData data) {
        this.d = data;
    }

    WriteResult apply(WriteOp op) {
        if (op instanceof WriteOp.Set s) {
            return set(s);
        } else if (op instanceof WriteOp.Increment i) {
            // Read and written by this one writer: no other write can land in between.
            return set(i.asSet(d.documents.get(i.path())));
        } else if (op instanceof WriteOp.Remove r) {
            return remove(r);
        } else if (op instanceof WriteOp.Publish p) {
            Event e = append(p.id(), EventType.PUBLISH, p.path(), copy(p.data()), null, meta(p.meta()), p.ts(), p.by(),
                    p.delivery().targets());
            return new WriteResult(null, List.of(e), 0);
        } else if (op instanceof WriteOp.Schedule s) {
            return schedule(s);
        } else if (op instanceof WriteOp.Cancel x) {
            return cancel(x);
        } else {
            return fireDue((WriteOp.FireDue) op);
        }
    }

    private WriteResult set(WriteOp.Set op) {
        JsonNode data = op.data() == null ? NullNode.getInstance() : op.data().deepCopy();
        EventType type = op.merge() ? EventType.MERGE : EventType.SET;
        JsonNode patch = op.merge() ? data : null;
        Document existing = d.documents.get(op.path());
        long found = existing == null ? 0 : existing.meta().version();
        if (op.ifVersion() != null && op.ifVersion() != found) {
            throw SwitchboardException.conflict("version mismatch at " + op.path() + ": expected "
                    + op.ifVersion() + ", found " + found);
        }
        if (op.noStore()) {
            Event e = append(null, type, op.path(), data, patch, meta(op.meta()), op.ts(), op.by(), op.delivery().targets());
            return new WriteResult(null, List.of(e), 0);
        }
        JsonNode stored = data;
        if (op.merge() && existing != null && existing.data().isObject() && data.isObject()) {
            ObjectNode merged = ((ObjectNode) existing.data()).deepCopy();
            merged.setAll((ObjectNode) data);
            stored = merged;
        }
        DocMeta meta = new DocMeta(existing == null ? op.ts() : existing.meta().created(), op.ts(), found + 1, op.by());
        Document doc = new Document(op.path(), stored, meta);
        d.documents.put(op.path(), doc);
        if (op.noPublish()) {
            return new WriteResult(doc, List.of(), 0);
        }
        ObjectNode em = meta(op.meta());
        em.put("created", meta.created());
        em.put("modified", meta.modified());
        em.put("version", meta.version());
        Event e = append(null, type, op.path(), stored, patch, em, op.ts(), op.by(), op.delivery().targets());
        return new WriteResult(doc, List.of(e), 0);
    }

    private WriteResult remove(WriteOp.Remove op) {
        List<String> paths = MemoryReads.matching(d.documents, op.target()).map(Document::path).toList();
        List<Event> events = new ArrayList<>();
        for (String p : paths) {
            d.documents.remove(p);
            if (!op.noPublish()) {
                events.add(append(null, EventType.REMOVE, p, null, null, meta(op.meta()), op.ts(), op.by(),
                        op.delivery().targets()));
            }
        }
        return new WriteResult(null, events, paths.size());
    }

    private WriteResult schedule(WriteOp.Schedule op) {
        if (d.scheduled.containsKey(op.id())) {
            throw SwitchboardException.conflict("event " + op.id() + " is already scheduled");
        }
        d.scheduled.put(op.id(), new MemoryData.Scheduled(op.id(), op.path(), copy(op.data()),
                op.meta() == null ? null : op.meta().deepCopy(), op.by(), op.at()));
        return WriteResult.NONE;
    }

    private WriteResult cancel(WriteOp.Cancel op) {
        if (d.scheduled.remove(op.id()) != null) {
            return WriteResult.NONE;
        }
        if (d.eventIds.containsKey(op.id())) {
            throw SwitchboardException.conflict("event " + op.id() + " already fired");
        }
        throw SwitchboardException.notFound("event " + op.id() + " is not scheduled");
    }

    private WriteResult fireDue(WriteOp.FireDue op) {
        List<MemoryData.Scheduled> due = d.scheduled.values().stream()
                .filter(s -> s.at() <= op.now())
                .sorted(Comparator.comparingLong(MemoryData.Scheduled::at).thenComparing(MemoryData.Scheduled::id))
                .limit(Math.max(0, op.limit()))
                .toList();
        List<Event> events = new ArrayList<>();
        for (MemoryData.Scheduled s : due) {
            d.scheduled.remove(s.id());
            events.add(append(s.id(), EventType.PUBLISH, s.path(), s.data(), null, meta(s.meta()), op.now(), s.by(), null));
        }
        return new WriteResult(null, events, 0);
    }

    private Event append(String id, EventType type, String path, JsonNode data, JsonNode patch, ObjectNode meta,
                         long ts, String by, List<String> targets) {
        Event e = new Event(++d.lastOffset, id, type, path, data, patch, meta, ts, by, targets);
        d.events.put(e.offset(), e);
        if (id != null) {
            d.eventIds.put(id, e.offset());
        }
        return e;
    }

    private static JsonNode copy(JsonNode data) {
        return data == null ? null : data.deepCopy();
    }

    private static ObjectNode meta(ObjectNode meta) {
        return meta == null ? Json.object() : meta.deepCopy();
    }
}
