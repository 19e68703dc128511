package io.switchboard.server.compat.happn;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.switchboard.core.error.ErrorCode;
import io.switchboard.core.error.SwitchboardException;
import io.switchboard.core.json.Json;
import io.switchboard.core.model.DocMeta;
import io.switchboard.core.model.Document;
import io.switchboard.core.model.Event;
import io.switchboard.core.model.EventEncoding;
import io.switchboard.core.model.EventType;
import io.switchboard.core.op.RequestParser;

import java.nio.charset.StandardCharsets;
import java.util.Iterator;
import java.util.Map;

/**
 * Encodes replies and publications in happn_4 ({@code {data, _meta, protocol}}). A publication's
 * bytes up to its channel are cached once per event ({@link EventEncoding}); only the channel
 * suffix is built per subscriber.
 */
final class HappnEncoder {
    static final String PROTOCOL = "happn_4";

    /** The event as happn data + _meta, without the closing of _meta: {@code {"data":..,"_meta":{...}. */
    private static final EventEncoding<byte[]> FULL = EventEncoding.of("happn", e -> head(e, false));
    private static final EventEncoding<byte[]> PATCH = EventEncoding.of("happn-merge", e -> head(e, true));

    private HappnEncoder() {
    }

    /** A response frame: {@code {data, _meta: {type: response, status: ok, eventId, ...}, protocol}}. */
    static ObjectNode response(long eventId, String action, String sessionId, JsonNode data, ObjectNode extraMeta) {
        ObjectNode o = Json.object();
        o.set("data", data == null ? Json.MAPPER.nullNode() : data);
        ObjectNode meta = o.putObject("_meta");
        if (extraMeta != null) {
            meta.setAll(extraMeta);
        }
        meta.put("type", "response");
        meta.put("status", "ok");
        meta.put("published", false);
        meta.put("eventId", eventId);
        if (sessionId != null) {
            meta.put("sessionId", sessionId);
        }
        meta.put("action", action);
        o.put("protocol", PROTOCOL);
        return o;
    }

    /** An array response: the items, then the response _meta as the last element. */
    static ArrayNode arrayResponse(long eventId, String action, String sessionId, Iterable<? extends JsonNode> items) {
        ArrayNode a = Json.MAPPER.createArrayNode();
        for (JsonNode i : items) {
            a.add(i);
        }
        ObjectNode meta = response(eventId, action, sessionId, null, null).with("_meta");
        a.add(meta);
        return a;
    }

    /** An error response; happn's names: AccessDenied (401/403), InvalidCredentials, SystemError. */
    static ObjectNode error(long eventId, String action, String sessionId, SwitchboardException e) {
        ObjectNode o = response(eventId, action, sessionId, null, null);
        ObjectNode meta = o.with("_meta");
        meta.put("status", "error");
        ObjectNode err = meta.putObject("error");
        ErrorCode c = e.code();
        String name = switch (c) {
            case UNAUTHENTICATED -> "login".equals(action) ? "InvalidCredentials" : "AccessDenied";
            case FORBIDDEN -> "AccessDenied";
            case INTERNAL, UNAVAILABLE -> "SystemError";
            default -> "Error";
        };
        err.put("name", name);
        err.put("code", c.httpStatus());
        err.put("message", e.getMessage());
        return o;
    }

    /**
     * The message a consistency 1 or 3 writer gets once its publication went out (1) or was
     * acknowledged (3): {@code {id: "<sessionId>-<eventId>", action: publication-ack, result}}.
     */
    static ObjectNode publicationAck(String sessionId, long eventId, io.switchboard.core.result.DeliveryCounts counts) {
        ObjectNode o = Json.object();
        o.put("id", sessionId + "-" + eventId);
        o.put("action", "publication-ack");
        ObjectNode r = o.putObject("result");
        int delivered = counts == null ? 0 : counts.delivered();
        int failed = counts == null ? 0 : counts.failed();
        r.put("successful", delivered);
        r.put("failed", failed);
        r.put("skipped", 0);
        r.put("queued", counts == null ? 0 : counts.queued());
        r.put("acknowledged", counts == null ? 0 : counts.acknowledged());
        o.put("status", "ok");
        ObjectNode meta = o.putObject("_meta");
        meta.put("type", "ack");
        meta.put("eventId", eventId);
        o.put("protocol", PROTOCOL);
        return o;
    }

