package io.switchboard.core.cache;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.switchboard.core.engine.Engine;
import io.switchboard.core.metrics.Meters;
import io.switchboard.core.model.Document;
import io.switchboard.core.model.Event;
import io.switchboard.core.model.EventType;
import io.switchboard.core.op.Request;
import io.switchboard.core.path.PatternIndex;
import io.switchboard.core.pipeline.Pipeline;
import io.switchboard.core.pipeline.Slot;
import io.switchboard.core.result.Result;

import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.atomic.LongAdder;

/**
 * Documents and pattern-query results in memory (Caffeine), on stored paths, bounded by weight:
 * a document counts 1, a page 1 plus its documents. Every committed change of a path — seen on
 * the engine's commit feed (local writes, internal writes, other nodes' writes through the bus)
 * and, for this node's own writes, again when the write completes — drops the path's document
 * and every cached query whose pattern matches the path, before the write replies.
 *
 * <p>No stale entry after a write's reply: a read that missed remembers a generation before it
 * asks the store (the path's stripe for a document, a ticket registered in the query index for
 * a query) and stores its result only if no invalidation touched that generation meanwhile —
 * checked inside the map's per-key lock, which the invalidation also takes after bumping the
 * generation, so an old value can never land after the invalidation that should have removed it.
 *
 * <p>Cached results are shared between callers: nothing downstream may mutate them.
 */
public final class ReadCache {
    /** Generation stripes for documents: a write bumps its path's stripe (a false share costs a miss, never a stale hit). */
    private static final int STRIPES = 4096;

    private final Cache<Object, Entry> cache;
    private final AtomicLongArray generations = new AtomicLongArray(STRIPES);
    /** Bumped when everything is dropped (a noPublish remove by pattern, whose paths are unknown). */
    private final AtomicLong epoch = new AtomicLong();
    private final PatternIndex<Ticket> queries = new PatternIndex<>();
    private final LongAdder docHits = new LongAdder();
    private final LongAdder docMisses = new LongAdder();
    private final LongAdder queryHits = new LongAdder();
    private final LongAdder queryMisses = new LongAdder();
    private final LongAdder evictions = new LongAdder();
    private final long maxWeight;

    /** What the cache holds per key: a document (null: known absent) or a page and its ticket. */
    sealed interface Entry permits DocEntry, PageEntry {
        int weight();
    }

    record DocEntry(Document document) implements Entry {
        public int weight() {
            return 1;
        }
    }

    record PageEntry(Result.Page page, Ticket ticket) implements Entry {
        public int weight() {
            return 1 + page.items().size();
        }
    }

    /** A query read in flight or cached: invalidations of matching paths mark it stale. */
    static final class Ticket {
        final Request.Get key;
        final long epoch;
        volatile boolean stale;

        Ticket(Request.Get key, long epoch) {
            this.key = key;
            this.epoch = epoch;
        }
    }

    /** @param maxWeight how many documents the cache may hold (pages count their documents) */
    public ReadCache(long maxWeight) {
        this.maxWeight = maxWeight;
        this.cache = Caffeine.newBuilder()
                .maximumWeight(maxWeight)
                .weigher((Object k, Entry v) -> v.weight())
                .removalListener((Object k, Entry v, com.github.benmanes.caffeine.cache.RemovalCause cause) -> {
                    if (v instanceof PageEntry p) {
                        queries.remove(p.ticket.key.target(), p.ticket);
                    }
                    if (cause.wasEvicted()) {
                        evictions.increment();
                    }
                })
                .build();
    }

    /**
     * Follows the engine's committed changes and adds the cache stage to the CACHE slot (after
     * authorization, tenant mapping and rules, so a hit is checked like a miss).
     */
    public Pipeline.Builder install(Pipeline.Builder b, Engine engine) {
        engine.observeCommits("/", this::onCommitted);
        return b.add(Slot.CACHE, new CacheStage(this));
    }

