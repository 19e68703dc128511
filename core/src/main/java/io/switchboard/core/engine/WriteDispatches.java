package io.switchboard.core.engine;

import io.switchboard.core.router.Dispatch;
import io.switchboard.core.store.WriteOp;

import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.Map;

/**
 * Per-write delivery context (target sessions, delivery tracker), looked up by the op's
 * identity when the store reports the commit. Ordinary writes register nothing, so the hot path
 * only checks that the map is empty.
 */
final class WriteDispatches {
    private final Map<WriteOp, Dispatch> byOp = Collections.synchronizedMap(new IdentityHashMap<>());

    void register(WriteOp op, Dispatch d) {
        if (d != Dispatch.BROADCAST) {
            byOp.put(op, d);
        }
    }

    /** Looks up and forgets the op's dispatch (each op commits once). */
    Dispatch take(WriteOp op) {
        if (byOp.isEmpty()) {
            return Dispatch.BROADCAST;
        }
        Dispatch d = byOp.remove(op);
        return d == null ? Dispatch.BROADCAST : d;
    }

    /** The write failed: it will never commit. */
    void forget(WriteOp op) {
        byOp.remove(op);
    }
}
