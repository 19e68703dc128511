package io.switchboard.store.sqlite;

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

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/**
 * Applies one {@link WriteOp} inside the writer's open transaction (WriteOp javadoc semantics).
 * Business failures are thrown as {@link SwitchboardException} before or after partial writes;
 * the caller wraps each op in a SAVEPOINT and rolls it back, together with {@link #nextOffset}.
 * Only the writer thread uses an instance.
 */
final class WriteApplier {
    private final Connection c;
    private final PreparedStatement selectDoc;
    private final PreparedStatement upsertDoc;
    private final PreparedStatement deleteDoc;
    private final PreparedStatement insertEvent;
    private final PreparedStatement selectScheduled;
    private final PreparedStatement insertScheduled;
    private final PreparedStatement deleteScheduled;
    private final PreparedStatement eventById;
    private final PreparedStatement dueScheduled;

    /** The offset the next appended event gets. */
    long nextOffset;

    WriteApplier(Connection c, long nextOffset) throws SQLException {
        this.c = c;
        this.nextOffset = nextOffset;
        selectDoc = c.prepareStatement("SELECT path, data, created, modified, version, modified_by FROM documents WHERE path = ?");
        upsertDoc = c.prepareStatement("INSERT INTO documents(path, data, created, modified, version, modified_by)"
                + " VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT(path) DO UPDATE SET data = excluded.data,"
                + " modified = excluded.modified, version = excluded.version, modified_by = excluded.modified_by");
        deleteDoc = c.prepareStatement("DELETE FROM documents WHERE path = ?");
        insertEvent = c.prepareStatement(EventRows.INSERT);
        selectScheduled = c.prepareStatement("SELECT 1 FROM scheduled WHERE id = ?");
        insertScheduled = c.prepareStatement(
                "INSERT INTO scheduled(id, path, data, meta, by, at, created) VALUES (?, ?, ?, ?, ?, ?, ?)");
        deleteScheduled = c.prepareStatement("DELETE FROM scheduled WHERE id = ?");
        eventById = c.prepareStatement("SELECT 1 FROM events WHERE id = ? LIMIT 1");
        dueScheduled = c.prepareStatement("SELECT id, path, data, meta, by FROM scheduled WHERE at <= ?"
                + " ORDER BY at, id LIMIT ?");
    }

