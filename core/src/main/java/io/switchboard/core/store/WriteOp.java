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
     * Who the events of a write are for and which write they belong to. {@code targets} (the
     * request's {@code targetSessions}) is stored with each event, so a replay or a gap filled
     * from the log delivers it to the same sessions as the live push; {@code writeId} names the
     * write in the envelope that carries its events to every node (acks are matched by it).
     */
    record Delivery(String writeId, java.util.List<String> targets) {
        /** An ordinary write: no id needed, delivered to every subscriber. */
        public static final Delivery BROADCAST = new Delivery(null, null);

        public Delivery {
            targets = targets == null ? null : java.util.List.copyOf(targets);
        }
    }

    /**
     * Store {@code data} at {@code path} (shallow merge into an existing object when
     * {@code merge}). {@code ifVersion} non-null: fail with CONFLICT unless the stored version
     * equals it (0 = must not exist). {@code noStore}: append the event only; {@code noPublish}:
     * store without an event.
     */
    record Set(String path, JsonNode data, boolean merge, Long ifVersion, ObjectNode meta, String by,
               boolean noStore, boolean noPublish, long ts, Delivery delivery) implements WriteOp {
        public Set {
            delivery = delivery == null ? Delivery.BROADCAST : delivery;
        }

        public Set(String path, JsonNode data, boolean merge, Long ifVersion, ObjectNode meta, String by,
                   boolean noStore, boolean noPublish, long ts) {
            this(path, data, merge, ifVersion, meta, by, noStore, noPublish, ts, Delivery.BROADCAST);
        }
    }

    /**
     * Add {@code delta} to the number at {@code field} of the document at {@code path}, creating the
     * document or field when missing ({@link Increments}). The writer reads the document and
     * writes the sum in one step, so concurrent increments never lose one. {@code ifVersion} as
     * for {@link Set}. Stored and published as a plain set of the resulting document.
     */
    record Increment(String path, java.util.List<String> field, JsonNode delta, Long ifVersion, ObjectNode meta,
                     String by, long ts, Delivery delivery) implements WriteOp {
        public Increment {
            field = java.util.List.copyOf(field);
            delivery = delivery == null ? Delivery.BROADCAST : delivery;
        }

        /** The set this increment amounts to on top of {@code existing} (null: no document). */
        public Set asSet(io.switchboard.core.model.Document existing) {
            return new Set(path, Increments.apply(existing, field, delta), false, ifVersion, meta, by, false, false, ts,
                    delivery);
        }
    }

    /** Remove the documents matching {@code target}, one remove event per removed document. */
    record Remove(PathMatcher target, ObjectNode meta, String by, boolean noPublish, long ts, Delivery delivery)
            implements WriteOp {
        public Remove {
            delivery = delivery == null ? Delivery.BROADCAST : delivery;
        }

        public Remove(PathMatcher target, ObjectNode meta, String by, boolean noPublish, long ts) {
            this(target, meta, by, noPublish, ts, Delivery.BROADCAST);
        }
    }

    /** Append a publish event with the given unique id. */
    record Publish(String id, String path, JsonNode data, ObjectNode meta, String by, long ts, Delivery delivery)
            implements WriteOp {
        public Publish {
            delivery = delivery == null ? Delivery.BROADCAST : delivery;
        }

        public Publish(String id, String path, JsonNode data, ObjectNode meta, String by, long ts) {
            this(id, path, data, meta, by, ts, Delivery.BROADCAST);
        }
    }

    /** Store a publish to fire at {@code at}; it gets its offset when it fires. */
    record Schedule(String id, String path, JsonNode data, ObjectNode meta, String by, long at, long ts) implements WriteOp { }

    /** Cancel a scheduled publish: NOT_FOUND if unknown, CONFLICT if it already fired. */
    record Cancel(String id) implements WriteOp { }

    /** Fire up to {@code limit} scheduled publishes due at {@code now}, in (at, id) order. */
    record FireDue(long now, int limit) implements WriteOp { }

    /** The delivery of this op's events ({@link Delivery#BROADCAST} for ops without one). */
    default Delivery delivery() {
        return Delivery.BROADCAST;
    }
}
