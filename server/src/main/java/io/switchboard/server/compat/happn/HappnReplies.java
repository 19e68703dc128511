package io.switchboard.server.compat.happn;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.switchboard.core.json.Json;
import io.switchboard.core.model.Document;
import io.switchboard.core.result.Result;

import java.util.ArrayList;
import java.util.List;

/** Shapes a typed {@link Result} as the reply happn's client expects for the request's action. */
final class HappnReplies {
    private HappnReplies() {
    }

    static JsonNode encode(long eventId, HappnConnection.Pending p, String sessionId, Result result) {
        String action = p.action();
        if (result instanceof Result.DocumentResult d) {
            return d.document() == null ? HappnEncoder.response(eventId, action, sessionId, null, null)
                    : single(eventId, action, sessionId, d.document());
        }
        if (result instanceof Result.Page page) {
            return page(eventId, action, sessionId, p, page);
        }
        if (result instanceof Result.Written w) {
            return written(eventId, action, sessionId, p, w);
        }
        if (result instanceof Result.Incremented i) {
            // happn answers an increment with the gauge and its new value, and no document meta.
            ObjectNode o = Json.object();
            o.set("value", i.value() == null ? Json.MAPPER.nullNode() : i.value());
            o.set("gauge", p.data());
            return HappnEncoder.response(eventId, action, sessionId, o, null);
        }
        if (result instanceof Result.Removed r) {
            ObjectNode o = Json.object();
            o.put("removed", r.removed());
            return HappnEncoder.response(eventId, action, sessionId, o, null);
        }
        if (result instanceof Result.Counted c) {
            ObjectNode o = Json.object();
            o.put("value", c.count());
            return HappnEncoder.response(eventId, action, sessionId, o, null);
        }
        if (result instanceof Result.Subscribed s) {
            return subscribed(eventId, action, sessionId, p, s);
        }
        return HappnEncoder.response(eventId, action, sessionId, Json.object(), null);
    }

    private static JsonNode single(long eventId, String action, String sessionId, Document d) {
        ObjectNode doc = HappnEncoder.document(d);
        JsonNode meta = doc.remove("_meta");
        return HappnEncoder.response(eventId, action, sessionId, doc, (ObjectNode) meta);
    }

    private static JsonNode page(long eventId, String action, String sessionId, HappnConnection.Pending p, Result.Page page) {
        boolean pathsOnly = p.options() != null && p.options().path("options").path("path_only").asBoolean(false);
        List<JsonNode> items = new ArrayList<>(page.items().size());
        for (Document d : page.items()) {
            if (pathsOnly) {
                ObjectNode o = Json.object();
                o.put("path", d.path());
                items.add(o);
            } else {
                items.add(HappnEncoder.document(d));
            }
        }
        if (pathsOnly) {
            ObjectNode o = Json.object();
            o.set("paths", Json.MAPPER.valueToTree(items));
            return HappnEncoder.response(eventId, action, sessionId, o, null);
        }
        return HappnEncoder.arrayResponse(eventId, action, sessionId, items);
    }

    private static JsonNode written(long eventId, String action, String sessionId, HappnConnection.Pending p, Result.Written w) {
        ObjectNode meta = HappnEncoder.docMeta(w.path(), w.meta());
        if (p.options() != null && p.options().path("noDataResponse").asBoolean(false)) {
            // happn leaves data out (not null), so its client hands back the message with its _meta.
            ObjectNode o = HappnEncoder.response(eventId, action, sessionId, null, meta);
            o.remove("data");
            return o;
        }
        JsonNode data = p.data();
        return HappnEncoder.response(eventId, action, sessionId, data, meta);
    }

    private static JsonNode subscribed(long eventId, String action, String sessionId, HappnConnection.Pending p,
                                       Result.Subscribed s) {
        ObjectNode o = p.options();
        boolean initial = o != null && (o.path("initialCallback").asBoolean(false) || o.path("initialEmit").asBoolean(false));
        if (!initial) {
            ObjectNode data = Json.object();
            data.put("id", s.sub());
            return HappnEncoder.response(eventId, action, sessionId, data, null);
        }
        var items = Json.MAPPER.createArrayNode();
        if (s.items() != null) {
            for (Document d : s.items()) {
                items.add(HappnEncoder.document(d));
            }
        }
        ObjectNode meta = Json.object();
        meta.put("referenceId", s.sub());
        return HappnEncoder.response(eventId, action, sessionId, items, meta);
    }
}
