package io.switchboard.store.postgres;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.switchboard.core.json.Json;
import io.switchboard.core.model.Event;
import io.switchboard.core.model.EventType;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/** Mapping between {@link Event} and rows of the events table (JSON kept as text, verbatim). */
final class PgEventRows {
    static final String COLUMNS = "event_offset, id, type, path, data, patch, meta, ts, by_user, targets";
    static final String INSERT = "INSERT INTO events(" + COLUMNS + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";

    private PgEventRows() {
    }

    /** Adds the event to the statement's batch; the writer flushes it before anything reads events. */
    static void add(PreparedStatement ps, Event e) throws SQLException {
        ps.setLong(1, e.offset());
        ps.setString(2, e.id());
        ps.setString(3, e.type().wire());
        ps.setString(4, e.path());
        ps.setString(5, json(e.data()));
        ps.setString(6, json(e.patch()));
        ps.setString(7, Json.write(e.meta()));
        ps.setLong(8, e.ts());
        ps.setString(9, e.by());
        ps.setString(10, e.targets() == null ? null : Json.write(Json.MAPPER.valueToTree(e.targets())));
        ps.addBatch();
    }

    static Event read(ResultSet rs) throws SQLException {
        JsonNode meta = Json.parseTrusted(rs.getString(7));
        return new Event(rs.getLong(1), rs.getString(2), EventType.parse(rs.getString(3), "type"), rs.getString(4),
                Json.parseTrusted(rs.getString(5)), Json.parseTrusted(rs.getString(6)),
                meta instanceof ObjectNode o ? o : null, rs.getLong(8), rs.getString(9), targets(rs.getString(10)));
    }

    private static List<String> targets(String json) {
        if (json == null) {
            return null;
        }
        List<String> out = new ArrayList<>();
        Json.parseTrusted(json).forEach(n -> out.add(n.asText()));
        return out;
    }

    static String json(JsonNode n) {
        return n == null ? null : Json.write(n);
    }
}
