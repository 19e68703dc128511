package io.switchboard.core.op;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.switchboard.core.model.EventType;
import io.switchboard.core.path.PathMatcher;
import io.switchboard.core.query.Criteria;
import io.switchboard.core.query.SortKey;

import java.util.List;

/**
 * The engine's operations (SPEC section 3) as typed, validated values. Every door (WebSocket,
 * HTTP, SSE, adapters, the in-process client) builds these, usually through
 * {@link RequestParser}, and hands them to the one pipeline. Paths are normalized; a
 * {@code target} is an exact path or a pattern.
 */
public sealed interface Request {
    /** The op name used on the wire, for metrics and errors. */
    String op();

    /** Authenticate the session; in insecure mode credentials are ignored. */
    record Connect(Credentials credentials) implements Request {
        public Connect {
            credentials = credentials == null ? Credentials.NONE : credentials;
        }

        public String op() { return "connect"; }
    }

    record Ping() implements Request {
        public String op() { return "ping"; }
    }

    /** A document by exact path, or a page of documents by pattern. */
    record Get(PathMatcher target, Criteria criteria, List<String> fields, List<SortKey> sort,
               Integer limit, int skip, boolean pathsOnly) implements Request {
        public String op() { return "get"; }
    }

    record Count(PathMatcher target, Criteria criteria) implements Request {
        public String op() { return "count"; }
    }

    record Set(String path, JsonNode data, boolean merge, Long ifVersion, boolean noPublish, boolean noStore,
               ObjectNode meta, List<String> targetSessions, Consistency consistency, long ackTimeoutMs)
            implements Request {
        public String op() { return "set"; }
    }

    /**
     * Add {@code by} (a number) to the number at {@code field} (object keys, outermost first) of
     * the document at {@code path}, atomically; a missing document or field starts at 0. Checked
     * as a {@code set} of {@code path}. {@code ifVersion} as for a set (the rules stage uses it to
     * guard what it checked).
     */
    record Increment(String path, List<String> field, JsonNode by, Long ifVersion, ObjectNode meta,
                     List<String> targetSessions, Consistency consistency, long ackTimeoutMs) implements Request {
        public Increment {
            field = List.copyOf(field);
        }

        public String op() { return "increment"; }

        /** The same increment with {@code ifVersion} as its condition. */
        public Increment withVersion(Long v) {
            return new Increment(path, field, by, v, meta, targetSessions, consistency, ackTimeoutMs);
        }

        /** The same increment at another path (tenant mapping). */
        public Increment at(String p) {
            return new Increment(p, field, by, ifVersion, meta, targetSessions, consistency, ackTimeoutMs);
        }
    }

    record Remove(PathMatcher target, ObjectNode meta, boolean noPublish, List<String> targetSessions,
                  Consistency consistency, long ackTimeoutMs) implements Request {
        public String op() { return "remove"; }
    }

    /** {@code at} null or not in the future: publish now. */
    record Publish(String path, JsonNode data, ObjectNode meta, Long at, List<String> targetSessions,
                   Consistency consistency, long ackTimeoutMs) implements Request {
        public String op() { return "publish"; }
    }

    record Cancel(String eventId) implements Request {
        public String op() { return "cancel"; }
    }

    /**
     * {@code count} 0 = unlimited; {@code sinceOffset} null = live only; {@code sinceEpoch} null
     * = the caller did not say which log the offset belongs to (trusted as current).
     */
    record Subscribe(PathMatcher pattern, java.util.Set<EventType> events, int count, boolean snapshot, Long sinceOffset,
                     String sinceEpoch, boolean mergeOnly, ObjectNode meta) implements Request {
        public String op() { return "subscribe"; }
    }

    /** By subscription id, or every subscription of the session on {@code pattern}. */
    record Unsubscribe(String subscriptionId, PathMatcher pattern) implements Request {
        public String op() { return "unsubscribe"; }
    }

    /** {@code waitSeconds} > 0 long-polls until one matching event exists. */
    record History(PathMatcher pattern, Long since, Long until, Long sinceTs, Long untilTs, int limit,
                   int waitSeconds) implements Request {
        public String op() { return "history"; }
    }

    record Ack(long offset) implements Request {
        public String op() { return "ack"; }
    }

    /** Where the caller stands against its rate limits: one op, or every limited op when {@code forOp} is null. */
    record RateLimitStatus(String forOp) implements Request {
        public String op() { return "rateLimitStatus"; }
    }

    /** A channel operation; answered by the channel stage from the caller's identity, never by the engine. */
    record Channel(ChannelCommand command) implements Request {
        public String op() { return command.op(); }
    }
}
