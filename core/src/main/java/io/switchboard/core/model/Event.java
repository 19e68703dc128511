package io.switchboard.core.model;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.switchboard.core.json.Json;

import java.util.List;

/**
 * One entry of the event log. Immutable; its wire JSON is built once and cached, so fan-out
 * serializes an event once per shape however many subscribers receive it.
 *
 * <p>{@code meta} holds the writer's custom meta plus, for set/merge, the document's
 * created/modified/version. For a merge, {@code data} is the merged document and {@code patch}
 * the partial data the writer sent (what {@code mergeOnly} subscribers receive).
 */
public final class Event {
    private final long offset;
    private final String id;
    private final EventType type;
    private final String path;
    private final JsonNode data;
    private final JsonNode patch;
    private final ObjectNode meta;
    private final long ts;
    private final String by;
    /** Sessions this event is meant for ({@code targetSessions}), or null for every subscriber. */
    private final List<String> targets;
    private volatile byte[] json;
    private volatile byte[] patchJson;
    /** Other formats' encodings, by {@link EventEncoding} slot; null until one is asked for. */
    private volatile Object[] encoded;

    public Event(long offset, String id, EventType type, String path, JsonNode data, JsonNode patch,
                 ObjectNode meta, long ts, String by) {
        this(offset, id, type, path, data, patch, meta, ts, by, null);
    }

    public Event(long offset, String id, EventType type, String path, JsonNode data, JsonNode patch,
                 ObjectNode meta, long ts, String by, List<String> targets) {
        this.offset = offset;
        this.id = id;
        this.type = type;
        this.path = path;
        this.data = data;
        this.patch = patch;
        this.meta = meta == null ? Json.object() : meta;
        this.ts = ts;
        this.by = by;
        this.targets = targets == null ? null : List.copyOf(targets);
    }

    public long offset() { return offset; }
    public String id() { return id; }
    public EventType type() { return type; }
    public String path() { return path; }
    public JsonNode data() { return data; }
    public JsonNode patch() { return patch; }
    public ObjectNode meta() { return meta; }
    public long ts() { return ts; }
    public String by() { return by; }
    public List<String> targets() { return targets; }

    /** True when a subscriber of session {@code sessionId} may receive this event. */
    public boolean isFor(String sessionId) {
        return targets == null || targets.contains(sessionId);
    }

    /** A copy at another path (used to strip a tenant prefix); the caches are not carried. */
    public Event withPath(String newPath) {
        return new Event(offset, id, type, newPath, data, patch, meta, ts, by, targets);
    }

    /** The wire object {@code {offset, id?, type, path, data, meta, ts, by?}}. */
    public ObjectNode toJson(boolean mergeOnly) {
        ObjectNode o = Json.object();
        o.put("offset", offset);
        if (id != null) {
            o.put("id", id);
        }
        o.put("type", type.wire());
        o.put("path", path);
        JsonNode d = mergeOnly && type == EventType.MERGE && patch != null ? patch : data;
        if (d != null) {
            o.set("data", d);
        }
        o.set("meta", meta);
        o.put("ts", ts);
        if (by != null) {
            o.put("by", by);
        }
        return o;
    }

    /** UTF-8 bytes of {@link #toJson(boolean)}, computed at most once per shape. */
    public byte[] jsonBytes(boolean mergeOnly) {
        if (mergeOnly && type == EventType.MERGE && patch != null) {
            byte[] b = patchJson;
            if (b == null) {
                b = Json.writeBytes(toJson(true));
                patchJson = b;
            }
            return b;
        }
        byte[] b = json;
        if (b == null) {
            b = Json.writeBytes(toJson(false));
            json = b;
        }
        return b;
    }

    /**
     * This event in {@code encoding}, encoded at most about once: concurrent first calls may
     * both encode, and one result is kept.
     */
    @SuppressWarnings("unchecked")
    public <T> T encoded(EventEncoding<T> encoding) {
        int slot = encoding.slot();
        Object[] e = encoded;
        if (e != null && slot < e.length && e[slot] != null) {
            return (T) e[slot];
        }
        T value = encoding.encode(this);
        synchronized (this) {
            Object[] cur = encoded;
            Object[] next = cur == null ? new Object[slot + 1] : java.util.Arrays.copyOf(cur, Math.max(cur.length, slot + 1));
            next[slot] = value;
            encoded = next;
        }
        return value;
    }

    @Override
    public String toString() {
        return "Event{" + offset + " " + type.wire() + " " + path + "}";
    }
}