    WriteResult apply(WriteOp op) throws SQLException {
        if (op instanceof WriteOp.Set s) {
            return set(s);
        } else if (op instanceof WriteOp.Increment i) {
            // Read and written by this one writer: no other write can land in between.
            return set(i.asSet(load(i.path())));
        } else if (op instanceof WriteOp.Remove r) {
            return remove(r);
        } else if (op instanceof WriteOp.Publish p) {
            Event e = append(p.id(), EventType.PUBLISH, p.path(), p.data(), null, copy(p.meta()), p.ts(), p.by(),
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

    private WriteResult set(WriteOp.Set op) throws SQLException {
        JsonNode data = op.data() == null ? NullNode.getInstance() : op.data();
        EventType type = op.merge() ? EventType.MERGE : EventType.SET;
        JsonNode patch = op.merge() ? data : null;
        Document existing = op.ifVersion() != null || !op.noStore() ? load(op.path()) : null;
        long found = existing == null ? 0 : existing.meta().version();
        if (op.ifVersion() != null && op.ifVersion() != found) {
            throw SwitchboardException.conflict("version mismatch at " + op.path() + ": expected "
                    + op.ifVersion() + ", found " + found);
        }
        if (op.noStore()) {
            Event e = append(null, type, op.path(), data, patch, copy(op.meta()), op.ts(), op.by(), op.delivery().targets());
            return new WriteResult(null, List.of(e), 0);
        }
        JsonNode stored = data;
        if (op.merge() && existing != null && existing.data().isObject() && data.isObject()) {
            ObjectNode merged = ((ObjectNode) existing.data()).deepCopy();
            merged.setAll((ObjectNode) data);
            stored = merged;
        }
        DocMeta meta = new DocMeta(existing == null ? op.ts() : existing.meta().created(), op.ts(), found + 1, op.by());
        upsertDoc.setString(1, op.path());
        upsertDoc.setString(2, Json.write(stored));
        upsertDoc.setLong(3, meta.created());
        upsertDoc.setLong(4, meta.modified());
        upsertDoc.setLong(5, meta.version());
        upsertDoc.setString(6, meta.modifiedBy());
        upsertDoc.executeUpdate();
        Document doc = new Document(op.path(), stored, meta);
        if (op.noPublish()) {
            return new WriteResult(doc, List.of(), 0);
        }
        ObjectNode em = copy(op.meta());
        em.put("created", meta.created());
        em.put("modified", meta.modified());
        em.put("version", meta.version());
        Event e = append(null, type, op.path(), stored, patch, em, op.ts(), op.by(), op.delivery().targets());
        return new WriteResult(doc, List.of(e), 0);
    }

    private Document load(String path) throws SQLException {
        selectDoc.setString(1, path);
        try (ResultSet rs = selectDoc.executeQuery()) {
            return rs.next() ? DocumentReader.row(rs, true) : null;
        }
    }

    private WriteResult remove(WriteOp.Remove op) throws SQLException {
        List<String> paths = new ArrayList<>();
        SqlFragment f = new SqlFragment().sql("SELECT path FROM documents WHERE ")
                .append(CriteriaSql.target(op.target())).sql(" ORDER BY path");
        try (PreparedStatement ps = c.prepareStatement(f.text())) {
            f.bind(ps, 1);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    paths.add(rs.getString(1));
                }
            }
        }
        List<Event> events = new ArrayList<>();
        for (String p : paths) {
            deleteDoc.setString(1, p);
            deleteDoc.executeUpdate();
            if (!op.noPublish()) {
                events.add(append(null, EventType.REMOVE, p, null, null, copy(op.meta()), op.ts(), op.by(),
                        op.delivery().targets()));
            }
        }
        return new WriteResult(null, events, paths.size());
    }

    private WriteResult schedule(WriteOp.Schedule op) throws SQLException {
        selectScheduled.setString(1, op.id());
        try (ResultSet rs = selectScheduled.executeQuery()) {
            if (rs.next()) {
                throw SwitchboardException.conflict("event " + op.id() + " is already scheduled");
            }
        }
        insertScheduled.setString(1, op.id());
        insertScheduled.setString(2, op.path());
        insertScheduled.setString(3, EventRows.json(op.data()));
        insertScheduled.setString(4, EventRows.json(op.meta()));
        insertScheduled.setString(5, op.by());
        insertScheduled.setLong(6, op.at());
        insertScheduled.setLong(7, op.ts());
        insertScheduled.executeUpdate();
        return WriteResult.NONE;
    }

    private WriteResult cancel(WriteOp.Cancel op) throws SQLException {
        deleteScheduled.setString(1, op.id());
        if (deleteScheduled.executeUpdate() > 0) {
            return WriteResult.NONE;
        }
        eventById.setString(1, op.id());
        try (ResultSet rs = eventById.executeQuery()) {
            if (rs.next()) {
                throw SwitchboardException.conflict("event " + op.id() + " already fired");
            }
        }
        throw SwitchboardException.notFound("event " + op.id() + " is not scheduled");
    }

    private WriteResult fireDue(WriteOp.FireDue op) throws SQLException {
        record Due(String id, String path, String data, String meta, String by) { }
        List<Due> due = new ArrayList<>();
        dueScheduled.setLong(1, op.now());
        dueScheduled.setLong(2, op.limit());
        try (ResultSet rs = dueScheduled.executeQuery()) {
            while (rs.next()) {
                due.add(new Due(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4), rs.getString(5)));
            }
        }
        List<Event> events = new ArrayList<>();
        for (Due d : due) {
            deleteScheduled.setString(1, d.id());
            deleteScheduled.executeUpdate();
            JsonNode meta = Json.parseTrusted(d.meta());
            events.add(append(d.id(), EventType.PUBLISH, d.path(), Json.parseTrusted(d.data()), null,
                    copy(meta instanceof ObjectNode o ? o : null), op.now(), d.by(), null));
        }
        return new WriteResult(null, events, 0);
    }

    private Event append(String id, EventType type, String path, JsonNode data, JsonNode patch, ObjectNode meta,
                         long ts, String by, List<String> targets) throws SQLException {
        Event e = new Event(nextOffset, id, type, path, data, patch, meta, ts, by, targets);
        EventRows.insert(insertEvent, e);
        nextOffset++;
        return e;
    }

    private static ObjectNode copy(ObjectNode meta) {
        return meta == null ? Json.object() : meta.deepCopy();
    }
}
