package io.switchboard.core.store;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.switchboard.core.path.PathMatcher;

/**
 * A write the store's writer applies inside a (group-)committed transaction. Paths are already
 * normalized and validated by the engine; {@code ts} is the engine's clock at submission.
 */
public sealed interface WriteOp {
    /**
     * Store {@code data} at {@code path} (shallow merge into an existing object when
     * {@code merge}). {@code ifVersion} non-null: fail with CONFLICT unless the stored version
     * equals it (0 = must not exist). {@code noStore}: append the event only; {@code noPublish}:
     * store without an event.
     */
    record Set(String path, JsonNode data, boolean merge, Long ifVersion, ObjectNode meta, String by,
               boolean noStore, boolean noPublish, long ts) implements WriteOp { }

    /** Remove the documents matching {@code target}, one remove event per removed document. */
    record Remove(PathMatcher target, ObjectNode meta, String by, boolean noPublish, long ts) implements WriteOp { }

    /** Append a publish event with the given unique id. */
    record Publish(String id, String path, JsonNode data, ObjectNode meta, String by, long ts) implements WriteOp { }

    /** Store a publish to fire at {@code at}; it gets its offset when it fires. */
    record Schedule(String id, String path, JsonNode data, ObjectNode meta, String by, long at, long ts) implements WriteOp { }

    /** Cancel a scheduled publish: NOT_FOUND if unknown, CONFLICT if it already fired. */
    record Cancel(String id) implements WriteOp { }

    /** Fire up to {@code limit} scheduled publishes due at {@code now}, in (at, id) order. */
    record FireDue(long now, int limit) implements WriteOp { }
}
