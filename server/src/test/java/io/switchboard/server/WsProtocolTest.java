package io.switchboard.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.switchboard.core.json.Json;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static io.switchboard.server.WsClient.op;
import static org.assertj.core.api.Assertions.assertThat;

/** Every op of SPEC section 3 over a raw WebSocket, checking the wire format of section 4. */
class WsProtocolTest {
    @TempDir
    Path dir;
    SwitchboardServer server;
    WsClient c;

    @BeforeEach
    void start() {
        server = TestServers.start(dir);
        c = WsClient.connected(server.port());
    }

    @AfterEach
    void stop() {
        c.close();
        server.close();
    }

    private static ObjectNode set(String path, JsonNode data) {
        ObjectNode m = op("set").put("path", path);
        m.set("data", data);
        return m;
    }

    private static JsonNode json(String s) {
        return Json.parseTrusted(s);
    }

    @Test
    void connectReplyCarriesSessionPositionAndHeartbeat() {
        WsClient other = WsClient.open(server.port());
        JsonNode r = other.request(op("connect"));
        assertThat(r.get("ok").asBoolean()).isTrue();
        assertThat(r.get("result").fieldNames()).toIterable().contains("session", "user", "epoch", "offset", "heartbeatMs");
        assertThat(r.get("result").get("heartbeatMs").asLong()).isEqualTo(25_000);
        other.close();
    }

    @Test
    void opBeforeConnectIsUnauthenticated() {
        WsClient other = WsClient.open(server.port());
        JsonNode r = other.request(op("get").put("path", "/a"));
        assertThat(r.get("ok").asBoolean()).isFalse();
        assertThat(r.get("error").get("code").asText()).isEqualTo("UNAUTHENTICATED");
        other.close();
    }

    @Test
    void pingGetsPong() {
        assertThat(c.ok(op("ping")).asText()).isEqualTo("pong");
    }

    @Test
    void setAndGetExactPath() {
        JsonNode r = c.request(set("/users/ann", json("{\"name\":\"Ann\",\"age\":31}")));
        assertThat(r.get("ok").asBoolean()).isTrue();
        assertThat(r.get("result").get("path").asText()).isEqualTo("/users/ann");
        assertThat(r.get("result").get("meta").get("version").asLong()).isEqualTo(1);
        assertThat(r.get("result").get("offset").asLong()).isPositive();
        JsonNode doc = c.ok(op("get").put("path", "/users/ann"));
        assertThat(doc.get("path").asText()).isEqualTo("/users/ann");
        assertThat(doc.get("data")).isEqualTo(json("{\"name\":\"Ann\",\"age\":31}"));
        assertThat(doc.get("meta").fieldNames()).toIterable().contains("created", "modified", "version");
        JsonNode missing = c.request(op("get").put("path", "/users/nobody"));
        assertThat(missing.toString()).contains("\"ok\":");
    }

    @Test
    void patternGetWithCriteriaSortLimitSkipFieldsPathsOnlyAndCount() {
        for (int i = 1; i <= 5; i++) {
            c.ok(set("/people/p" + i, json("{\"age\":" + (10 * i) + ",\"name\":\"n" + i + "\",\"x\":1}")));
        }
        ObjectNode q = op("get").put("path", "/people/*");
        q.set("criteria", json("{\"age\":{\"$gte\":20}}"));
        q.set("sort", json("{\"age\":-1}"));
        q.put("limit", 2).put("skip", 1);
        q.set("fields", json("[\"name\"]"));
        JsonNode page = c.ok(q);
        assertThat(page.get("total").asLong()).isEqualTo(4);
        assertThat(page.get("items")).hasSize(2);
        assertThat(page.get("items").get(0).get("path").asText()).isEqualTo("/people/p4");
        assertThat(page.get("items").get(0).get("data").has("x")).isFalse();
        assertThat(page.get("items").get(0).get("data").get("name").asText()).isEqualTo("n4");

        JsonNode paths = c.ok(op("get").put("path", "/people/**").put("pathsOnly", true));
        assertThat(paths.toString()).contains("/people/p1", "/people/p5");

        ObjectNode count = op("count").put("path", "/people/*");
        count.set("criteria", json("{\"age\":{\"$lt\":30}}"));
        assertThat(c.ok(count).get("count").asLong()).isEqualTo(2);
    }

