package io.switchboard.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.switchboard.core.json.Json;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import static io.switchboard.server.SecureWire.bearer;
import static io.switchboard.server.SecureWire.j;
import static io.switchboard.server.WsClient.op;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The read cache over real sockets, trying to read stale data after every kind of write — set,
 * merge, remove by path and by pattern, noPublish writes, writes under a tenant, writes racing
 * reads — and never succeeding; and hits that are still checked against permissions.
 */
class CacheWireTest {
    @TempDir
    Path dir;

    private SecureWire server() {
        SecureWire w = new SecureWire(dir);
        w.group("all", "{'*': {'actions': ['*']}}");
        w.group("readers", "{'/c/**': {'actions': ['get']}}");
        w.user("writer", null, List.of("all"), List.of());
        w.user("reader", null, List.of("readers"), List.of());
        w.user("ann", "acme", List.of("all"), List.of());
        return w;
    }

    private static ObjectNode set(String path, String data) {
        return (ObjectNode) op("set").put("path", path).set("data", j(data));
    }

    private static ObjectNode get(String path) {
        return op("get").put("path", path);
    }

    @Test
    void everyKindOfWriteIsSeenByTheNextRead() {
        try (SecureWire w = server(); WsClient a = w.ws(w.login("writer")); WsClient b = w.ws(w.login("writer"))) {
            String token = w.login("writer");
            for (int i = 0; i < 20; i++) {
                // set: read on one connection (cached), write on another, read again on both and over HTTP
                a.ok(set("/c/doc", "{'v':" + i + ",'keep':true}"));
                assertThat(b.ok(get("/c/doc")).get("data").get("v").asInt()).isEqualTo(i);
                assertThat(b.ok(get("/c/doc")).get("data").get("v").asInt()).isEqualTo(i);
                a.ok(set("/c/doc", "{'v':" + (i + 1000) + "}"));
                assertThat(b.ok(get("/c/doc")).get("data").get("v").asInt()).isEqualTo(i + 1000);
                assertThat(httpGet(w, token, "/api/data/c/doc").get("data").get("v").asInt()).isEqualTo(i + 1000);
                // merge
                a.ok((ObjectNode) set("/c/doc", "{'m':" + i + "}").put("merge", true));
                JsonNode merged = b.ok(get("/c/doc")).get("data");
                assertThat(merged.get("m").asInt()).isEqualTo(i);
                assertThat(merged.get("v").asInt()).isEqualTo(i + 1000);
                // remove by path: a cached document, then a cached absence
                a.ok(op("remove").put("path", "/c/doc"));
                assertThat(b.request(get("/c/doc")).get("error").get("code").asText()).isEqualTo("NOT_FOUND");
                assertThat(b.request(get("/c/doc")).get("error").get("code").asText()).isEqualTo("NOT_FOUND");
                a.ok(set("/c/doc", "{'v':-1}"));
                assertThat(b.ok(get("/c/doc")).get("data").get("v").asInt()).isEqualTo(-1);
            }
        }
    }

    @Test
    void patternQueriesFollowEveryWriteUnderThem() {
        try (SecureWire w = server(); WsClient a = w.ws(w.login("writer")); WsClient b = w.ws(w.login("writer"))) {
            for (int i = 0; i < 10; i++) {
                a.ok(set("/c/p/1", "{'v':1}"));
                a.ok(set("/c/p/2", "{'v':2}"));
                assertThat(b.ok(get("/c/p/*")).get("total").asInt()).isEqualTo(2);
                assertThat(b.ok(get("/c/p/1")).get("data").get("v").asInt()).isEqualTo(1);
                // a new path under the pattern joins the cached page
                a.ok(set("/c/p/3", "{'v':3}"));
                assertThat(b.ok(get("/c/p/*")).get("total").asInt()).isEqualTo(3);
                // a change to a member changes the page; a write elsewhere leaves it correct
                a.ok(set("/c/p/3", "{'v':33}"));
                a.ok(set("/c/elsewhere", "{'v':0}"));
                assertThat(values(b.ok(op("get").put("path", "/c/p/*").set("sort", Json.parseTrusted("[\"v\"]"))))).containsExactly(1, 2, 33);
                // criteria queries are cached per criteria
                ObjectNode big = (ObjectNode) op("get").put("path", "/c/p/*").set("criteria", j("{'v':{'$gt':1}}"));
                assertThat(b.ok(big.deepCopy()).get("total").asInt()).isEqualTo(2);
                a.ok(set("/c/p/1", "{'v':100}"));
                assertThat(b.ok(big.deepCopy()).get("total").asInt()).isEqualTo(3);
                // remove by pattern: the documents and the pages
                assertThat(a.ok(op("remove").put("path", "/c/p/*")).get("removed").asInt()).isEqualTo(3);
                assertThat(b.request(get("/c/p/1")).get("error").get("code").asText()).isEqualTo("NOT_FOUND");
                assertThat(b.ok(get("/c/p/*")).get("total").asInt()).isZero();
                assertThat(b.ok(big.deepCopy()).get("total").asInt()).isZero();
            }
        }
    }

