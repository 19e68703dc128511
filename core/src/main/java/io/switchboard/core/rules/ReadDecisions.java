package io.switchboard.core.rules;

import io.switchboard.core.model.Document;
import io.switchboard.core.session.Principal;

import java.lang.ref.WeakReference;
import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * Read-rule decisions on single-document gets, remembered per document instance and caller. The
 * read cache hands out the same {@link Document} instance until a write replaces it, and a read
 * rule that reads neither {@code now} nor {@code request} decides the same for the same
 * document, caller and rule set, so a repeated get of a hot document needs no evaluation (in the
 * gateway bench a read rule on hot gets cost about a fifth of the server's CPU before this).
 *
 * <p>A fixed table of {@link #SLOTS} slots, indexed by the document's and the caller's identity:
 * a lookup is an array read and three comparisons (a Caffeine map here cost 4.5% of a get in the
 * profile). Two decisions that share a slot replace each other (a miss, never a wrong answer:
 * the slot names its document, rule-set version and caller). Documents are held weakly, so a
 * replaced document's decision goes with it.
 */
final class ReadDecisions {
    /** Decisions kept at most (a power of two). */
    static final int SLOTS = 8192;
    /** The caller of an anonymous session (insecure mode). */
    private static final Object ANONYMOUS = new Object();

    /** A decision: {@code denied} is the rule that denied, null when all allowed. */
    record Decision(RuleSet.Match denied) {
        static final Decision ALLOWED = new Decision(null);
    }

    private record Slot(WeakReference<Document> document, long version, Object caller, Decision decision) { }

    private final AtomicReferenceArray<Slot> slots = new AtomicReferenceArray<>(SLOTS);

    /** The decision for {@code p} on this very document instance under rule set {@code version}, or null. */
    Decision get(Document d, long version, Principal p) {
        Object caller = key(p);
        Slot s = slots.get(index(d, caller));
        return s != null && s.document().get() == d && s.version() == version
                && (s.caller() == caller || s.caller().equals(caller)) ? s.decision() : null;
    }

    void put(Document d, long version, Principal p, RuleSet.Match denied) {
        Object caller = key(p);
        slots.set(index(d, caller), new Slot(new WeakReference<>(d), version, caller,
                denied == null ? Decision.ALLOWED : new Decision(denied)));
    }

    private static int index(Document d, Object caller) {
        int h = System.identityHashCode(d) * 31 + System.identityHashCode(caller);
        return (h ^ (h >>> 16)) & (SLOTS - 1);
    }

    private static Object key(Principal p) {
        return p == null ? ANONYMOUS : p;
    }
}
