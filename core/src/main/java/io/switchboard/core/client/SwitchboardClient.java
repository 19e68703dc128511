package io.switchboard.core.client;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.switchboard.core.json.Json;
import io.switchboard.core.model.Document;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * The operations of SPEC section 3 as a typed, asynchronous Java API. The in-process client
 * and the network client ({@code client-java}) implement the same interface, so code moves
 * between an embedded engine and a remote server unchanged. Failures complete the futures with
 * {@link io.switchboard.core.error.SwitchboardException} carrying the catalogue code.
 */
public interface SwitchboardClient extends AutoCloseable {
    /** Sends any op; {@code fields} are the wire fields besides {@code id} and {@code op}. */
    CompletableFuture<JsonNode> request(String op, ObjectNode fields);

    /**
     * Subscribes to {@code pattern}; {@code options} are the wire options ({@code events},
     * {@code count}, {@code initial}, {@code since}, {@code mergeOnly}, {@code meta}).
     */
    CompletableFuture<ClientSubscription> subscribe(String pattern, ObjectNode options, EventListener listener);

    @Override
    void close();

    /** Page of a pattern query. */
    record Page(List<Document> items, long total) { }

    /** Result of a set: the document's meta and the event's offset (null with noPublish). */
    record SetResult(String path, JsonNode meta, Long offset) { }

    /** Result of a publish: {@code offset} when published, {@code at} when scheduled. */
    record PublishResult(String id, Long offset, Long at, boolean scheduled) { }

    default CompletableFuture<Document> get(String path) {
        return request("get", Json.object().put("path", path)).thenApply(WireEvents::document);
    }

    /** A pattern query; {@code options} may hold criteria, fields, sort, limit, skip, pathsOnly. */
    default CompletableFuture<Page> query(String pattern, ObjectNode options) {
        ObjectNode f = options == null ? Json.object() : options.deepCopy();
        f.put("path", pattern);
        return request("get", f).thenApply(r -> {
            List<Document> items = new ArrayList<>();
            r.path("items").forEach(d -> items.add(WireEvents.document(d)));
            return new Page(items, r.path("total").asLong());
        });
    }

    default CompletableFuture<Long> count(String pattern, JsonNode criteria) {
        ObjectNode f = Json.object().put("path", pattern);
        if (criteria != null) {
            f.set("criteria", criteria);
        }
        return request("count", f).thenApply(r -> r.path("count").asLong());
    }

    default CompletableFuture<SetResult> set(String path, JsonNode data) {
        return set(path, data, null);
    }

    /** {@code options}: merge, ifVersion, noPublish, noStore, meta, targetSessions, consistency. */
    default CompletableFuture<SetResult> set(String path, JsonNode data, ObjectNode options) {
        ObjectNode f = options == null ? Json.object() : options.deepCopy();
        f.put("path", path);
        f.set("data", data);
        return request("set", f).thenApply(r -> new SetResult(r.path("path").asText(), r.get("meta"),
                r.hasNonNull("offset") ? r.get("offset").asLong() : null));
    }

    default CompletableFuture<SetResult> merge(String path, JsonNode data) {
        return set(path, data, Json.object().put("merge", true));
    }

    /**
     * Adds {@code by} to the number at {@code field} (dotted for nested keys) of the document at
     * {@code path}, atomically, creating either when missing; completes with the new value.
     */
    default CompletableFuture<JsonNode> increment(String path, String field, Number by) {
        ObjectNode f = Json.object().put("path", path).put("field", field);
        f.set("by", Json.MAPPER.valueToTree(by));
        return request("increment", f).thenApply(r -> r.get("value"));
    }

    /** Removes a path or every path matching a pattern; completes with the count. */
    default CompletableFuture<Long> remove(String pathOrPattern) {
        return request("remove", Json.object().put("path", pathOrPattern)).thenApply(r -> r.path("removed").asLong());
    }

    default CompletableFuture<PublishResult> publish(String path, JsonNode data) {
        return publish(path, data, null);
    }

    /** {@code options}: meta, at, targetSessions, consistency. */
    default CompletableFuture<PublishResult> publish(String path, JsonNode data, ObjectNode options) {
        ObjectNode f = options == null ? Json.object() : options.deepCopy();
        f.put("path", path);
        if (data != null) {
            f.set("data", data);
        }
        return request("publish", f).thenApply(r -> new PublishResult(r.path("id").asText(),
                r.hasNonNull("offset") ? r.get("offset").asLong() : null,
                r.hasNonNull("at") ? r.get("at").asLong() : null, r.path("scheduled").asBoolean(false)));
    }

    default CompletableFuture<Void> cancel(String eventId) {
        return request("cancel", Json.object().put("eventId", eventId)).thenApply(r -> null);
    }

    /** {@code options}: since, until, sinceTs, untilTs, limit, wait. Result {events, epoch, offset}. */
    default CompletableFuture<JsonNode> history(String pattern, ObjectNode options) {
        ObjectNode f = options == null ? Json.object() : options.deepCopy();
        f.put("pattern", pattern);
        return request("history", f);
    }
}