    private void onCommitted(Event e) {
        if (e.type() != EventType.PUBLISH) {
            invalidate(e.path());
        }
    }

    // ------------------------------------------------------------------ documents

    /** The cached document entry of {@code path}, or null on a miss (counted). */
    DocEntry document(String path) {
        Entry e = cache.getIfPresent(path);
        if (e instanceof DocEntry d) {
            docHits.increment();
            return d;
        }
        docMisses.increment();
        return null;
    }

    /** Taken before a document read asks the store; {@link #putDocument} refuses a result older than it. */
    long[] documentStamp(String path) {
        return new long[] {generations.get(stripe(path)), epoch.get()};
    }

    void putDocument(String path, long[] stamp, Document doc) {
        int s = stripe(path);
        cache.asMap().compute(path, (k, old) ->
                generations.get(s) == stamp[0] && epoch.get() == stamp[1] ? new DocEntry(doc) : old);
    }

    // ------------------------------------------------------------------ queries

    /** The cached page of {@code q}, or null on a miss (counted). */
    Result.Page page(Request.Get q) {
        Entry e = cache.getIfPresent(q);
        if (e instanceof PageEntry p) {
            queryHits.increment();
            return p.page;
        }
        queryMisses.increment();
        return null;
    }

    /** Registers a query read before it asks the store, so writes meanwhile mark it stale. */
    Ticket begin(Request.Get q) {
        Ticket t = new Ticket(q, epoch.get());
        queries.add(q.target(), t);
        return t;
    }

    /** Keeps the page unless a matching write happened since {@link #begin}; null page: the read failed. */
    void finish(Ticket t, Result.Page page) {
        boolean[] kept = {false};
        if (page != null) {
            cache.asMap().compute(t.key, (k, old) -> {
                if (t.stale || epoch.get() != t.epoch) {
                    return old;
                }
                kept[0] = true;
                return new PageEntry(page, t);
            });
        }
        if (!kept[0]) {
            queries.remove(t.key.target(), t);
        }
    }

    // ------------------------------------------------------------------ invalidation

    /** Drops the document at {@code path} and every cached query that could include it. */
    public void invalidate(String path) {
        generations.incrementAndGet(stripe(path));
        cache.asMap().remove(path);
        queries.match(path, t -> {
            t.stale = true;
            cache.asMap().remove(t.key);
        });
    }

    /** Drops everything, and every read in flight will not be kept. */
    public void invalidateAll() {
        epoch.incrementAndGet();
        cache.invalidateAll();
    }

    private static int stripe(String path) {
        int h = path.hashCode();
        return (h ^ (h >>> 16)) & (STRIPES - 1);
    }

    // ------------------------------------------------------------------ figures

    /** Entries held now (documents and pages). */
    public long size() {
        cache.cleanUp();
        return cache.estimatedSize();
    }

    public long hits() {
        return docHits.sum() + queryHits.sum();
    }

    public long misses() {
        return docMisses.sum() + queryMisses.sum();
    }

    public long evictions() {
        return evictions.sum();
    }

    /** Registers {@code cache.hits}, {@code cache.misses} (by kind), {@code cache.evictions}, {@code cache.size}. */
    public void bindMeters(Meters m) {
        m.functionCounter("cache.hits", "Reads served from the cache", docHits::sum, "kind", "document");
        m.functionCounter("cache.hits", "Reads served from the cache", queryHits::sum, "kind", "query");
        m.functionCounter("cache.misses", "Cacheable reads that went to the store", docMisses::sum, "kind", "document");
        m.functionCounter("cache.misses", "Cacheable reads that went to the store", queryMisses::sum, "kind", "query");
        m.functionCounter("cache.evictions", "Entries dropped to stay within cache.maxEntries", evictions::sum);
        m.gauge("cache.entries", "Documents and query pages held (weight bound: cache.maxEntries = " + maxWeight + ")",
                this::size);
    }
}
