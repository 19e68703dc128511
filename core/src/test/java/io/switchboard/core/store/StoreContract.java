package io.switchboard.core.store;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.switchboard.core.error.ErrorCode;
import io.switchboard.core.error.SwitchboardException;
import io.switchboard.core.json.Json;
import io.switchboard.core.model.Document;
import io.switchboard.core.model.Event;
import io.switchboard.core.model.EventType;
import io.switchboard.core.path.GlobPattern;
import io.switchboard.core.path.PathMatcher;
import io.switchboard.core.path.Pattern;
import io.switchboard.core.query.Criteria;
import io.switchboard.core.query.CriteriaMatcher;
import io.switchboard.core.query.CriteriaParser;
import io.switchboard.core.query.HistoryPage;
import io.switchboard.core.query.HistoryQuery;
import io.switchboard.core.query.Query;
import io.switchboard.core.query.QueryResult;
import io.switchboard.core.query.SortKey;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The behaviour every {@link Store} must show. A module extends this and implements
 * {@link #openStore(Path)}; the suite opens, closes and reopens stores on the same folder. The
 * increment checks are in {@link IncrementChecks}.
 */
public abstract class StoreContract extends IncrementChecks {
    /** Opens (creating or reusing) a store whose data lives in {@code dir}. Not yet {@code open()}ed. */
    protected abstract Store openStore(Path dir);

    @TempDir
    protected Path dir;
    protected Store store;
    private final List<List<CommitListener.Committed>> commits = new CopyOnWriteArrayList<>();

    @BeforeEach
    void start() {
        store = startStore();
    }

    @AfterEach
    void stop() {
        if (store != null) {
            store.close();
        }
    }

    private Store startStore() {
        Store s = openStore(dir);
        s.setCommitListener(commits::add);
        s.open();
        return s;
    }

    @Override
    protected Store current() {
        return store;
    }

    protected Store reopen() {
        store.close();
        store = startStore();
        return store;
    }

    // ---- helpers ----

    protected static JsonNode json(String text) {
        return Json.parseTrusted(text.replace('\'', '"'));
    }

    protected static <T> T await(CompletableFuture<T> f) {
        try {
            return f.get(30, TimeUnit.SECONDS);
        } catch (java.util.concurrent.ExecutionException e) {
            throw SwitchboardException.of(e);
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    protected static WriteOp.Set setOp(String path, String data, long ts) {
        return new WriteOp.Set(path, json(data), false, null, null, "tester", false, false, ts);
    }

    protected WriteResult set(String path, String data) {
        return await(store.write(setOp(path, data, 1000)));
    }

    protected Optional<Document> get(String path) {
        return await(store.get(path));
    }

    protected QueryResult query(PathMatcher target, String criteria, List<SortKey> sort, Integer limit, int skip) {
        Criteria c = CriteriaParser.parse(criteria == null ? null : json(criteria), "criteria");
        return await(store.query(new Query(target, c, List.of(), sort, limit, skip, false)));
    }

    protected static List<String> paths(QueryResult r) {
        return r.items().stream().map(Document::path).toList();
    }

    protected static Pattern pattern(String p) {
        return Pattern.compile(p, "pattern");
    }

    protected static SwitchboardException failure(CompletableFuture<?> f) {
        try {
            f.get(30, TimeUnit.SECONDS);
        } catch (Exception e) {
            return SwitchboardException.of(e);
        }
        throw new AssertionError("expected a failure");
    }

    private List<Event> history(PathMatcher p, Long since, Long until, Long sinceTs, Long untilTs, Set<EventType> types) {
        return await(store.history(new HistoryQuery(p, since, until, sinceTs, untilTs, 1000, types)));
    }

    // ---- documents ----

    @Test
    void crud() {
        WriteResult r1 = await(store.write(setOp("/a/b", "{'x':1}", 100)));
        assertThat(r1.document().meta().version()).isEqualTo(1);
        assertThat(r1.document().meta().created()).isEqualTo(100);
        assertThat(r1.document().meta().modifiedBy()).isEqualTo("tester");
        Event e1 = r1.event();
        assertThat(e1.type()).isEqualTo(EventType.SET);
        assertThat(e1.data()).isEqualTo(json("{'x':1}"));
        assertThat(e1.patch()).isNull();
        assertThat(e1.meta().get("version").asLong()).isEqualTo(1);
        assertThat(e1.meta().get("created").asLong()).isEqualTo(100);
        assertThat(e1.id()).isNull();

        WriteResult r2 = await(store.write(setOp("/a/b", "[1,2]", 200)));
        assertThat(r2.document().meta()).satisfies(m -> {
            assertThat(m.version()).isEqualTo(2);
            assertThat(m.created()).isEqualTo(100);
            assertThat(m.modified()).isEqualTo(200);
        });
        assertThat(r2.event().offset()).isGreaterThan(e1.offset());
        Document d = get("/a/b").orElseThrow();
        assertThat(d.data()).isEqualTo(json("[1,2]"));
        assertThat(d.meta().version()).isEqualTo(2);
        assertThat(store.lastOffset()).isEqualTo(r2.event().offset());

        WriteResult rm = await(store.write(new WriteOp.Remove(pattern("/a/b"), null, "tester", false, 300)));
        assertThat(rm.removed()).isEqualTo(1);
        assertThat(rm.events()).singleElement().satisfies(e -> {
            assertThat(e.type()).isEqualTo(EventType.REMOVE);
            assertThat(e.data()).isNull();
            assertThat(e.path()).isEqualTo("/a/b");
        });
        assertThat(get("/a/b")).isEmpty();
        assertThat(get("/nothing")).isEmpty();
        // scalar and null documents are fine too
        set("/s", "'text'");
        set("/n", "null");
        assertThat(get("/s").orElseThrow().data().asText()).isEqualTo("text");
        assertThat(get("/n").orElseThrow().data().isNull()).isTrue();
    }

    @Test
    void mergeIsShallowAndFallsBackToSet() {
        set("/m", "{'a':1,'b':{'c':1,'d':2}}");
        ObjectNode meta = (ObjectNode) json("{'custom':'x','version':99}");
        WriteResult r = await(store.write(new WriteOp.Set("/m", json("{'b':{'c':5},'e':3}"), true, null, meta,
                "u", false, false, 2000)));
        assertThat(r.document().data()).isEqualTo(json("{'a':1,'b':{'c':5},'e':3}"));
        assertThat(r.event().type()).isEqualTo(EventType.MERGE);
        assertThat(r.event().patch()).isEqualTo(json("{'b':{'c':5},'e':3}"));
        assertThat(r.event().data()).isEqualTo(r.document().data());
        assertThat(r.event().meta().get("custom").asText()).isEqualTo("x");
        assertThat(r.event().meta().get("version").asLong()).isEqualTo(2); // reserved key wins
        assertThat(meta.get("version").asLong()).isEqualTo(99); // caller's meta untouched
        // merge onto a missing doc or a non-object is a plain set
        WriteResult fresh = await(store.write(new WriteOp.Set("/m2", json("{'z':1}"), true, null, null, "u", false, false, 1)));
        assertThat(fresh.document().data()).isEqualTo(json("{'z':1}"));
        set("/arr", "[1]");
        WriteResult onArray = await(store.write(new WriteOp.Set("/arr", json("{'z':1}"), true, null, null, "u", false, false, 1)));
        assertThat(onArray.document().data()).isEqualTo(json("{'z':1}"));
    }

    @Test
    void ifVersion() {
        assertThat(await(store.write(new WriteOp.Set("/v", json("1"), false, 0L, null, null, false, false, 1)))
                .document().meta().version()).isEqualTo(1);
        SwitchboardException again = failure(store.write(new WriteOp.Set("/v", json("2"), false, 0L, null, null, false, false, 1)));
        assertThat(again.code()).isEqualTo(ErrorCode.CONFLICT);
        assertThat(again.getMessage()).isEqualTo("version mismatch at /v: expected 0, found 1");
        SwitchboardException stale = failure(store.write(new WriteOp.Set("/v", json("2"), false, 5L, null, null, false, false, 1)));
        assertThat(stale.getMessage()).isEqualTo("version mismatch at /v: expected 5, found 1");
        assertThat(await(store.write(new WriteOp.Set("/v", json("3"), false, 1L, null, null, false, false, 1)))
                .document().meta().version()).isEqualTo(2);
        assertThat(failure(store.write(new WriteOp.Set("/missing", json("3"), false, 1L, null, null, false, false, 1)))
                .getMessage()).isEqualTo("version mismatch at /missing: expected 1, found 0");
        assertThat(get("/v").orElseThrow().data().asInt()).isEqualTo(3);
        assertThat(get("/missing")).isEmpty();
    }

    @Test
    void noStoreAndNoPublish() {
        long before = store.lastOffset();
        WriteResult ns = await(store.write(new WriteOp.Set("/ns", json("{'a':1}"), false, null,
                (ObjectNode) json("{'k':1}"), "u", true, false, 5)));
        assertThat(ns.document()).isNull();
        assertThat(ns.event().type()).isEqualTo(EventType.SET);
        assertThat(ns.event().data()).isEqualTo(json("{'a':1}"));
        assertThat(ns.event().meta().get("k").asInt()).isEqualTo(1);
        assertThat(get("/ns")).isEmpty();

        WriteResult np = await(store.write(new WriteOp.Set("/np", json("{'a':2}"), false, null, null, "u", false, true, 6)));
        assertThat(np.events()).isEmpty();
        assertThat(np.document().data()).isEqualTo(json("{'a':2}"));
        assertThat(get("/np")).isPresent();
        assertThat(store.lastOffset()).isEqualTo(before + 1);
        assertThat(history(pattern("*"), before, null, null, null, null)).extracting(Event::path).containsExactly("/ns");
    }

    // ---- queries ----

    private static final String[] DOCS = {
        "/q/1", "{'n':1,'s':'apple','b':true,'tags':['red','green'],'nums':[1,5],'o':{'x':1,'y':'a'},'nil':null}",
        "/q/2", "{'n':2.5,'s':'Banana','b':false,'tags':['blue'],'nums':[10],'o':{'x':2}}",
        "/q/3", "{'n':'3','s':'cherry','tags':[],'o':{'x':[1,2]}}",
        "/q/4", "{'n':3,'s':'date','b':1,'nums':[[1,5]],'o':{'x':{'deep':true}}}",
        "/q/5", "{'s':'apple pie','b':'true','tags':'red','obj':{'k':[1,{'z':1}]}}",
        "/q/6", "[1,2,3]",
        "/q/7", "'plain'",
        "/q/8", "{'n':-1,'s':'','o':null,'arr':[{'a':1},{'a':2}]}",
        "/q/9", "{'n':1.0,'s':'Apple','tags':['red','red'],'we\\\"ird':1,'sp ace':{'k':2}}",
        "/q/10", "{'n':100000000000,'s':'zz','b':null}",
        "/q/11", "{'s':'\uD83D\uDE00 emoji'}",
        "/q/12", "{'s':'\uFFFD'}",
    };

    private static final String[] CRITERIA = {
        "{}", "{'n':1}", "{'n':{'$eq':1}}", "{'n':{'$ne':1}}", "{'n':{'$gt':1}}", "{'n':{'$gte':1}}",
        "{'n':{'$lt':3}}", "{'n':{'$lte':2.5}}", "{'n':'3'}", "{'n':{'$gt':'2'}}", "{'s':{'$gt':'b'}}",
        "{'s':{'$lte':'apple'}}", "{'b':true}", "{'b':false}", "{'b':1}", "{'b':{'$ne':true}}", "{'b':null}",
        "{'b':{'$exists':true}}", "{'nil':{'$exists':true}}", "{'nil':null}", "{'nil':{'$exists':false}}",
        "{'tags':'red'}", "{'tags':{'$ne':'red'}}", "{'tags':['red','green']}", "{'tags':[]}",
        "{'tags':{'$in':['blue','red']}}", "{'tags':{'$nin':['blue','red']}}", "{'n':{'$in':[1,3]}}",
        "{'n':{'$in':[]}}", "{'n':{'$nin':[]}}", "{'nums':{'$gt':4}}", "{'nums':{'$lt':2}}", "{'nums':[1,5]}",
        "{'o.x':1}", "{'o.x':{'$gte':1}}", "{'o.x':2}", "{'o.x':{'deep':true}}", "{'o.y':{'$exists':true}}",
        "{'o.x.deep':true}", "{'o':null}", "{'o':{'x':2}}", "{'arr':{'a':1}}", "{'arr.a':1}",
        "{'s':{'$regex':'^app'}}", "{'s':{'$regex':'^app','$options':'i'}}", "{'s':{'$regex':['AN','i']}}",
        "{'tags':{'$regex':'^gr'}}", "{'s':{'$regex':'e$'}}", "{'n':{'$regex':'3'}}",
        "{'$and':[{'n':{'$gte':1}},{'s':{'$regex':'a'}}]}", "{'$or':[{'n':1},{'s':'date'}]}",
        "{'$not':{'n':1}}", "{'n':{'$not':{'$gt':1}}}", "{'$or':[{'b':{'$exists':false}},{'b':false}]}",
        "{'_meta.path':'/q/3'}", "{'_meta.path':{'$gt':'/q/5'}}", "{'_meta.version':1}", "{'_meta.version':{'$gte':2}}",
        "{'_meta.created':{'$gte':0}}", "{'_meta.modified':{'$lt':0}}", "{'_meta.path':{'$regex':'/q/1'}}",
        "{'we\\\"ird':1}", "{'sp ace.k':2}", "{'obj.k':1}", "{'obj.k':{'z':1}}", "{'n':100000000000}",
        "{'n':{'$gt':99999999999.5}}", "{'missing':{'$ne':null}}", "{'missing':{'$nin':[1]}}",
        "{'n':{'$exists':true,'$ne':3}}", "{'s':{'$gt':'\uE000'}}", "{'s':{'$lt':'\uE000'}}", "{'$nor_is_not_here':1}",
    };

    @Test
    void criteriaAgreeWithTheInMemoryMatcher() {
        for (int i = 0; i < DOCS.length; i += 2) {
            set(DOCS[i], DOCS[i + 1]);
        }
        set("/q/1", DOCS[1]); // version 2 for one document
        List<Document> all = await(store.query(Query.of(pattern("/q/*")))).items();
        assertThat(all).hasSize(DOCS.length / 2);
        for (String text : CRITERIA) {
            Criteria c;
            try {
                c = CriteriaParser.parse(json(text), "criteria");
            } catch (SwitchboardException e) {
                continue; // rejected by the parser: nothing for the store to run
            }
            List<String> expected = all.stream().filter(d -> CriteriaMatcher.matches(c, d)).map(Document::path).sorted().toList();
            List<String> actual = paths(await(store.query(new Query(pattern("/q/*"), c, List.of(), List.of(), null, 0, false))));
            assertThat(actual).as("criteria %s", text).isEqualTo(expected);
            assertThat(await(store.count(pattern("/q/*"), c))).as("count %s", text).isEqualTo(expected.size());
        }
        // a few absolute expectations, so the oracle itself is pinned down
        assertThat(paths(query(pattern("/q/*"), "{'n':1}", null, null, 0))).containsExactly("/q/1", "/q/9");
        assertThat(paths(query(pattern("/q/*"), "{'b':1}", null, null, 0))).containsExactly("/q/4");
        assertThat(paths(query(pattern("/q/*"), "{'tags':'red'}", null, null, 0))).containsExactly("/q/1", "/q/5", "/q/9");
        assertThat(paths(query(pattern("/q/*"), "{'nil':{'$exists':true}}", null, null, 0))).containsExactly("/q/1");
        assertThat(paths(query(pattern("/q/*"), "{'s':{'$regex':'^app','$options':'i'}}", null, null, 0)))
                .containsExactly("/q/1", "/q/5", "/q/9");
    }

    @Test
    void sortLimitSkipTotalFieldsPathsOnly() {
        for (int i = 0; i < 10; i++) {
            set("/l/" + i, "{'rank':" + (i % 3) + ",'name':'n" + i + "','o':{'a':" + i + ",'b':2},'c':3}");
        }
        set("/other/x", "{'rank':0}");
        QueryResult r = query(pattern("/l/*"), "{'rank':{'$gte':1}}",
                List.of(new SortKey("rank", false), new SortKey("name", true)), 3, 1);
        assertThat(r.total()).isEqualTo(6);
        assertThat(paths(r)).containsExactly("/l/5", "/l/8", "/l/1");
        assertThat(paths(query(pattern("/l/*"), null, List.of(new SortKey("_meta.path", false)), 2, 0)))
                .containsExactly("/l/9", "/l/8");
        QueryResult beyond = query(pattern("/l/*"), null, null, 5, 100);
        assertThat(beyond.items()).isEmpty();
        assertThat(beyond.total()).isEqualTo(10);
        QueryResult fields = await(store.query(new Query(pattern("/l/*"), Criteria.ALL, List.of("name", "o.a", "nope"),
                List.of(), 1, 0, false)));
        assertThat(fields.items().get(0).data()).isEqualTo(json("{'name':'n0','o':{'a':0}}"));
        QueryResult po = await(store.query(new Query(pattern("/l/*"), Criteria.ALL, List.of(), List.of(), 2, 0, true)));
        assertThat(po.items()).allSatisfy(d -> {
            assertThat(d.data()).isNull();
            assertThat(d.meta().version()).isEqualTo(1);
        });
        assertThat(paths(query(pattern("*"), null, null, null, 0))).hasSize(11).startsWith("/l/0", "/l/1");
        assertThat(paths(query(pattern("/l/**"), null, null, null, 0))).hasSize(10);
        assertThat(paths(query(pattern("/l/3"), null, null, null, 0))).containsExactly("/l/3");
    }

    @Test
    void globPatternQueries() {
        for (String p : List.of("/w/1", "/w/1/2/3", "/w/ab", "/w/b", "/wx/1", "/v/ab")) {
            set(p, "{}");
        }
        assertThat(paths(await(store.query(Query.of(GlobPattern.compile("/w/*", "p"))))))
                .containsExactly("/w/1", "/w/1/2/3", "/w/ab", "/w/b");
        assertThat(paths(await(store.query(Query.of(GlobPattern.compile("/w/a*", "p")))))).containsExactly("/w/ab");
        assertThat(paths(await(store.query(Query.of(GlobPattern.compile("*b", "p")))))).containsExactly("/v/ab", "/w/ab", "/w/b");
        assertThat(await(store.count(GlobPattern.compile("*", "p"), Criteria.ALL))).isEqualTo(6);
        assertThat(await(store.write(new WriteOp.Remove(GlobPattern.compile("/w/*", "p"), null, null, false, 1))).removed())
                .isEqualTo(4);
        assertThat(paths(await(store.query(Query.of(pattern("*")))))).containsExactly("/v/ab", "/wx/1");
    }

    @Test
    void removeByPathAndPattern() {
        for (String p : List.of("/r/a", "/r/b", "/r/c/d", "/r2/a", "/r")) {
            set(p, "1");
        }
        WriteResult none = await(store.write(new WriteOp.Remove(pattern("/r/zzz"), null, null, false, 1)));
        assertThat(none.removed()).isZero();
        assertThat(none.events()).isEmpty();
        WriteResult star = await(store.write(new WriteOp.Remove(pattern("/r/*"), (ObjectNode) json("{'why':'x'}"), "u", false, 1)));
        assertThat(star.removed()).isEqualTo(2);
        assertThat(star.events()).extracting(Event::path).containsExactly("/r/a", "/r/b");
        assertThat(star.events()).allSatisfy(e -> assertThat(e.meta().get("why").asText()).isEqualTo("x"));
        assertThat(star.events().get(1).offset()).isEqualTo(star.events().get(0).offset() + 1);
        WriteResult quiet = await(store.write(new WriteOp.Remove(pattern("/r/**"), null, null, true, 1)));
        assertThat(quiet.removed()).isEqualTo(1);
        assertThat(quiet.events()).isEmpty();
        assertThat(paths(query(pattern("*"), null, null, null, 0))).containsExactly("/r", "/r2/a");
    }

    @Test
    void pathPatternsAgreeWithTheMatcher() {
        List<String> docPaths = List.of("/g/a", "/g/a/b", "/g/a/b/c", "/g/x[1]", "/g/x[1]/y", "/g/q?r/s", "/g/st*r",
                "/g/ab", "/g2/a", "/h/a/b", "/g/a/z/c", "/g/\u00e9/b");
        for (String p : docPaths) {
            set(p, "1");
        }
        List<PathMatcher> matchers = new ArrayList<>();
        for (String p : List.of("/g/*", "/g/**", "/g/*/b", "/g/{id}/b", "/g/*/*/c", "/g/a/**", "/g/x[1]/*",
                "/g/q?r/*", "/*/a", "/*/*/b", "/g/\u00e9/*", "*")) {
            matchers.add(Pattern.compile(p, "p"));
        }
        for (String p : List.of("/g/*", "/g/a*", "*b", "/g/x[1]*", "/g/q?r*", "/g/st*", "*/c", "/g/*/b*")) {
            matchers.add(GlobPattern.compile(p, "p"));
        }
        for (PathMatcher m : matchers) {
            List<String> expected = docPaths.stream().filter(m::matches).sorted().toList();
            assertThat(paths(await(store.query(Query.of(m))))).as("query %s", m).isEqualTo(expected);
            assertThat(await(store.count(m, Criteria.ALL))).as("count %s", m).isEqualTo(expected.size());
            List<Event> log = history(m, null, null, null, null, Set.of(EventType.SET));
            assertThat(log).extracting(Event::path).as("history %s", m).containsExactlyInAnyOrderElementsOf(expected);
        }
    }

    @Test
    void sortOrderAgreesWithTheReferenceOrder() {
        String[] values = {"null", "false", "true", "0", "-1.5", "10", "2", "'a'", "'B'", "'\uE000'", "'\uD83D\uDE00'",
            "'ab'", "[1]", "{'a':1}", "[0,2]"};
        for (int i = 0; i < values.length; i++) {
            set("/so/" + (char) ('a' + i), "{'v':" + values[i] + ",'w':" + (i % 3) + "}");
        }
        set("/so/missing", "{'w':1}");
        set("/so/scalar", "7");
        List<Document> all = await(store.query(Query.of(pattern("/so/*")))).items();
        for (List<SortKey> keys : List.of(List.of(new SortKey("v", true)), List.of(new SortKey("v", false)),
                List.of(new SortKey("w", true), new SortKey("v", false)), List.of(new SortKey("_meta.path", false)))) {
            List<String> expected = all.stream().sorted(io.switchboard.core.query.SortOrder.of(keys))
                    .map(Document::path).toList();
            List<String> actual = paths(await(store.query(new Query(pattern("/so/*"), Criteria.ALL, List.of(), keys,
                    null, 0, false))));
            assertThat(actual).as("sort %s", keys).isEqualTo(expected);
        }
    }

    @Test
    void queriesAtTheParserLimitsRun() {
        for (int i = 0; i < 30; i++) {
            set("/lim/" + i, "{'n':" + i + ",'s':'v" + i + "','tags':['t" + i + "']}");
        }
        StringBuilder in = new StringBuilder("{'n':{'$in':[");
        StringBuilder ors = new StringBuilder("{'$or':[");
        StringBuilder keys = new StringBuilder("{");
        for (int i = 0; i < io.switchboard.core.query.QueryLimits.MAX_IN_VALUES; i++) {
            in.append(i == 0 ? "" : ",").append(i % 2 == 0 ? String.valueOf(i) : "'v" + i + "'");
        }
        for (int i = 0; i < 999; i++) {
            ors.append(i == 0 ? "" : ",").append(i % 3 == 0 ? "{'tags':'t" + i + "'}" : "{'n':" + i + "}");
            keys.append("'k").append(i).append("':{'$exists':false},");
        }
        List<String> criteria = List.of(in.append("]}}").toString(), ors.append("]}").toString(),
                keys.append("'n':{'$gte':0}}").toString());
        for (String text : criteria) {
            Criteria c = CriteriaParser.parse(json(text), "criteria");
            List<Document> all = await(store.query(Query.of(pattern("/lim/*")))).items();
            long expected = all.stream().filter(d -> CriteriaMatcher.matches(c, d)).count();
            assertThat(expected).isPositive();
            assertThat(await(store.count(pattern("/lim/*"), c))).isEqualTo(expected);
        }
    }

    // ---- event log ----

    @Test
    void historyWindows() {
        List<Event> written = new ArrayList<>();
        for (int i = 1; i <= 10; i++) {
            written.add(await(store.write(setOp("/h/" + (i % 2 == 0 ? "even/" : "odd/") + i, "" + i, i * 100L))).event());
        }
        written.add(await(store.write(new WriteOp.Publish("p1", "/h/odd/pub", json("1"), null, "u", 1100))).event());
        long o3 = written.get(2).offset();
        assertThat(history(pattern("*"), o3, written.get(5).offset(), null, null, null))
                .extracting(Event::offset).containsExactly(o3 + 1, o3 + 2, o3 + 3);
        assertThat(history(pattern("/h/even/*"), null, null, 300L, 600L, null)).extracting(Event::path)
                .containsExactly("/h/even/4", "/h/even/6");
        assertThat(history(pattern("/h/**"), null, null, null, null, Set.of(EventType.PUBLISH)))
                .singleElement().satisfies(e -> {
                    assertThat(e.id()).isEqualTo("p1");
                    assertThat(e.ts()).isEqualTo(1100);
                    assertThat(e.by()).isEqualTo("u");
                });
        assertThat(await(store.history(new HistoryQuery(pattern("*"), null, null, null, null, 2, null))))
                .extracting(Event::offset).containsExactly(written.get(0).offset(), written.get(1).offset());
        List<Event> all = history(pattern("*"), null, null, null, null, null);
        assertThat(all).extracting(Event::offset).isSorted().hasSize(11);
        assertThat(all.get(0).data()).isEqualTo(json("1"));
        assertThat(await(store.firstOffset())).isEqualTo(written.get(0).offset());
    }

    @Test
    void historyPagesStopAtTheirByteBoundAndSayMore() {
        String big = "'" + "b".repeat(10_000) + "'";
        for (int i = 0; i < 5; i++) {
            await(store.write(setOp("/hb/" + i, big, i)));
        }
        HistoryPage p = await(store.historyPage(new HistoryQuery(pattern("/hb/*"), null, null, null, null, 100, null, 25_000)));
        assertThat(p.events()).hasSize(2);
        assertThat(p.more()).isTrue();
        // A page holds at least one event even when it alone is over the bound: paging progresses.
        HistoryPage one = await(store.historyPage(new HistoryQuery(pattern("/hb/*"), null, null, null, null, 100, null, 100)));
        assertThat(one.events()).hasSize(1);
        assertThat(one.more()).isTrue();
        HistoryPage rest = await(store.historyPage(new HistoryQuery(pattern("/hb/*"), p.events().get(1).offset(), null,
                null, null, 3, null, 0)));
        assertThat(rest.events()).hasSize(3);
        assertThat(rest.more()).isFalse();
        assertThat(await(store.historyPage(new HistoryQuery(pattern("/hb/*"), null, null, null, null, 4, null, 0))).more())
                .isTrue();
        assertThatThrownBy(() -> await(store.query(new Query(pattern("/hb/*"), null, null, null, null, 0, false, 25_000))))
                .hasMessageContaining("limits.maxReplyBytes");
        assertThat(await(store.query(new Query(pattern("/hb/*"), null, null, null, null, 0, true, 25_000))).items()).hasSize(5);
    }

    @Test
    void eventsKeepTheirTargetSessions() {
        WriteOp.Delivery only = new WriteOp.Delivery("w1", List.of("sA", "sB"));
        Event pub = await(store.write(new WriteOp.Publish("t1", "/tg/p", json("1"), null, "u", 10, only))).event();
        Event set = await(store.write(new WriteOp.Set("/tg/s", json("2"), false, null, null, "u", false, false, 11,
                only))).event();
        await(store.write(setOp("/tg/d", "3", 12)));
        WriteResult rm = await(store.write(new WriteOp.Remove(pattern("/tg/s"), null, "u", false, 13,
                new WriteOp.Delivery("w2", List.of("sC")))));
        assertThat(pub.targets()).containsExactly("sA", "sB");
        assertThat(set.targets()).containsExactly("sA", "sB");
        assertThat(rm.event().targets()).containsExactly("sC");
        List<Event> logged = history(pattern("/tg/*"), null, null, null, null, null);
        assertThat(logged).extracting(Event::targets)
                .containsExactly(List.of("sA", "sB"), List.of("sA", "sB"), null, List.of("sC"));
        assertThat(logged.get(0).isFor("sA")).isTrue();
        assertThat(logged.get(0).isFor("sZ")).isFalse();
        assertThat(logged.get(2).isFor("sZ")).isTrue();
    }

    @Test
    void retentionByAgeCountAndOverride() {
        for (int i = 0; i < 10; i++) {
            await(store.write(setOp("/keep/" + i, "1", 1000 + i)));
            await(store.write(setOp("/short/" + i, "1", 1000 + i)));
        }
        await(store.write(setOp("/new/x", "1", 5000)));
        long last = store.lastOffset();
        // default age 3000 at now=5000 keeps ts >= 2000; /keep/** overridden to keep forever-ish
        RetentionPolicy p = new RetentionPolicy(3000, 1_000_000,
                List.of(new RetentionPolicy.Override(pattern("/keep/**"), 100_000)));
        assertThat(await(store.prune(p, 5000))).isEqualTo(10);
        assertThat(history(pattern("/short/*"), null, null, null, null, null)).isEmpty();
        assertThat(history(pattern("/keep/*"), null, null, null, null, null)).hasSize(10);
        // a shorter override prunes below the default age
        RetentionPolicy shorter = new RetentionPolicy(100_000, 1_000_000,
                List.of(new RetentionPolicy.Override(pattern("/keep/*"), 3995)));
        assertThat(await(store.prune(shorter, 5000))).isEqualTo(5);
        // by count: newest 3 stay
        assertThat(await(store.prune(new RetentionPolicy(100_000, 3, List.of()), 5000))).isEqualTo(3);
        assertThat(history(pattern("*"), null, null, null, null, null)).extracting(Event::offset)
                .containsExactly(last - 4, last - 2, last);
        assertThat(await(store.firstOffset())).isEqualTo(last - 4);
        assertThat(await(store.prune(new RetentionPolicy(1, 0, List.of()), 10_000))).isEqualTo(3);
        assertThat(await(store.firstOffset())).isEqualTo(last + 1);
        assertThat(store.lastOffset()).isEqualTo(last);
    }

    @Test
    void offsetsNeverReusedAcrossPruneAndReopen() {
        String epoch = store.epoch();
        for (int i = 0; i < 5; i++) {
            set("/o/" + i, "1");
        }
        long last = store.lastOffset();
        assertThat(last).isPositive();
        assertThat(await(store.prune(new RetentionPolicy(1, 0, List.of()), Long.MAX_VALUE / 2))).isEqualTo(5);
        reopen();
        assertThat(store.epoch()).isEqualTo(epoch);
        assertThat(store.lastOffset()).isEqualTo(last);
        assertThat(await(store.firstOffset())).isEqualTo(last + 1);
        assertThat(set("/o/x", "1").event().offset()).isEqualTo(last + 1);
        reopen();
        assertThat(set("/o/y", "1").event().offset()).isEqualTo(last + 2);
        assertThat(get("/o/3")).isPresent();
    }

    // ---- scheduled publishes ----

    @Test
    void scheduleCancelFire() {
        await(store.write(new WriteOp.Schedule("s1", "/s/a", json("{'v':1}"), (ObjectNode) json("{'m':1}"), "u", 5000, 1)));
        await(store.write(new WriteOp.Schedule("s2", "/s/b", json("2"), null, "u", 3000, 1)));
        await(store.write(new WriteOp.Schedule("s3", "/s/c", json("3"), null, "u", 3000, 1)));
        assertThat(failure(store.write(new WriteOp.Schedule("s3", "/s/c", json("3"), null, "u", 3000, 1))).code())
                .isEqualTo(ErrorCode.CONFLICT);
        assertThat(await(store.nextScheduledAt()).getAsLong()).isEqualTo(3000);
        await(store.write(new WriteOp.Cancel("s3")));
        assertThat(failure(store.write(new WriteOp.Cancel("s3"))).code()).isEqualTo(ErrorCode.NOT_FOUND);
        assertThat(failure(store.write(new WriteOp.Cancel("nope"))).code()).isEqualTo(ErrorCode.NOT_FOUND);
        assertThat(await(store.write(new WriteOp.FireDue(2999, 10))).events()).isEmpty();

        reopen(); // scheduled publishes survive a restart
        assertThat(await(store.nextScheduledAt()).getAsLong()).isEqualTo(3000);
        List<Event> fired = await(store.write(new WriteOp.FireDue(6000, 10))).events();
        assertThat(fired).extracting(Event::id).containsExactly("s2", "s1");
        assertThat(fired).allSatisfy(e -> {
            assertThat(e.type()).isEqualTo(EventType.PUBLISH);
            assertThat(e.ts()).isEqualTo(6000);
        });
        assertThat(fired.get(1).data()).isEqualTo(json("{'v':1}"));
        assertThat(fired.get(1).meta().get("m").asInt()).isEqualTo(1);
        assertThat(fired.get(1).offset()).isEqualTo(fired.get(0).offset() + 1);
        SwitchboardException late = failure(store.write(new WriteOp.Cancel("s1")));
        assertThat(late.code()).isEqualTo(ErrorCode.CONFLICT);
        assertThat(late.getMessage()).isEqualTo("event s1 already fired");
        assertThat(await(store.nextScheduledAt())).isEmpty();
        // FireDue honours its limit and (at, id) order
        for (String id : List.of("c", "a", "b")) {
            await(store.write(new WriteOp.Schedule(id, "/s/x", json("1"), null, null, 100, 1)));
        }
        assertThat(await(store.write(new WriteOp.FireDue(100, 2))).events()).extracting(Event::id).containsExactly("a", "b");
    }

    // ---- commit listener, concurrency, failures ----

    @Test
    void listenerSeesEventsInOffsetOrderBeforeFutureCompletes() throws Exception {
        ConcurrentLinkedQueue<Long> seen = new ConcurrentLinkedQueue<>();
        store.setCommitListener(batch -> batch.forEach(c -> c.result().events().forEach(e -> seen.add(e.offset()))));
        List<CompletableFuture<Boolean>> checks = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            CompletableFuture<WriteResult> f = store.write(setOp("/c/" + (i % 7), "" + i, i));
            // runs on completion: the listener must already have seen this write's event
            checks.add(f.thenApply(r -> seen.contains(r.event().offset())));
        }
        for (CompletableFuture<Boolean> c : checks) {
            assertThat(c.get(30, TimeUnit.SECONDS)).isTrue();
        }
        assertThat(new ArrayList<>(seen)).isSorted().doesNotHaveDuplicates().hasSize(200);
    }

    @Test
    void listenerGetsTheOpInstances() {
        WriteOp op = setOp("/li", "1", 1);
        await(store.write(op));
        assertThat(commits).anySatisfy(b -> assertThat(b).anySatisfy(c -> assertThat(c.op()).isSameAs(op)));
    }

    @Test
    void concurrentWritersAllLand() throws Exception {
        int threads = 16;
        int each = 200;
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        List<Long> offsets = Collections.synchronizedList(new ArrayList<>());
        List<Future<?>> done = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            int tt = t;
            done.add(pool.submit(() -> {
                long prev = 0;
                for (int i = 0; i < each; i++) {
                    long off = await(store.write(setOp("/cc/" + tt + "/" + i, "{'t':" + tt + ",'i':" + i + "}", i)))
                            .event().offset();
                    assertThat(off).isGreaterThan(prev); // increasing per writer
                    prev = off;
                    offsets.add(off);
                }
            }));
        }
        for (Future<?> f : done) {
            f.get(60, TimeUnit.SECONDS);
        }
        pool.shutdown();
        assertThat(offsets).hasSize(threads * each).doesNotHaveDuplicates();
        assertThat(await(store.count(pattern("/cc/**"), Criteria.ALL))).isEqualTo((long) threads * each);
        List<Event> log = await(store.history(new HistoryQuery(pattern("/cc/**"), null, null, null, null, 0, null)));
        assertThat(log).extracting(Event::offset).isSorted().doesNotHaveDuplicates().hasSize(threads * each);
    }

    @Test
    void failedOpsInABatchDoNotAffectOthers() {
        set("/f/guard", "1");
        List<CompletableFuture<WriteResult>> good = new ArrayList<>();
        List<CompletableFuture<WriteResult>> bad = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            good.add(store.write(setOp("/f/" + i, "" + i, i)));
            bad.add(store.write(new WriteOp.Set("/f/guard", json("2"), false, 7L, null, null, false, false, i)));
            bad.add(store.write(new WriteOp.Cancel("unknown-" + i)));
        }
        long prev = 0;
        for (CompletableFuture<WriteResult> f : good) {
            long off = await(f).event().offset();
            assertThat(off).isEqualTo(prev == 0 ? off : prev + 1); // failed ops consumed no offsets
            prev = off;
        }
        assertThat(bad).allSatisfy(f -> assertThat(failure(f).code()).isIn(ErrorCode.CONFLICT, ErrorCode.NOT_FOUND));
        assertThat(await(store.count(pattern("/f/*"), Criteria.ALL))).isEqualTo(101);
        assertThat(get("/f/guard").orElseThrow().meta().version()).isEqualTo(1);
        assertThat(store.isHealthy()).isTrue();
    }

    @Test
    void closedStoreIsUnavailable() {
        set("/z", "1");
        store.close();
        assertThat(store.isHealthy()).isFalse();
        assertThat(failure(store.write(setOp("/z", "2", 1))).code()).isEqualTo(ErrorCode.UNAVAILABLE);
        assertThat(failure(store.get("/z")).code()).isEqualTo(ErrorCode.UNAVAILABLE);
        store = startStore();
        assertThat(get("/z").orElseThrow().data().asInt()).isEqualTo(1);
    }

    @Test
    void hostileFieldNamesAndValuesAreJustData() {
        set("/x/1", "{'a':1}");
        String[] evil = {"{\"a') OR 1=1 --\":1}", "{\"a\\\"b\":{\"$eq\":1}}", "{\"a\":\"1' OR '1'='1\"}",
            "{\"$or\":[{\"a]\":1},{\"a\\\\\":2}]}"};
        for (String e : evil) {
            Criteria c = CriteriaParser.parse(Json.parseTrusted(e), "criteria");
            assertThat(await(store.count(pattern("/x/*"), c))).as(e).isZero();
        }
        assertThat(get("/x/1")).isPresent();
    }
}
