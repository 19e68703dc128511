package io.switchboard.core.op;

import com.fasterxml.jackson.databind.JsonNode;
import io.switchboard.core.json.Fields;

import java.util.Map;
import java.util.Set;

/**
 * The fields each native operation understands. Anything else in a message is refused as
 * {@code BAD_REQUEST} naming the field, so that a misspelled option ({@code "mrege": true})
 * fails loudly instead of silently doing something else. Every door builds native messages,
 * so this one table guards WebSocket, HTTP and the in-process client alike.
 */
public final class OpFields {
    /** Present on every message: the request id and the operation name. */
    public static final Set<String> ENVELOPE = Set.of("id", "op");

    private static final Set<String> DELIVERY = Set.of("meta", "targetSessions", "consistency", "ackTimeout");

    private static final Map<String, Set<String>> BY_OP = Map.ofEntries(
            Map.entry("connect", Set.of("token", "username", "password")),
            Map.entry("ping", Set.of()),
            Map.entry("get", Set.of("path", "criteria", "fields", "sort", "limit", "skip", "pathsOnly")),
            Map.entry("count", Set.of("path", "criteria")),
            Map.entry("set", with(DELIVERY, "path", "data", "merge", "ifVersion", "noStore", "noPublish")),
            Map.entry("increment", with(DELIVERY, "path", "field", "by")),
            Map.entry("remove", with(DELIVERY, "path", "noPublish")),
            Map.entry("publish", with(DELIVERY, "path", "data", "at")),
            Map.entry("cancel", Set.of("eventId")),
            Map.entry("subscribe", Set.of("pattern", "path", "events", "count", "initial", "since", "mergeOnly", "meta")),
            Map.entry("unsubscribe", Set.of("sub", "pattern", "path")),
            Map.entry("history", Set.of("pattern", "path", "since", "until", "sinceTs", "untilTs", "limit", "wait")),
            Map.entry("ack", Set.of("offset")),
            Map.entry("rateLimitStatus", Set.of("forOp")),
            Map.entry("channelCreate", Set.of("channel", "name", "inviteModel")),
            Map.entry("channelUpdate", Set.of("channel", "name", "inviteModel")),
            Map.entry("channelDelete", Set.of("channel")),
            Map.entry("channelInvite", Set.of("channel", "user")),
            Map.entry("channelJoin", Set.of("channel")),
            Map.entry("channelLeave", Set.of("channel")),
            Map.entry("channelRemove", Set.of("channel", "user")),
            Map.entry("channelList", Set.of()),
            Map.entry("channelGet", Set.of("channel")));

    /** Each op's fields with the envelope's, built once: building them per message was 5% of a get's CPU. */
    private static final Map<String, Set<String>> ACCEPTED = withEnvelope();

    /** The fields of subscribe's {@code since} object. */
    public static final Set<String> SINCE = Set.of("epoch", "offset");

    private OpFields() {
    }

    /** The fields {@code op} takes (besides {@link #ENVELOPE}); null for an unknown op. */
    public static Set<String> of(String op) {
        return BY_OP.get(op);
    }

    /** Every native op's name. */
    public static java.util.Set<String> ops() {
        return new java.util.TreeSet<>(BY_OP.keySet());
    }

    /** Refuses the first field of {@code msg} that {@code op} does not take. */
    static void check(String op, JsonNode msg) {
        Set<String> fields = ACCEPTED.get(op);
        if (fields == null) {
            return; // the parser reports the unknown op
        }
        Fields.allowOnly(msg, "", fields);
    }

    private static Map<String, Set<String>> withEnvelope() {
        Map<String, Set<String>> m = new java.util.HashMap<>();
        BY_OP.forEach((op, f) -> m.put(op, with(f, ENVELOPE.toArray(String[]::new))));
        return Map.copyOf(m);
    }

    private static Set<String> with(Set<String> base, String... more) {
        java.util.HashSet<String> s = new java.util.HashSet<>(base);
        s.addAll(Set.of(more));
        return Set.copyOf(s);
    }
}
