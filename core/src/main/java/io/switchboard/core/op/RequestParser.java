package io.switchboard.core.op;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.switchboard.core.error.SwitchboardException;
import io.switchboard.core.json.Fields;
import io.switchboard.core.json.JsonDepth;
import io.switchboard.core.json.JsonText;

import static io.switchboard.core.json.Fields.bool;
import static io.switchboard.core.json.Fields.intOrNull;
import static io.switchboard.core.json.Fields.longOrNull;
import static io.switchboard.core.json.Fields.objectOrNull;
import static io.switchboard.core.json.Fields.requiredLong;
import static io.switchboard.core.json.Fields.requiredText;
import static io.switchboard.core.json.Fields.stringList;
import static io.switchboard.core.json.Fields.text;
import io.switchboard.core.model.EventType;
import io.switchboard.core.path.PathMatcher;
import io.switchboard.core.path.Paths;
import io.switchboard.core.path.Pattern;
import io.switchboard.core.query.CriteriaParser;
import io.switchboard.core.query.SortKey;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Turns one wire message ({@code {"op": ..., ...fields}}) into a {@link Request}. Every
 * malformed input becomes {@code BAD_REQUEST} naming the field, and so does a field the
 * operation does not take ({@link OpFields}).
 */
public final class RequestParser {
    /** Reserved meta keys that writers cannot set (SPEC section 2). */
    public static final Set<String> RESERVED_META =
            Set.of("created", "modified", "modifiedBy", "path", "type", "offset", "ts", "by", "version");
    public static final int MAX_HISTORY_LIMIT = 1000;
    public static final int DEFAULT_HISTORY_LIMIT = 100;
    public static final int MAX_WAIT_SECONDS = 60;
    public static final long DEFAULT_ACK_TIMEOUT_MS = 10_000;

    private RequestParser() {
    }

    /** Parses with the default {@link InputLimits}. */
    public static Request parse(JsonNode msg) {
        return parse(msg, InputLimits.DEFAULTS);
    }

    /** Parses {@code msg}, refusing with {@code BAD_REQUEST} anything beyond {@code limits}. */
    public static Request parse(JsonNode msg, InputLimits limits) {
        if (msg == null || !msg.isObject()) {
            throw SwitchboardException.badRequest("message", "must be a JSON object");
        }
        checkDepth(msg, limits);
        JsonNode opNode = msg.get("op");
        if (opNode == null || opNode.isNull()) {
            throw SwitchboardException.badRequest("op", "is required");
        }
        if (!opNode.isTextual()) {
            throw SwitchboardException.badRequest("op", "must be a string");
        }
        String op = opNode.asText();
        OpFields.check(op, msg);
        return switch (op) {
            case "connect" -> new Request.Connect(credentials(msg));
            case "ping" -> new Request.Ping();
            case "get" -> get(msg);
            case "count" -> new Request.Count(target(msg, "path"), CriteriaParser.parse(objectOrNull(msg, "criteria"), "criteria"));
            case "set" -> set(msg);
            case "increment" -> increment(msg, limits);
            case "remove" -> new Request.Remove(target(msg, "path"), meta(msg), bool(msg, "noPublish"),
                    stringList(msg, "targetSessions"), consistency(msg), ackTimeout(msg));
            case "publish" -> new Request.Publish(Paths.writable(requiredText(msg, "path"), "path"),
                    msg.get("data"), meta(msg), longOrNull(msg, "at"), stringList(msg, "targetSessions"),
                    consistency(msg), ackTimeout(msg));
            case "cancel" -> new Request.Cancel(requiredText(msg, "eventId"));
            case "subscribe" -> subscribe(msg);
            case "unsubscribe" -> unsubscribe(msg);
            case "history" -> history(msg);
            case "ack" -> new Request.Ack(requiredLong(msg, "offset", "offset"));
            case "rateLimitStatus" -> new Request.RateLimitStatus(text(msg, "forOp"));
            default -> channel(op, msg);
        };
    }

    private static Request channel(String op, JsonNode msg) {
        Request r = ChannelRequests.parse(op, msg);
        if (r == null) {
            throw SwitchboardException.badRequest("op", "'" + op + "' is not a known operation");
        }
        return r;
    }

    private static void checkDepth(JsonNode msg, InputLimits limits) {
        Iterator<Map.Entry<String, JsonNode>> it = msg.fields();
        while (it.hasNext()) {
            Map.Entry<String, JsonNode> f = it.next();
            JsonText.requireWellFormed(f.getValue(), f.getKey());
            if (JsonDepth.exceeds(f.getValue(), limits.maxDepth())) {
                throw SwitchboardException.badRequest(f.getKey(),
                        "nests deeper than limits.maxDepth (" + limits.maxDepth() + " levels)");
            }
        }
    }

