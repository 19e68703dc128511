package io.switchboard.core.rules;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.switchboard.core.model.Document;
import io.switchboard.core.session.Principal;

import java.util.concurrent.ConcurrentHashMap;

/**
 * Read-rule decisions on single-document gets, remembered per document instance and principal.
 * The read cache hands out the same {@link Document} instance until a write replaces it, and a
 * read rule that reads neither {@code now} nor {@code request} decides the same for the same
 * document, caller and rule set, so a repeated get of a hot document needs no evaluation (in the
 * gateway bench a read rule on hot gets cost about a fifth of the server's CPU before this).
 * Documents are held weakly and compared by identity, so a replaced document's decisions go with
 * it; at most {@link #MAX_DOCUMENTS} documents and {@link #MAX_PRINCIPALS} callers per document
 * are kept (then that document starts over).
 */
final class ReadDecisions {
    /** Documents whose decisions are kept at most. */
    static final int MAX_DOCUMENTS = 10_000;
    /** Callers remembered per document at most. */
    static final int MAX_PRINCIPALS = 64;
    /** The key of an anonymous caller (insecure mode). */
    private static final Object ANONYMOUS = new Object();

    /** A decision: {@code denied} is the rule that denied, null when all allowed. */
    record Decision(RuleSet.Match denied) {
        static final Decision ALLOWED = new Decision(null);
    }

    private record PerDocument(long version, ConcurrentHashMap<Object, Decision> byPrincipal) { }

    private final Cache<Document, PerDocument> decisions = Caffeine.newBuilder().weakKeys().maximumSize(MAX_DOCUMENTS).build();

    /** The decision for {@code p} on this very document instance under rule set {@code version}, or null. */
    Decision get(Document d, long version, Principal p) {
        PerDocument per = decisions.getIfPresent(d);
        return per == null || per.version() != version ? null : per.byPrincipal().get(key(p));
    }

    void put(Document d, long version, Principal p, RuleSet.Match denied) {
        PerDocument per = decisions.getIfPresent(d);
        if (per == null || per.version() != version || per.byPrincipal().size() >= MAX_PRINCIPALS) {
            per = new PerDocument(version, new ConcurrentHashMap<>(4));
            decisions.put(d, per);
        }
        per.byPrincipal().put(key(p), denied == null ? Decision.ALLOWED : new Decision(denied));
    }

    private static Object key(Principal p) {
        return p == null ? ANONYMOUS : p;
    }
}