    @Test
    void noPublishWritesInvalidateToo() {
        try (SecureWire w = server(); WsClient a = w.ws(w.login("writer")); WsClient b = w.ws(w.login("writer"))) {
            a.ok(set("/c/q/1", "{'v':1}"));
            a.ok(set("/c/q/2", "{'v':2}"));
            assertThat(b.ok(get("/c/q/1")).get("data").get("v").asInt()).isEqualTo(1);
            assertThat(b.ok(get("/c/q/*")).get("total").asInt()).isEqualTo(2);
            a.ok((ObjectNode) set("/c/q/1", "{'v':10}").put("noPublish", true));
            assertThat(b.ok(get("/c/q/1")).get("data").get("v").asInt()).isEqualTo(10);
            assertThat(values(b.ok(op("get").put("path", "/c/q/*").set("sort", Json.parseTrusted("[\"v\"]"))))).containsExactly(2, 10);
            a.ok(op("remove").put("path", "/c/q/*").put("noPublish", true));
            assertThat(b.request(get("/c/q/1")).get("error").get("code").asText()).isEqualTo("NOT_FOUND");
            assertThat(b.ok(get("/c/q/*")).get("total").asInt()).isZero();
            a.ok(set("/c/q/2", "{'v':3}"));
            assertThat(b.ok(get("/c/q/2")).get("data").get("v").asInt()).isEqualTo(3);
            a.ok(op("remove").put("path", "/c/q/2").put("noPublish", true));
            assertThat(b.request(get("/c/q/2")).get("error").get("code").asText()).isEqualTo("NOT_FOUND");
        }
    }

    @Test
    void tenantWritesAndGlobalWritesSeeEachOther() {
        try (SecureWire w = server(); WsClient ann = w.ws(w.login("acme/ann")); WsClient admin = w.ws(w.login("admin", SecureWire.ADMIN_PW))) {
            for (int i = 0; i < 10; i++) {
                ann.ok(set("/x", "{'v':" + i + "}"));
                assertThat(admin.ok(get("/t/acme/x")).get("data").get("v").asInt()).isEqualTo(i);
                assertThat(ann.ok(get("/x")).get("data").get("v").asInt()).isEqualTo(i);
                admin.ok(set("/t/acme/x", "{'v':" + (i + 500) + "}"));
                assertThat(ann.ok(get("/x")).get("data").get("v").asInt()).isEqualTo(i + 500);
                assertThat(ann.ok(get("/*")).get("items").get(0).get("data").get("v").asInt()).isEqualTo(i + 500);
                ann.ok(set("/x", "{'v':" + (i + 900) + "}"));
                assertThat(admin.ok(get("/t/acme/*")).get("items").get(0).get("data").get("v").asInt()).isEqualTo(i + 900);
                // The tenant's view never holds global paths, however the cache was filled.
                assertThat(ann.ok(get("/x")).get("path").asText()).isEqualTo("/x");
            }
        }
    }

    @Test
    void aHitIsCheckedAgainstPermissionsLikeAMiss() {
        try (SecureWire w = server(); WsClient writer = w.ws(w.login("writer")); WsClient reader = w.ws(w.login("reader"))) {
            writer.ok(set("/c/open", "{'v':1}"));
            writer.ok(set("/secret/doc", "{'v':1}"));
            // the writer fills the cache with both...
            writer.ok(get("/c/open"));
            writer.ok(get("/secret/doc"));
            writer.ok(get("/secret/*"));
            // ...the reader still gets only what its permissions allow
            assertThat(reader.ok(get("/c/open")).get("data").get("v").asInt()).isEqualTo(1);
            assertThat(reader.request(get("/secret/doc")).get("error").get("code").asText()).isEqualTo("FORBIDDEN");
            assertThat(reader.request(get("/secret/*")).get("error").get("code").asText()).isEqualTo("FORBIDDEN");
            assertThat(w.send("GET", "/api/data/secret/doc", null).statusCode()).isEqualTo(401);
        }
    }

    /**
     * A write racing reads: once a write has replied, no read started after that may return an
     * older value — whether served by the cache or filling it.
     */
    @Test
    void aWriteRacingReadsNeverLeavesAStaleValueBehind() throws Exception {
        try (SecureWire w = server()) {
            String token = w.login("writer");
            try (WsClient writer = w.ws(token)) {
                writer.ok(set("/race/doc", "{'v':0}"));
                AtomicInteger committed = new AtomicInteger();
                AtomicBoolean done = new AtomicBoolean();
                List<String> stale = new CopyOnWriteArrayList<>();
                AtomicInteger reads = new AtomicInteger();
                List<Thread> readers = new ArrayList<>();
                for (int r = 0; r < 3; r++) {
                    WsClient c = w.ws(token);
                    Thread t = new Thread(() -> {
                        try (c) {
                            while (!done.get()) {
                                int floor = committed.get();
                                JsonNode doc = c.ok(get("/race/doc"));
                                int v = doc.get("data").get("v").asInt();
                                if (v < floor) {
                                    stale.add("doc: read " + v + " after " + floor + " replied");
                                }
                                int pageFloor = committed.get();
                                JsonNode page = c.ok(get("/race/*"));
                                int pv = page.get("items").get(0).get("data").get("v").asInt();
                                if (pv < pageFloor) {
                                    stale.add("page: read " + pv + " after " + pageFloor + " replied");
                                }
                                reads.addAndGet(2);
                            }
                        }
                    }, "reader-" + r);
                    t.start();
                    readers.add(t);
                }
                for (int i = 1; i <= 300; i++) {
                    writer.ok(set("/race/doc", "{'v':" + i + "}"));
                    committed.set(i);
                }
                done.set(true);
                for (Thread t : readers) {
                    t.join();
                }
                assertThat(stale).isEmpty();
                assertThat(reads.get()).isPositive();
                assertThat(writer.ok(get("/race/doc")).get("data").get("v").asInt()).isEqualTo(300);
            }
        }
    }

    private static List<Integer> values(JsonNode page) {
        List<Integer> out = new ArrayList<>();
        page.get("items").forEach(d -> out.add(d.get("data").get("v").asInt()));
        return out;
    }

    private static JsonNode httpGet(SecureWire w, String token, String path) {
        HttpResponse<String> r = w.send("GET", path, null, "Authorization", bearer(token));
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        return Json.parseTrusted(r.body());
    }
}