    /** {@code token}, or {@code username} + {@code password} (a tenant user types {@code tenant/name}). */
    private static Credentials credentials(JsonNode msg) {
        String token = text(msg, "token");
        String username = text(msg, "username");
        String password = text(msg, "password");
        if (token != null) {
            return new Credentials.Token(token);
        }
        if (username != null && password != null) {
            Credentials.TenantUser tu = Credentials.TenantUser.parse(username);
            return new Credentials.Password(tu.username(), tu.tenant(), password);
        }
        return Credentials.NONE;
    }

    private static Request get(JsonNode msg) {
        PathMatcher target = target(msg, "path");
        Integer limit = intOrNull(msg, "limit", 0, Integer.MAX_VALUE);
        Integer skip = intOrNull(msg, "skip", 0, Integer.MAX_VALUE);
        return new Request.Get(target, CriteriaParser.parse(objectOrNull(msg, "criteria"), "criteria"),
                fields(msg.get("fields")), sort(msg.get("sort")), limit, skip == null ? 0 : skip, bool(msg, "pathsOnly"));
    }

    private static Request set(JsonNode msg) {
        String path = Paths.writable(requiredText(msg, "path"), "path");
        JsonNode data = msg.get("data");
        if (data == null) {
            throw SwitchboardException.badRequest("data", "is required");
        }
        boolean merge = bool(msg, "merge");
        if (merge && !data.isObject()) {
            throw SwitchboardException.badRequest("data", "must be an object when merge is true");
        }
        Long ifVersion = longOrNull(msg, "ifVersion");
        if (ifVersion != null && ifVersion < 0) {
            throw SwitchboardException.badRequest("ifVersion", "must be 0 or more");
        }
        boolean noStore = bool(msg, "noStore");
        boolean noPublish = bool(msg, "noPublish");
        if (noStore && noPublish) {
            throw SwitchboardException.badRequest("noStore", "cannot be combined with noPublish");
        }
        return new Request.Set(path, data, merge, ifVersion, noPublish, noStore, meta(msg),
                stringList(msg, "targetSessions"), consistency(msg), ackTimeout(msg));
    }

    /** {@code field} is dotted ({@code stats.views}): each part one object key, at most limits.maxDepth of them. */
    private static Request increment(JsonNode msg, InputLimits limits) {
        String path = Paths.writable(requiredText(msg, "path"), "path");
        String field = requiredText(msg, "field");
        List<String> keys = List.of(field.split("\\.", -1));
        if (field.isEmpty() || keys.contains("")) {
            throw SwitchboardException.badRequest("field", "must be one or more non-empty keys joined by '.'");
        }
        if (keys.size() > limits.maxDepth()) {
            throw SwitchboardException.badRequest("field", "has more than limits.maxDepth (" + limits.maxDepth() + ") keys");
        }
        JsonNode by = msg.get("by");
        if (by == null || by.isNull()) {
            by = com.fasterxml.jackson.databind.node.IntNode.valueOf(1);
        } else if (!by.isNumber()) {
            throw SwitchboardException.badRequest("by", "must be a number");
        }
        return new Request.Increment(path, keys, by, null, meta(msg), stringList(msg, "targetSessions"),
                consistency(msg), ackTimeout(msg));
    }

    private static Request subscribe(JsonNode msg) {
        Pattern pattern = Pattern.compile(requiredText(msg, patternField(msg)), patternField(msg));
        Set<EventType> events = EnumSet.allOf(EventType.class);
        JsonNode ev = msg.get("events");
        if (ev != null && !ev.isNull()) {
            if (!ev.isArray() || ev.isEmpty()) {
                throw SwitchboardException.badRequest("events", "must be a non-empty array of event types");
            }
            events = EnumSet.noneOf(EventType.class);
            for (JsonNode e : ev) {
                events.add(EventType.parse(e.isTextual() ? e.asText() : null, "events"));
            }
        }
        Integer count = intOrNull(msg, "count", 0, Integer.MAX_VALUE);
        String initial = text(msg, "initial");
        if (initial != null && !initial.equals("none") && !initial.equals("snapshot")) {
            throw SwitchboardException.badRequest("initial", "must be \"none\" or \"snapshot\"");
        }
        Long sinceOffset = null;
        String sinceEpoch = null;
        JsonNode since = msg.get("since");
        if (since != null && !since.isNull()) {
            if (since.isIntegralNumber()) {
                sinceOffset = since.asLong();
            } else if (since.isObject()) {
                io.switchboard.core.json.Fields.allowOnly(since, "since.", OpFields.SINCE);
                sinceOffset = requiredLong(since, "offset", "since.offset");
                sinceEpoch = text(since, "epoch", "since.epoch");
            } else {
                throw SwitchboardException.badRequest("since", "must be an offset or {epoch, offset}");
            }
            if (sinceOffset < 0) {
                throw SwitchboardException.badRequest("since", "must not be negative");
            }
        }
        ObjectNode meta = objectOrNull(msg, "meta");
        return new Request.Subscribe(pattern, events, count == null ? 0 : count, "snapshot".equals(initial),
                sinceOffset, sinceEpoch, bool(msg, "mergeOnly"), meta);
    }

