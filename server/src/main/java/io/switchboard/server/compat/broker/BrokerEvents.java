package io.switchboard.server.compat.broker;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.switchboard.core.error.SwitchboardException;
import io.switchboard.core.json.Json;
import io.switchboard.core.model.Event;
import io.switchboard.core.model.EventType;
import io.switchboard.core.op.Request;
import io.switchboard.core.path.Pattern;
import io.switchboard.core.pipeline.Pipeline;
import io.switchboard.core.result.Result;
import io.switchboard.core.session.Session;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * Where broker's events live in the one event log, and how they look to broker's clients. A
 * BaaS insert is a publish on {@code /events/{event}} of the user's tenant; a generation-1 insert
 * is a publish on {@code /collections/{collection_id}/{user id}/{event}} of tenant
 * {@link BrokerUsers#V1_TENANT}, scheduled at its {@code timestamp}, with the broker fields in
 * the event's meta.
 */
final class BrokerEvents {
    /** Tenant-local root of BaaS events. */
    static final String BAAS_ROOT = "/events";
    /** Tenant-local root of generation-1 collections. */
    static final String V1_ROOT = "/collections";
    /** Most events read to find the latest event per name when a stream opens. */
    static final int SYNC_MAX_EVENTS = 100_000;
    private static final int PAGE = 1000;

    private BrokerEvents() {
    }

    /** A name that is one path segment: no '/', no wildcard, not empty. */
    static String segment(String value, String field) {
        if (value.indexOf('/') >= 0 || value.indexOf('*') >= 0 || value.equals(".") || value.equals("..")
                || (value.startsWith("{") && value.endsWith("}"))) {
            throw SwitchboardException.badRequest(field, "must be one path segment (no '/', '*', '.' or '..')");
        }
        io.switchboard.core.path.Paths.writable("/" + value, field);
        return value;
    }

    /** The event name of a stored broker event: its meta's {@code event}, else the last path segment. */
    static String name(Event e) {
        JsonNode n = e.meta() == null ? null : e.meta().get("event");
        if (n != null && n.isTextual()) {
            return n.asText();
        }
        String p = e.path();
        return p.substring(p.lastIndexOf('/') + 1);
    }

    /** A generation-1 event as broker returned it. */
    static ObjectNode v1Json(Event e) {
        ObjectNode m = e.meta() == null ? Json.object() : e.meta();
        ObjectNode o = Json.object();
        o.put("id", e.id() != null ? e.id() : String.valueOf(e.offset()));
        o.set("user_id", m.path("user_id").isMissingNode() ? Json.MAPPER.nullNode() : m.get("user_id"));
        o.set("collection_id", m.path("collection_id").isMissingNode() ? Json.MAPPER.nullNode() : m.get("collection_id"));
        o.put("event", name(e));
        o.set("timestamp", m.has("timestamp") ? m.get("timestamp") : Json.MAPPER.valueToTree(e.ts() / 1000));
        o.put("published", true);
        o.put("cancelled", false);
        o.set("data", e.data() == null ? Json.MAPPER.nullNode() : e.data());
        return o;
    }

    /** Every retained event under {@code pattern}, oldest first, as the session may read them. */
    static CompletableFuture<Scan> scan(Pipeline pipeline, Session s, Pattern pattern) {
        return page(pipeline, s, pattern, 0L, new ArrayList<>());
    }

    private static CompletableFuture<Scan> page(Pipeline pipeline, Session s, Pattern pattern, long since, List<Event> acc) {
        Request.History h = new Request.History(pattern, since, null, null, null, PAGE, 0);
        return pipeline.call(s, h).thenCompose(r -> {
            Result.History page = (Result.History) r;
            acc.addAll(page.events());
            if (page.more() && !page.events().isEmpty() && acc.size() < SYNC_MAX_EVENTS) {
                return page(pipeline, s, pattern, page.events().get(page.events().size() - 1).offset(), acc);
            }
            return CompletableFuture.completedFuture(new Scan(acc, page.offset()));
        });
    }

    /** Events read from the log and the log's head when the read ended. */
    record Scan(List<Event> events, long head) {
        /** The newest event of each name, oldest name first. */
        List<Event> latestPerName() {
            Map<String, Event> latest = new LinkedHashMap<>();
            for (Event e : events) {
                String n = name(e);
                latest.remove(n); // re-inserted: the order is that of each name's newest event
                latest.put(n, e);
            }
            return new ArrayList<>(latest.values());
        }

        List<ObjectNode> v1Sorted(java.util.function.Predicate<Event> keep) {
            List<ObjectNode> out = new ArrayList<>();
            for (Event e : events) {
                if (keep.test(e)) {
                    out.add(v1Json(e));
                }
            }
            out.sort(Comparator.comparingDouble(o -> o.path("timestamp").asDouble()));
            return out;
        }
    }

    /** Live publishes under {@code pattern} after {@code head} (so nothing between the sync and the stream is lost). */
    static Request.Subscribe live(Pattern pattern, long head) {
        return new Request.Subscribe(pattern, EnumSet.of(EventType.PUBLISH), 0, false, head, null, false, null);
    }
}