    @Test
    void setMergeIfVersionNoPublishNoStoreAndMeta() {
        c.ok(set("/doc", json("{\"a\":1,\"b\":2}")));
        ObjectNode merge = set("/doc", json("{\"b\":3,\"c\":4}")).put("merge", true);
        c.ok(merge);
        assertThat(c.ok(op("get").put("path", "/doc")).get("data")).isEqualTo(json("{\"a\":1,\"b\":3,\"c\":4}"));

        JsonNode conflict = c.request(set("/doc", json("1")).put("ifVersion", 1));
        assertThat(conflict.get("error").get("code").asText()).isEqualTo("CONFLICT");
        assertThat(c.ok(set("/doc", json("5")).put("ifVersion", 2)).get("meta").get("version").asLong()).isEqualTo(3);

        String sub = c.ok(op("subscribe").put("pattern", "/np/**")).get("sub").asText();
        c.ok(set("/np/quiet", json("1")).put("noPublish", true));
        ObjectNode withMeta = set("/np/loud", json("2"));
        withMeta.set("meta", json("{\"tag\":\"t1\"}"));
        c.ok(withMeta);
        JsonNode push = c.nextPush();
        assertThat(push.get("sub").asText()).isEqualTo(sub);
        assertThat(push.get("event").get("path").asText()).isEqualTo("/np/loud");
        assertThat(push.get("event").get("meta").get("tag").asText()).isEqualTo("t1");

        c.ok(set("/np/ephemeral", json("3")).put("noStore", true));
        assertThat(c.nextPush().get("event").get("path").asText()).isEqualTo("/np/ephemeral");
        assertThat(c.request(op("get").put("path", "/np/ephemeral")).get("ok").asBoolean()).isFalse();
        assertThat(c.request(op("get").put("path", "/np/quiet")).get("ok").asBoolean()).isTrue();
    }

    @Test
    void targetSessionsAndConsistencyModes() {
        WsClient other = WsClient.open(server.port());
        String otherSession = other.ok(op("connect")).get("session").asText();
        other.ok(op("subscribe").put("pattern", "/t/**"));
        c.ok(op("subscribe").put("pattern", "/t/**"));

        ObjectNode targeted = set("/t/one", json("1"));
        targeted.set("targetSessions", Json.MAPPER.createArrayNode().add(otherSession));
        c.ok(targeted);
        assertThat(other.nextPush().get("event").get("path").asText()).isEqualTo("/t/one");

        JsonNode deferred = c.request(set("/t/two", json("2")).put("consistency", "deferred"));
        assertThat(deferred.get("ok").asBoolean()).isTrue();
        JsonNode published = c.next(m -> "published".equals(m.path("sys").asText()), "published notice");
        assertThat(published.toString()).contains("queued");

        // acknowledged: the reply waits until the other client acks its push. Wait for the
        // /t/two push first, so a late arrival cannot be mistaken for the acknowledged one.
        other.next(m -> "/t/two".equals(m.path("event").path("path").asText()), "push of /t/two");
        other.clearInbox();
        long id = 999;
        ObjectNode acked = set("/t/three", json("3")).put("consistency", "acknowledged").put("id", id);
        acked.set("targetSessions", Json.MAPPER.createArrayNode().add(otherSession));
        c.sendText(Json.write(acked));
        JsonNode push = other.nextPush();
        assertThat(push.get("ack").asBoolean()).isTrue();
        other.ok(op("ack").put("offset", push.get("event").get("offset").asLong()));
        JsonNode reply = c.awaitReply(id);
        assertThat(reply.get("result").toString()).contains("acknowledged");
        other.close();
    }

    @Test
    void removePathAndPattern() {
        c.ok(set("/r/a", json("1")));
        c.ok(set("/r/b", json("2")));
        c.ok(set("/r/c/d", json("3")));
        assertThat(c.ok(op("remove").put("path", "/r/a")).get("removed").asLong()).isEqualTo(1);
        assertThat(c.ok(op("remove").put("path", "/r/**")).get("removed").asLong()).isEqualTo(2);
        assertThat(c.ok(op("count").put("path", "/r/**")).get("count").asLong()).isZero();
    }

    @Test
    void publishNowScheduledAndCancel() {
        String sub = c.ok(op("subscribe").put("pattern", "/news/*")).get("sub").asText();
        JsonNode now = c.ok(op("publish").put("path", "/news/a").put("data", "hello"));
        assertThat(now.has("id")).isTrue();
        assertThat(now.get("offset").asLong()).isPositive();
        JsonNode push = c.nextPush();
        assertThat(push.get("sub").asText()).isEqualTo(sub);
        assertThat(push.get("event").get("type").asText()).isEqualTo("publish");
        assertThat(push.get("event").get("data").asText()).isEqualTo("hello");

        long at = System.currentTimeMillis() + 600_000;
        JsonNode later = c.ok(op("publish").put("path", "/news/b").put("at", at));
        assertThat(later.get("scheduled").asBoolean()).isTrue();
        assertThat(later.get("at").asLong()).isEqualTo(at);
        c.ok(op("cancel").put("eventId", later.get("id").asText()));
        assertThat(c.request(op("cancel").put("eventId", "nope")).get("ok").asBoolean()).isFalse();

        JsonNode soon = c.ok(op("publish").put("path", "/news/c").put("at", System.currentTimeMillis() + 200));
        assertThat(soon.get("scheduled").asBoolean()).isTrue();
        assertThat(c.nextPush().get("event").get("path").asText()).isEqualTo("/news/c");
        JsonNode fired = c.request(op("cancel").put("eventId", soon.get("id").asText()));
        assertThat(fired.get("error").get("code").asText()).isEqualTo("CONFLICT");
    }

