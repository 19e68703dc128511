package io.switchboard.core.client;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.switchboard.core.model.DocMeta;
import io.switchboard.core.model.Document;
import io.switchboard.core.model.Event;
import io.switchboard.core.model.EventType;

/** Reads the wire shapes of documents and events back into model objects (for clients). */
public final class WireEvents {
    private WireEvents() {
    }

    public static Event event(JsonNode e) {
        JsonNode meta = e.get("meta");
        return new Event(e.path("offset").asLong(), e.hasNonNull("id") ? e.get("id").asText() : null,
                EventType.valueOf(e.path("type").asText().toUpperCase(java.util.Locale.ROOT)),
                e.path("path").asText(), e.get("data"), null,
                meta instanceof ObjectNode o ? o : null, e.path("ts").asLong(),
                e.hasNonNull("by") ? e.get("by").asText() : null);
    }

    public static Document document(JsonNode d) {
        JsonNode m = d.get("meta");
        DocMeta meta = m == null ? null : new DocMeta(m.path("created").asLong(), m.path("modified").asLong(),
                m.path("version").asLong(), m.hasNonNull("modifiedBy") ? m.get("modifiedBy").asText() : null);
        return new Document(d.path("path").asText(), d.get("data"), meta);
    }
}