    /** A document as happn returns it from get: its data with {@code _meta {path, created, modified}}. */
    static ObjectNode document(Document d) {
        ObjectNode o = d.data() != null && d.data().isObject() ? ((ObjectNode) d.data()).deepCopy() : wrap(d.data());
        o.set("_meta", docMeta(d.path(), d.meta()));
        return o;
    }

    static ObjectNode docMeta(String path, DocMeta m) {
        ObjectNode meta = Json.object();
        meta.put("path", path);
        if (m != null) {
            meta.put("created", m.created());
            meta.put("modified", m.modified());
            if (m.modifiedBy() != null) {
                meta.put("modifiedBy", m.modifiedBy());
            }
        }
        return meta;
    }

    /** happn stores a non-object value as {@code {value: v}}. */
    static ObjectNode wrap(JsonNode v) {
        ObjectNode o = Json.object();
        o.set("value", v == null ? Json.MAPPER.nullNode() : v);
        return o;
    }

    /** A publication frame for one channel. */
    static byte[] publication(Event e, boolean mergeOnly, String channel) {
        byte[] head = e.encoded(mergeOnly ? PATCH : FULL);
        byte[] tail = (",\"channel\":" + Json.quote(channel) + "},\"protocol\":\"" + PROTOCOL + "\"}")
                .getBytes(StandardCharsets.UTF_8);
        byte[] out = new byte[head.length + tail.length];
        System.arraycopy(head, 0, out, 0, head.length);
        System.arraycopy(tail, 0, out, head.length, tail.length);
        return out;
    }

    /** The event's data; for a happn client's increment, happn's {@code {value, gauge}} instead of the document. */
    private static JsonNode gaugeOf(Event e) {
        JsonNode writer = e.meta() == null ? null : e.meta().get(HappnActions.WRITER_META);
        JsonNode gauge = writer == null ? null : writer.get(HappnActions.GAUGE_META);
        if (gauge == null || !gauge.isTextual() || e.data() == null) {
            return e.data();
        }
        ObjectNode o = Json.object();
        JsonNode value = e.data().path(gauge.asText()).get("value");
        o.set("value", value == null ? Json.MAPPER.nullNode() : value);
        o.set("gauge", gauge);
        return o;
    }

    private static byte[] head(Event e, boolean mergeOnly) {
        ObjectNode o = Json.object();
        JsonNode data;
        if (e.type() == EventType.REMOVE) {
            ObjectNode r = Json.object();
            r.put("removed", 1);
            data = r;
        } else if (mergeOnly && e.type() == EventType.MERGE && e.patch() != null) {
            data = e.patch();
        } else {
            data = gaugeOf(e);
        }
        o.set("data", data == null ? Json.MAPPER.nullNode() : data);
        ObjectNode meta = o.putObject("_meta");
        // Custom meta first, so the reserved keys below always win.
        JsonNode writer = null;
        if (e.meta() != null) {
            writer = e.meta().get(HappnActions.WRITER_META);
            for (Iterator<Map.Entry<String, JsonNode>> it = e.meta().fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> f = it.next();
                if (!RequestParser.RESERVED_META.contains(f.getKey()) && !HappnActions.WRITER_META.equals(f.getKey())) {
                    meta.set(f.getKey(), f.getValue());
                }
            }
        }
        meta.put("action", (e.type() == EventType.REMOVE ? "/REMOVE@" : "/SET@") + e.path());
        meta.put("type", "data");
        // A happn writer's session and consistency travel in the event meta; a native writer's
        // event has neither: its user id stands in for the session, and consistency is 2.
        String by = writer != null && writer.hasNonNull("s") ? writer.get("s").asText() : e.by();
        if (by != null) {
            meta.put("sessionId", by);
        }
        meta.put("consistency", writer != null ? writer.path("c").asInt(2) : 2);
        // The offset, so a subscriber's ack (of a consistency 3 event) names the event to the engine.
        meta.put("publicationId", String.valueOf(e.offset()));
        meta.put("path", e.path());
        meta.put("created", e.ts());
        meta.put("modified", e.ts());
        String json = Json.write(o);
        // Drop the two closing braces (of _meta and of the frame): the channel goes in per subscriber.
        return json.substring(0, json.length() - 2).getBytes(StandardCharsets.UTF_8);
    }
}
