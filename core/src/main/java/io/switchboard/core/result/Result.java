package io.switchboard.core.result;

import io.switchboard.core.model.DocMeta;
import io.switchboard.core.model.Document;
import io.switchboard.core.model.Event;
import io.switchboard.core.session.Principal;

import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;

/**
 * The result of one operation, as an immutable typed value. The engine produces them, pipeline
 * stages map them (tenant paths, read filters, cache), and each door encodes them into its own
 * wire format — native JSON through {@code NativeEncoder}, adapters through their own encoders.
 */
public sealed interface Result {
    /**
     * The same result with every path it carries mapped by {@code map} (documents, events,
     * written paths); {@code map} returns null for a path the caller must not see, which drops
     * that item. Results without paths return themselves.
     */
    default Result mapPaths(UnaryOperator<String> map) {
        return this;
    }

    /** {@code get} of one path. */
    record DocumentResult(Document document) implements Result {
        @Override
        public Result mapPaths(UnaryOperator<String> map) {
            Document d = Results.map(document, map);
            return d == null ? this : new DocumentResult(d);
        }
    }

    /** {@code get} of a pattern: a page of documents and the total that matched. */
    record Page(List<Document> items, long total) implements Result {
        public Page {
            items = List.copyOf(items);
        }

        @Override
        public Result mapPaths(UnaryOperator<String> map) {
            return new Page(Results.mapAll(items, map), total);
        }
    }

    /** {@code set}: the path, the document's meta (null for noStore), the event's offset (null for noPublish). */
    record Written(String path, DocMeta meta, Long offset, DeliveryCounts counts) implements Result {
        @Override
        public Result mapPaths(UnaryOperator<String> map) {
            String p = map.apply(path);
            return p == null ? this : new Written(p, meta, offset, counts);
        }
    }

    /**
     * {@code increment}: the path, the field (dotted), its new value, the document's meta and the
     * event's offset. {@code value} is null when the caller may not read the document.
     */
    record Incremented(String path, String field, com.fasterxml.jackson.databind.JsonNode value, DocMeta meta,
                       Long offset, DeliveryCounts counts) implements Result {
        @Override
        public Result mapPaths(UnaryOperator<String> map) {
            String p = map.apply(path);
            return p == null ? this : new Incremented(p, field, value, meta, offset, counts);
        }

        /** The same result without the value (for a caller who may not read the document). */
        public Incremented withoutValue() {
            return new Incremented(path, field, null, meta, offset, counts);
        }
    }

    /** {@code remove}: how many documents were removed. */
    record Removed(int removed, DeliveryCounts counts) implements Result { }

    /** {@code publish} now: the event's id and offset. */
    record Published(String id, long offset, DeliveryCounts counts) implements Result { }

    /** {@code publish} with a future {@code at}. */
    record Scheduled(String id, long at) implements Result { }

    /** {@code cancel} of a scheduled publish. */
    record Cancelled(String id) implements Result { }

    /** {@code count}. */
    record Counted(long count) implements Result { }

    /** {@code subscribe}: recovered is null without {@code since}; items null without a snapshot. */
    record Subscribed(String sub, String epoch, long offset, Boolean recovered, List<Document> items) implements Result {
        public Subscribed {
            items = items == null ? null : List.copyOf(items);
        }

        @Override
        public Result mapPaths(UnaryOperator<String> map) {
            return items == null ? this : new Subscribed(sub, epoch, offset, recovered, Results.mapAll(items, map));
        }

        /** The same reply with only the snapshot items {@code keep} accepts. */
        public Subscribed filterItems(java.util.function.Predicate<Document> keep) {
            return items == null ? this : new Subscribed(sub, epoch, offset, recovered, items.stream().filter(keep).toList());
        }
    }

    /** {@code unsubscribe}: the ids of the subscriptions removed. */
    record Unsubscribed(List<String> subs) implements Result {
        public Unsubscribed {
            subs = List.copyOf(subs);
        }
    }

    /**
     * {@code history}: events in offset order, the log's epoch and newest offset, and whether the
     * window holds more events after the last one (ask again with {@code since} = its offset).
     */
    record History(List<Event> events, String epoch, long offset, boolean more) implements Result {
        public History {
            events = List.copyOf(events);
        }

        public History(List<Event> events, String epoch, long offset) {
            this(events, epoch, offset, false);
        }

        @Override
        public Result mapPaths(UnaryOperator<String> map) {
            List<Event> out = new ArrayList<>(events.size());
            for (Event e : events) {
                String p = map.apply(e.path());
                if (p != null) {
                    out.add(p.equals(e.path()) ? e : e.withPath(p));
                }
            }
            return new History(out, epoch, offset, more);
        }
    }

    /** {@code ack}: whether a write was waiting for it. */
    record Acked(boolean acked) implements Result { }

    /** {@code ping}. */
    record Pong() implements Result { }

    /**
     * {@code connect}: the session id, the log position, the user (null when anonymous), the
     * token issued by a password login (else the one presented, or null) and the heartbeat.
     */
    record Connected(String session, String epoch, long offset, Principal user, String token, long heartbeatMs)
            implements Result { }

    /**
     * {@code rateLimitStatus}: the caller's standing per limited op ({@code keyedBy} is what its
     * buckets are keyed by: user, session or ip).
     */
    record RateLimitStatus(String keyedBy, java.util.Map<String, Standing> limits) implements Result {
        public RateLimitStatus {
            limits = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(limits));
        }

        /** One op's limit and what is left of it; {@code retryAfterMs} 0 when a call would pass now. */
        public record Standing(long limit, long everyMs, long maxUses, long remaining, long retryAfterMs) { }
    }

    /**
     * A channel: its id, name (null when none), owner's user id, invite model, creation time and,
     * for {@code channelGet}, its members (null in a list of channels).
     */
    record ChannelInfo(String id, String name, String owner, String inviteModel, long created, List<Member> members)
            implements Result {
        public ChannelInfo {
            members = members == null ? null : List.copyOf(members);
        }

        /** One member: user id and username (null when the user is gone). */
        public record Member(String id, String username) { }
    }

    /** {@code channelList}: the caller's channels. */
    record ChannelList(List<ChannelInfo> channels) implements Result {
        public ChannelList {
            channels = List.copyOf(channels);
        }
    }

    /**
     * A membership or channel change: the channel, the user it concerned (null for a delete),
     * what happened ({@code joined}, {@code invited}, {@code left}, {@code removed},
     * {@code deleted}) and whether anything changed (false for a repeated invite).
     */
    record ChannelChanged(String id, String user, String change, boolean changed) implements Result { }
}