    private static Request unsubscribe(JsonNode msg) {
        String sub = text(msg, "sub");
        String field = patternField(msg);
        String raw = text(msg, field);
        if (sub == null && raw == null) {
            throw SwitchboardException.badRequest("sub", "or 'pattern' is required");
        }
        return new Request.Unsubscribe(sub, raw == null ? null : Pattern.compile(raw, field));
    }

    private static Request history(JsonNode msg) {
        String field = patternField(msg);
        Pattern pattern = Pattern.compile(requiredText(msg, field), field);
        Integer limit = intOrNull(msg, "limit", 1, MAX_HISTORY_LIMIT);
        Integer wait = intOrNull(msg, "wait", 0, MAX_WAIT_SECONDS);
        return new Request.History(pattern, longOrNull(msg, "since"), longOrNull(msg, "until"),
                longOrNull(msg, "sinceTs"), longOrNull(msg, "untilTs"),
                limit == null ? DEFAULT_HISTORY_LIMIT : limit, wait == null ? 0 : wait);
    }

    /** Subscribe and history take {@code pattern}; {@code path} is accepted as a synonym. */
    private static String patternField(JsonNode msg) {
        return msg.has("pattern") || !msg.has("path") ? "pattern" : "path";
    }

    /** An exact path or a pattern: a pattern when the text has a wildcard or binding segment. */
    public static PathMatcher target(JsonNode msg, String field) {
        String raw = requiredText(msg, field);
        String normalized = Paths.normalize(raw, field);
        if (Paths.isPattern(normalized) || raw.equals("*")) {
            return Pattern.compile(raw, field);
        }
        return Pattern.compile(normalized, field);
    }

    private static List<String> fields(JsonNode f) {
        if (f == null || f.isNull()) {
            return List.of();
        }
        List<String> out = new ArrayList<>();
        if (f.isArray()) {
            for (JsonNode n : f) {
                if (!n.isTextual() || n.asText().isEmpty()) {
                    throw SwitchboardException.badRequest("fields", "must list field names");
                }
                out.add(n.asText());
            }
        } else if (f.isObject()) {
            // mongo style {"a": 1, "b.c": 1}
            f.fieldNames().forEachRemaining(out::add);
        } else {
            throw SwitchboardException.badRequest("fields", "must be an array of field names");
        }
        return out;
    }

    private static List<SortKey> sort(JsonNode s) {
        if (s == null || s.isNull()) {
            return List.of();
        }
        io.switchboard.core.query.QueryLimits.checkSortKeys(s.size(), "sort");
        List<SortKey> out = new ArrayList<>();
        if (s.isObject()) {
            Iterator<Map.Entry<String, JsonNode>> it = s.fields();
            while (it.hasNext()) {
                Map.Entry<String, JsonNode> e = it.next();
                JsonNode dir = e.getValue();
                if (!dir.isIntegralNumber() || (dir.asInt() != 1 && dir.asInt() != -1)) {
                    throw SwitchboardException.badRequest("sort." + e.getKey(), "must be 1 or -1");
                }
                out.add(new SortKey(e.getKey(), dir.asInt() == 1));
            }
        } else if (s.isArray() || s.isTextual()) {
            Iterable<JsonNode> items = s.isArray() ? s : List.of(s);
            for (JsonNode n : items) {
                if (!n.isTextual() || n.asText().isEmpty() || n.asText().equals("-")) {
                    throw SwitchboardException.badRequest("sort", "must be field names, '-' prefixed for descending");
                }
                String t = n.asText();
                out.add(t.startsWith("-") ? new SortKey(t.substring(1), false) : new SortKey(t, true));
            }
        } else {
            throw SwitchboardException.badRequest("sort", "must be an object {field: 1|-1} or a list of fields");
        }
        for (SortKey k : out) {
            if (io.switchboard.core.query.Criteria.isMetaField(k.field())
                    && !io.switchboard.core.query.Criteria.META_FIELDS.contains(k.field())) {
                throw SwitchboardException.badRequest("sort", "'" + k.field() + "' is not a meta field; sort on one of "
                        + io.switchboard.core.query.Criteria.META_FIELDS + " or a data field");
            }
        }
        return out;
    }

    private static ObjectNode meta(JsonNode msg) {
        ObjectNode meta = objectOrNull(msg, "meta");
        if (meta == null) {
            return null;
        }
        for (String reserved : RESERVED_META) {
            if (meta.has(reserved)) {
                throw SwitchboardException.badRequest("meta." + reserved, "is reserved and cannot be set");
            }
        }
        return meta;
    }

    private static Consistency consistency(JsonNode msg) {
        return Consistency.parse(text(msg, "consistency"), "consistency");
    }

    private static long ackTimeout(JsonNode msg) {
        Integer t = intOrNull(msg, "ackTimeout", 1, 300_000);
        return t == null ? DEFAULT_ACK_TIMEOUT_MS : t;
    }
}
