package io.switchboard.core.store.memory;

import io.switchboard.core.model.Document;
import io.switchboard.core.model.Event;
import io.switchboard.core.path.PathMatcher;
import io.switchboard.core.path.Pattern;
import io.switchboard.core.query.Criteria;
import io.switchboard.core.query.CriteriaMatcher;
import io.switchboard.core.json.Json;
import io.switchboard.core.query.HistoryPage;
import io.switchboard.core.query.HistoryQuery;
import io.switchboard.core.query.ReplyBudget;
import io.switchboard.core.query.Projection;
import io.switchboard.core.query.Query;
import io.switchboard.core.query.QueryResult;
import io.switchboard.core.query.SortOrder;
import io.switchboard.core.store.RetentionPolicy;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.SortedMap;
import java.util.stream.Stream;

/**
 * Reads of {@link MemoryData}, with {@link CriteriaMatcher} and {@link SortOrder} as the
 * semantics (they are the reference the SQL stores reproduce). Called with a lock held.
 */
final class MemoryReads {
    private MemoryReads() {
    }

    /** Documents whose path {@code target} matches, in path order; narrowed by its literal prefix. */
    static Stream<Document> matching(NavigableMap<String, Document> docs, PathMatcher target) {
        if (target.isExact()) {
            Document doc = docs.get(target.text());
            return doc == null ? Stream.empty() : Stream.of(doc);
        }
        if (target instanceof Pattern p && p.matchesEverything()) {
            return docs.values().stream();
        }
        String prefix = target.literalPrefix();
        SortedMap<String, Document> range = prefix.isEmpty() ? docs : docs.tailMap(prefix);
        return range.values().stream()
                .takeWhile(d -> d.path().startsWith(prefix))
                .filter(d -> target.matches(d.path()));
    }

    static long count(MemoryData d, PathMatcher target, Criteria criteria) {
        return matching(d.documents, target).filter(doc -> CriteriaMatcher.matches(criteria, doc)).count();
    }

    static QueryResult query(MemoryData d, Query q) {
        List<Document> all = matching(d.documents, q.target())
                .filter(doc -> CriteriaMatcher.matches(q.criteria(), doc))
                .sorted(SortOrder.of(q.sort()))
                .toList();
        Stream<Document> page = all.stream().skip(Math.max(0, q.skip()));
        if (q.limit() != null) {
            page = page.limit(Math.max(0, q.limit()));
        }
        ReplyBudget budget = new ReplyBudget(q.maxBytes());
        List<Document> items = page.map(doc -> {
            budget.spend(doc.path(), q.pathsOnly() ? null : Json.write(doc.data()));
            return q.pathsOnly()
                ? new Document(doc.path(), null, doc.meta())
                : new Document(doc.path(), Projection.apply(doc.data(), q.fields()).deepCopy(), doc.meta());
        }).toList();
        return new QueryResult(items, all.size());
    }

    static List<Event> history(MemoryData d, HistoryQuery q) {
        return page(d, q).events();
    }

    static HistoryPage page(MemoryData d, HistoryQuery q) {
        long from = q.sinceOffset() == null ? Long.MIN_VALUE : q.sinceOffset();
        long to = q.untilOffset() == null ? Long.MAX_VALUE : q.untilOffset();
        List<Event> out = new ArrayList<>();
        if (from >= to) {
            return new HistoryPage(out, false);
        }
        ReplyBudget budget = new ReplyBudget(q.maxBytes());
        for (Event e : d.events.subMap(from, false, to, true).values()) {
            if ((q.pattern() == null || q.pattern().matches(e.path()))
                    && (q.sinceTs() == null || e.ts() >= q.sinceTs())
                    && (q.untilTs() == null || e.ts() <= q.untilTs())
                    && (q.types() == null || q.types().contains(e.type()))) {
                if ((q.limit() > 0 && out.size() == q.limit()) || !budget.fits(out.isEmpty(), e.path(),
                        json(e.data()), json(e.patch()), json(e.meta()))) {
                    return new HistoryPage(out, true);
                }
                out.add(e);
            }
        }
        return new HistoryPage(out, false);
    }

    private static String json(com.fasterxml.jackson.databind.JsonNode n) {
        return n == null ? null : Json.write(n);
    }

    static long firstOffset(MemoryData d) {
        return d.events.isEmpty() ? d.lastOffset + 1 : d.events.firstKey();
    }

    /** Each event gets the age limit of the first override matching its path, else the default. */
    static long prune(MemoryData d, RetentionPolicy policy, long now) {
        long removed = 0;
        Iterator<Map.Entry<Long, Event>> it = d.events.entrySet().iterator();
        while (it.hasNext()) {
            Event e = it.next().getValue();
            long maxAge = policy.maxAgeMs();
            for (RetentionPolicy.Override o : policy.overrides()) {
                if (o.pattern().matches(e.path())) {
                    maxAge = o.maxAgeMs();
                    break;
                }
            }
            if (e.ts() < now - maxAge) {
                it.remove();
                forget(d, e);
                removed++;
            }
        }
        long excess = d.events.size() - Math.max(0, policy.maxEvents());
        while (excess-- > 0) {
            forget(d, d.events.pollFirstEntry().getValue());
            removed++;
        }
        return removed;
    }

    private static void forget(MemoryData d, Event e) {
        if (e.id() != null) {
            d.eventIds.remove(e.id(), e.offset());
        }
    }
}
