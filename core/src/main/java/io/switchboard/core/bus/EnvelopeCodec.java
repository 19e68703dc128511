package io.switchboard.core.bus;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.switchboard.core.json.Json;
import io.switchboard.core.model.Event;
import io.switchboard.core.model.EventType;
import io.switchboard.core.result.DeliveryCounts;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * The bytes a remote bus carries between nodes: one message per local commit (its envelopes),
 * a heartbeat, or a delivery report for a writing node, each naming the sending node and the newest offset it has committed. JSON, so
 * an operator can read the channel with {@code redis-cli} or {@code nats sub}; events keep every
 * field (patch, target sessions) the router needs.
 */
public final class EnvelopeCodec {
    /** Format version; a node ignores messages of a version it does not know (and logs it). */
    static final int VERSION = 1;

    private EnvelopeCodec() {
    }

    /**
     * A decoded message: who sent it, its head, and the envelopes (empty for a heartbeat), or a
     * delivery report (null otherwise).
     */
    public record Message(String node, long head, List<Envelope> envelopes, DeliveryReport report) {
        public Message(String node, long head, List<Envelope> envelopes) {
            this(node, head, envelopes, null);
        }
    }

    /** A delivery report from {@code r.from()} to {@code r.to()}, with the sender's head. */
    public static byte[] encodeReport(long head, DeliveryReport r) {
        ObjectNode m = Json.object().put("v", VERSION).put("node", r.from()).put("head", head);
        DeliveryCounts c = r.counts();
        m.putObject("report").put("to", r.to()).put("writeId", r.writeId()).put("queued", c.queued())
                .put("delivered", c.delivered()).put("acknowledged", c.acknowledged()).put("failed", c.failed())
                .put("last", r.last());
        return Json.writeBytes(m);
    }

    public static byte[] encode(String node, long head, List<Envelope> envelopes) {
        ObjectNode m = Json.object().put("v", VERSION).put("node", node).put("head", head);
        if (!envelopes.isEmpty()) {
            ArrayNode list = m.putArray("envelopes");
            for (Envelope env : envelopes) {
                ObjectNode e = list.addObject();
                if (env.writeId() != null) {
                    e.put("writeId", env.writeId());
                }
                e.put("tracking", env.tracking().name());
                ArrayNode events = e.putArray("events");
                env.events().forEach(ev -> events.add(event(ev)));
            }
        }
        return Json.writeBytes(m);
    }

    /** Decodes a message; throws {@link IllegalArgumentException} for anything malformed. */
    public static Message decode(byte[] bytes) {
        JsonNode m;
        try {
            m = Json.MAPPER.readTree(bytes);
        } catch (IOException e) {
            throw new IllegalArgumentException("not JSON: " + e.getMessage(), e);
        }
        if (m == null || m.path("v").asInt() != VERSION || !m.path("node").isTextual()) {
            throw new IllegalArgumentException("not a version " + VERSION + " bus message");
        }
        JsonNode rep = m.get("report");
        if (rep != null) {
            if (!rep.path("to").isTextual() || !rep.path("writeId").isTextual()) {
                throw new IllegalArgumentException("a report names its node and write");
            }
            DeliveryCounts c = new DeliveryCounts(rep.path("queued").asInt(), rep.path("delivered").asInt(),
                    rep.path("acknowledged").asInt(), rep.path("failed").asInt());
            return new Message(m.get("node").asText(), m.path("head").asLong(), List.of(),
                    new DeliveryReport(m.get("node").asText(), rep.get("to").asText(), rep.get("writeId").asText(), c,
                            rep.path("last").asBoolean()));
        }
        List<Envelope> envelopes = new ArrayList<>();
        for (JsonNode e : m.path("envelopes")) {
            List<Event> events = new ArrayList<>();
            for (JsonNode ev : e.path("events")) {
                events.add(event(ev));
            }
            String writeId = e.hasNonNull("writeId") ? e.get("writeId").asText() : null;
            envelopes.add(new Envelope(m.get("node").asText(), writeId,
                    Envelope.Tracking.valueOf(e.path("tracking").asText("NONE")), events));
        }
        return new Message(m.get("node").asText(), m.path("head").asLong(), envelopes);
    }

    private static ObjectNode event(Event e) {
        ObjectNode o = Json.object().put("offset", e.offset()).put("type", e.type().wire()).put("path", e.path())
                .put("ts", e.ts());
        if (e.id() != null) {
            o.put("id", e.id());
        }
        if (e.data() != null) {
            o.set("data", e.data());
        }
        if (e.patch() != null) {
            o.set("patch", e.patch());
        }
        o.set("meta", e.meta());
        if (e.by() != null) {
            o.put("by", e.by());
        }
        if (e.targets() != null) {
            ArrayNode t = o.putArray("targets");
            e.targets().forEach(t::add);
        }
        return o;
    }

    private static Event event(JsonNode o) {
        List<String> targets = null;
        if (o.has("targets")) {
            targets = new ArrayList<>();
            for (JsonNode t : o.get("targets")) {
                targets.add(t.asText());
            }
        }
        JsonNode meta = o.get("meta");
        return new Event(o.path("offset").asLong(), text(o, "id"), EventType.parse(o.path("type").asText(), "type"),
                o.path("path").asText(), o.get("data"), o.get("patch"), meta instanceof ObjectNode mo ? mo : null,
                o.path("ts").asLong(), text(o, "by"), targets);
    }

    private static String text(JsonNode o, String field) {
        return o.hasNonNull(field) ? o.get(field).asText() : null;
    }
}