    @Test
    void subscribeOptions() {
        c.ok(set("/s/a", json("{\"v\":1}")));
        // initial snapshot
        JsonNode snap = c.ok(op("subscribe").put("pattern", "/s/*").put("initial", "snapshot"));
        assertThat(snap.get("items")).hasSize(1);
        assertThat(snap.fieldNames()).toIterable().contains("sub", "epoch", "offset");
        c.ok(op("unsubscribe").put("sub", snap.get("sub").asText()));

        // events filter + count
        ObjectNode filtered = op("subscribe").put("pattern", "/s/*").put("count", 2);
        filtered.set("events", json("[\"publish\"]"));
        String fsub = c.ok(filtered).get("sub").asText();
        c.ok(set("/s/b", json("1")));
        c.ok(op("publish").put("path", "/s/p1"));
        c.ok(op("publish").put("path", "/s/p2"));
        c.ok(op("publish").put("path", "/s/p3"));
        assertThat(c.nextPush().get("event").get("path").asText()).isEqualTo("/s/p1");
        assertThat(c.nextPush().get("event").get("path").asText()).isEqualTo("/s/p2");
        assertThat(c.request(op("unsubscribe").put("sub", fsub)).get("ok").asBoolean()).isFalse();

        // mergeOnly
        ObjectNode mo = op("subscribe").put("pattern", "/s/a").put("mergeOnly", true);
        c.ok(mo);
        c.ok(set("/s/a", json("{\"w\":2}")).put("merge", true));
        JsonNode push = c.nextPush();
        assertThat(push.get("event").get("type").asText()).isEqualTo("merge");
        assertThat(push.get("event").get("data")).isEqualTo(json("{\"w\":2}"));
        c.ok(op("unsubscribe").put("pattern", "/s/a"));
    }

    @Test
    void subscribeSinceReplaysMissedEventsGaplessly() {
        long start = c.ok(op("subscribe").put("pattern", "/x")).get("offset").asLong();
        c.ok(op("unsubscribe").put("pattern", "/x"));
        for (int i = 0; i < 5; i++) {
            c.ok(op("publish").put("path", "/since/" + i));
        }
        JsonNode r = c.ok(op("subscribe").put("pattern", "/since/*").put("since", start));
        assertThat(r.get("recovered").asBoolean()).isTrue();
        List<String> paths = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            paths.add(c.nextPush().get("event").get("path").asText());
        }
        assertThat(paths).containsExactly("/since/0", "/since/1", "/since/2", "/since/3", "/since/4");
    }

    @Test
    void historyWindowsAndWait() {
        for (int i = 0; i < 4; i++) {
            c.ok(op("publish").put("path", "/h/" + i));
        }
        JsonNode all = c.ok(op("history").put("pattern", "/h/*"));
        assertThat(all.get("events")).hasSize(4);
        assertThat(all.fieldNames()).toIterable().contains("epoch", "offset");
        long second = all.get("events").get(1).get("offset").asLong();
        JsonNode window = c.ok(op("history").put("pattern", "/h/*").put("since", second).put("limit", 1));
        assertThat(window.get("events")).hasSize(1);
        assertThat(window.get("events").get(0).get("path").asText()).isEqualTo("/h/2");
        long ts = all.get("events").get(0).get("ts").asLong();
        assertThat(c.ok(op("history").put("pattern", "/h/*").put("sinceTs", ts)).get("events").size()).isGreaterThan(0);

        long last = all.get("offset").asLong();
        c.sendText("{\"id\":77,\"op\":\"history\",\"pattern\":\"/wait/*\",\"since\":" + last + ",\"wait\":30}");
        WsClient other = WsClient.connected(server.port());
        other.ok(op("publish").put("path", "/wait/now"));
        JsonNode waited = c.awaitReply(77);
        assertThat(waited.get("result").get("events").get(0).get("path").asText()).isEqualTo("/wait/now");
        other.close();
    }

    @Test
    void manyPushesArriveBatchedWithNewlines() {
        c.ok(op("subscribe").put("pattern", "/b/*"));
        WsClient pub = WsClient.connected(server.port());
        for (int i = 0; i < 300; i++) {
            pub.sendText("{\"id\":" + (1000 + i) + ",\"op\":\"publish\",\"path\":\"/b/" + i + "\"}");
        }
        List<String> got = new ArrayList<>();
        for (int i = 0; i < 300; i++) {
            got.add(c.nextPush().get("event").get("path").asText());
        }
        assertThat(got).hasSize(300).doesNotHaveDuplicates();
        assertThat(got.get(0)).isEqualTo("/b/0");
        assertThat(got.get(299)).isEqualTo("/b/299");
        // every frame is one or more complete JSON messages separated by '\n'
        assertThat(c.frames).allSatisfy(f -> {
            for (String line : f.split("\n")) {
                assertThat(line).startsWith("{").endsWith("}");
            }
        });
        pub.close();
    }
}
