package io.switchboard.store.postgres;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.switchboard.core.error.SwitchboardException;
import io.switchboard.core.json.Json;
import io.switchboard.core.model.DocMeta;
import io.switchboard.core.model.Document;
import io.switchboard.core.model.Event;
import io.switchboard.core.model.EventType;
import io.switchboard.core.query.SortOrder;
import io.switchboard.core.store.WriteOp;
import io.switchboard.core.store.WriteResult;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Applies one {@link WriteOp} inside the writer's open transaction, after the batch took the log
 * head lock (so every read here sees every earlier commit of every node). Business failures
 * (CONFLICT, NOT_FOUND) are thrown before the op wrote anything, so they need no savepoint.
 * Event inserts are batched and flushed by {@link #flush()}. Only the writer thread uses an
 * instance, and only for one connection.
 */
final class PgWriteApplier implements AutoCloseable {
    private final Connection c;
    private final PreparedStatement selectDoc;
    private final PreparedStatement upsertDoc;
    private final PreparedStatement insertEvent;
    private final PreparedStatement insertScheduled;
    private final PreparedStatement deleteScheduled;
    private final PreparedStatement eventById;
    private final PreparedStatement fireDue;
    private int pendingEvents;

    /** The offset the next appended event gets. */
    long nextOffset;

    PgWriteApplier(Connection c) throws SQLException {
        this.c = c;
        selectDoc = c.prepareStatement("SELECT path, body, created, modified, version, modified_by FROM documents"
                + " WHERE path = ?");
        // One round trip for a set: created survives, version counts up, both come back.
        upsertDoc = c.prepareStatement("INSERT INTO documents AS d (path, body, data, created, modified, version,"
                + " modified_by) VALUES (?, ?, CAST(? AS jsonb), ?, ?, 1, ?) ON CONFLICT (path) DO UPDATE SET"
                + " body = excluded.body, data = excluded.data, modified = excluded.modified,"
                + " version = d.version + 1, modified_by = excluded.modified_by RETURNING created, version");
        insertEvent = c.prepareStatement(PgEventRows.INSERT);
        insertScheduled = c.prepareStatement("INSERT INTO scheduled(id, path, data, meta, by_user, at, created)"
                + " VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (id) DO NOTHING");
        deleteScheduled = c.prepareStatement("DELETE FROM scheduled WHERE id = ?");
        eventById = c.prepareStatement("SELECT 1 FROM events WHERE id = ? LIMIT 1");
        fireDue = c.prepareStatement("DELETE FROM scheduled WHERE id IN (SELECT id FROM scheduled WHERE at <= ?"
                + " ORDER BY at, id LIMIT ?) RETURNING id, path, data, meta, by_user, at");
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
        Document existing = op.ifVersion() != null || (op.merge() && !op.noStore()) ? load(op.path()) : null;
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
        String text = Json.write(stored);
        upsertDoc.setString(1, op.path());
        upsertDoc.setString(2, text);
        upsertDoc.setString(3, text);
        upsertDoc.setLong(4, op.ts());
        upsertDoc.setLong(5, op.ts());
        upsertDoc.setString(6, op.by());
        DocMeta meta;
        try (ResultSet rs = upsertDoc.executeQuery()) {
            rs.next();
            meta = new DocMeta(rs.getLong(1), op.ts(), rs.getLong(2), op.by());
        }
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
            return rs.next() ? PgDocumentReader.row(rs, true) : null;
        }
    }

    private WriteResult remove(WriteOp.Remove op) throws SQLException {
        List<String> paths = new ArrayList<>();
        PgFragment f = new PgFragment().sql("DELETE FROM documents WHERE ").append(PgCriteriaSql.target(op.target()))
                .sql(" RETURNING path");
        try (PreparedStatement ps = c.prepareStatement(f.text())) {
            f.bind(ps, 1);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    paths.add(rs.getString(1));
                }
            }
        }
        paths.sort(SortOrder::compareText);
        List<Event> events = new ArrayList<>();
        if (!op.noPublish()) {
            for (String p : paths) {
                events.add(append(null, EventType.REMOVE, p, null, null, copy(op.meta()), op.ts(), op.by(),
                        op.delivery().targets()));
            }
        }
        return new WriteResult(null, events, paths.size());
    }

    private WriteResult schedule(WriteOp.Schedule op) throws SQLException {
        insertScheduled.setString(1, op.id());
        insertScheduled.setString(2, op.path());
        insertScheduled.setString(3, PgEventRows.json(op.data()));
        insertScheduled.setString(4, PgEventRows.json(op.meta()));
        insertScheduled.setString(5, op.by());
        insertScheduled.setLong(6, op.at());
        insertScheduled.setLong(7, op.ts());
        if (insertScheduled.executeUpdate() == 0) {
            throw SwitchboardException.conflict("event " + op.id() + " is already scheduled");
        }
        return WriteResult.NONE;
    }

    private WriteResult cancel(WriteOp.Cancel op) throws SQLException {
        deleteScheduled.setString(1, op.id());
        if (deleteScheduled.executeUpdate() > 0) {
            return WriteResult.NONE;
        }
        flush(); // an event this batch fired must be visible to the check below
        eventById.setString(1, op.id());
        try (ResultSet rs = eventById.executeQuery()) {
            if (rs.next()) {
                throw SwitchboardException.conflict("event " + op.id() + " already fired");
            }
        }
        throw SwitchboardException.notFound("event " + op.id() + " is not scheduled");
    }

    private WriteResult fireDue(WriteOp.FireDue op) throws SQLException {
        record Due(String id, String path, String data, String meta, String by, long at) { }
        List<Due> due = new ArrayList<>();
        fireDue.setLong(1, op.now());
        fireDue.setLong(2, op.limit());
        try (ResultSet rs = fireDue.executeQuery()) {
            while (rs.next()) {
                due.add(new Due(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4), rs.getString(5),
                        rs.getLong(6)));
            }
        }
        due.sort(Comparator.comparingLong(Due::at).thenComparing(Due::id, SortOrder::compareText));
        List<Event> events = new ArrayList<>();
        for (Due d : due) {
            JsonNode meta = Json.parseTrusted(d.meta());
            events.add(append(d.id(), EventType.PUBLISH, d.path(), Json.parseTrusted(d.data()), null,
                    copy(meta instanceof ObjectNode o ? o : null), op.now(), d.by(), null));
        }
        return new WriteResult(null, events, 0);
    }

    private Event append(String id, EventType type, String path, JsonNode data, JsonNode patch, ObjectNode meta,
                         long ts, String by, List<String> targets) throws SQLException {
        Event e = new Event(nextOffset, id, type, path, data, patch, meta, ts, by, targets);
        PgEventRows.add(insertEvent, e);
        pendingEvents++;
        nextOffset++;
        return e;
    }

    /** Sends the batched event inserts. */
    void flush() throws SQLException {
        if (pendingEvents > 0) {
            pendingEvents = 0;
            insertEvent.executeBatch();
        }
    }

    /** Forgets batched inserts of a transaction that is being rolled back. */
    void discard() throws SQLException {
        pendingEvents = 0;
        insertEvent.clearBatch();
    }

    private static ObjectNode copy(ObjectNode meta) {
        return meta == null ? Json.object() : meta.deepCopy();
    }

    @Override
    public void close() {
        for (PreparedStatement ps : List.of(selectDoc, upsertDoc, insertEvent, insertScheduled, deleteScheduled,
                eventById, fireDue)) {
            try {
                ps.close();
            } catch (SQLException ignored) {
                // The connection is being dropped anyway.
            }
        }
    }
}
