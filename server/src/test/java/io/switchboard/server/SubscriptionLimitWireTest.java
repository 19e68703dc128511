package io.switchboard.server;

import com.fasterxml.jackson.databind.JsonNode;
import io.switchboard.core.json.Json;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static io.switchboard.server.SecureWire.bearer;
import static io.switchboard.server.WsClient.op;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Subscriptions are bounded per connection and per user ({@code limits.maxSubscriptionsPerConnection},
 * {@code limits.maxSubscriptionsPerUser}) on every door that subscribes, every way a subscription
 * ends gives its slot back, and patterns are bounded in length like paths.
 */
class SubscriptionLimitWireTest {
    @TempDir
    Path dir;
    SwitchboardServer server;
    SecureWire secure;

    @AfterEach
    void stop() {
        if (server != null) {
            server.close();
        }
        if (secure != null) {
            secure.close();
        }
    }

    /** Pattern shapes the index stores differently: exact, one-segment, trailing, binding, everything. */
    static String pattern(int i) {
        return switch (i % 5) {
            case 0 -> "/lim/" + i;
            case 1 -> "/lim/" + i + "/*";
            case 2 -> "/lim/" + i + "/**";
            case 3 -> "/lim/{name}/" + i;
            default -> "*";
        };
    }

    static JsonNode subscribe(WsClient c, String pattern) {
        return c.request(op("subscribe").put("pattern", pattern));
    }

    static void assertLimited(JsonNode r, String limit) {
        assertThat(r.path("ok").asBoolean()).as(r.toString()).isFalse();
        assertThat(r.at("/error/code").asText()).isEqualTo("RATE_LIMITED");
        assertThat(r.at("/error/message").asText()).contains(limit);
    }

    @Test
    void aConnectionHoldsAtMostItsLimitAndEveryEndingGivesTheSlotBack() {
        server = SwitchboardServer.start(TestServers.config(dir).withMaxSubscriptions(20, 1000));
        WsClient attacker = WsClient.connected(server.port());
        WsClient bystander = WsClient.connected(server.port());
        List<String> subs = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            JsonNode r = subscribe(attacker, pattern(i));
            assertThat(r.path("ok").asBoolean()).as(r.toString()).isTrue();
            subs.add(r.at("/result/sub").asText());
        }
        // every shape, a duplicate pattern, a snapshot subscribe: all refused at the bound
        for (int i = 0; i < 10; i++) {
            assertLimited(subscribe(attacker, pattern(i)), "limits.maxSubscriptionsPerConnection (20)");
        }
        assertLimited(attacker.request(op("subscribe").put("pattern", "/lim/x").put("initial", "snapshot")),
                "limits.maxSubscriptionsPerConnection");
        // the other client is unaffected: answered, can subscribe, gets events
        assertThat(bystander.ok(op("ping")).asText()).isEqualTo("pong");
        String bSub = bystander.ok(op("subscribe").put("pattern", "/lim/**")).path("sub").asText();
        attacker.ok(op("set").put("path", "/lim/0").set("data", Json.object().put("v", 1)));
        assertThat(bystander.nextPush().path("sub").asText()).isEqualTo(bSub);

        // unsubscribe by id frees exactly one slot
        attacker.ok(op("unsubscribe").put("sub", subs.get(0)));
        assertThat(subscribe(attacker, "/lim/again").path("ok").asBoolean()).isTrue();
        assertLimited(subscribe(attacker, "/lim/again2"), "limits.maxSubscriptionsPerConnection");
        // unsubscribe by pattern frees every subscription on it
        attacker.ok(op("unsubscribe").put("pattern", pattern(1)));
        assertThat(subscribe(attacker, "/lim/again3").path("ok").asBoolean()).isTrue();
        // a subscription that ends by itself (its count reached) frees its slot too
        attacker.ok(op("unsubscribe").put("pattern", "/lim/again3"));
        attacker.ok(op("subscribe").put("pattern", "/lim/once").put("count", 1));
        assertLimited(subscribe(attacker, "/lim/full"), "limits.maxSubscriptionsPerConnection");
        attacker.ok(op("set").put("path", "/lim/once").set("data", Json.object()));
        attacker.nextPush();
        assertThat(awaitSubscribed(attacker, "/lim/after-count")).isTrue();
        attacker.close();
        bystander.close();
    }

    @Test
    void aUserHoldsAtMostItsLimitOverAllConnectionsAndADisconnectFreesThem() throws Exception {
        secure = new SecureWire(dir, c -> c.withMaxSubscriptions(20, 30));
        secure.group("readers", "{'/lim/**': {'actions': ['get','subscribe','set']}, '*': {'actions': ['subscribe']}}");
        secure.user("alice", null, List.of("readers"), List.of());
        secure.user("bob", null, List.of("readers"), List.of());
        String alice = secure.login("alice");
        WsClient a1 = secure.ws(alice);
        WsClient a2 = secure.ws(alice);
        WsClient bob = secure.ws(secure.login("bob"));
        for (int i = 0; i < 20; i++) {
            assertThat(subscribe(a1, pattern(i)).path("ok").asBoolean()).isTrue();
        }
        for (int i = 0; i < 10; i++) {
            assertThat(subscribe(a2, pattern(i)).path("ok").asBoolean()).isTrue();
        }
        assertLimited(subscribe(a2, "/lim/more"), "limits.maxSubscriptionsPerUser (30)");
        // a new connection of the same user is refused too, on WebSocket and on SSE
        WsClient a3 = secure.ws(alice);
        assertLimited(subscribe(a3, "/lim/more"), "limits.maxSubscriptionsPerUser");
        try (SecureWire.Sse sse = secure.new Sse("/api/sse?pattern=" + enc("/lim/**"), "Authorization", bearer(alice))) {
            assertThat(sse.status).isEqualTo(429);
            assertThat(Json.parseTrusted(sse.errorBody).at("/error/message").asText()).contains("limits.maxSubscriptionsPerUser");
        }
        // another user is not charged for alice's subscriptions
        for (int i = 0; i < 20; i++) {
            assertThat(subscribe(bob, pattern(i)).path("ok").asBoolean()).isTrue();
        }
        assertLimited(subscribe(bob, "/lim/more"), "limits.maxSubscriptionsPerConnection (20)");
        // a disconnect gives back all of that connection's slots
        a1.close();
        for (int i = 0; i < 10; i++) {
            assertThat(awaitSubscribed(a3, "/lim/freed/" + i)).isTrue();
        }
        a2.close();
        a3.close();
        bob.close();
    }

    @Test
    void anSseStreamCountsAgainstTheConnectionLimitAndItsEndFreesTheSlots() throws Exception {
        secure = new SecureWire(dir, c -> c.withMaxSubscriptions(3, 4));
        secure.group("readers", "{'/lim/**': {'actions': ['get','subscribe','set']}}");
        secure.user("carol", null, List.of("readers"), List.of());
        String carol = secure.login("carol");
        String four = "pattern=/lim/a&pattern=/lim/b&pattern=/lim/c&pattern=/lim/d";
        try (SecureWire.Sse sse = secure.new Sse("/api/sse?" + four, "Authorization", bearer(carol))) {
            assertThat(sse.status).isEqualTo(429);
            assertThat(Json.parseTrusted(sse.errorBody).at("/error/code").asText()).isEqualTo("RATE_LIMITED");
            assertThat(sse.errorBody).contains("limits.maxSubscriptionsPerConnection (3)");
        }
        WsClient ws = secure.ws(carol);
        // the refused stream kept nothing: the whole user quota is free again
        for (int i = 0; i < 3; i++) {
            assertThat(awaitSubscribed(ws, "/lim/w" + i)).isTrue();
        }
        WsClient ws2 = secure.ws(carol);
        try (SecureWire.Sse sse = secure.new Sse("/api/sse?pattern=/lim/s", "Authorization", bearer(carol))) {
            assertThat(sse.status).isEqualTo(200);
            assertLimited(subscribe(ws2, "/lim/w9"), "limits.maxSubscriptionsPerUser (4)");
        }
        // the stream ended: its slot comes back
        assertThat(awaitSubscribed(ws2, "/lim/x")).isTrue();
        ws.close();
        ws2.close();
    }

    @Test
    void patternsAreBoundedInLengthLikePathsInEveryEncodingAndDoor() throws Exception {
        server = SwitchboardServer.start(TestServers.config(dir));
        WsClient c = WsClient.connected(server.port());
        WsClient bystander = WsClient.connected(server.port());
        List<String> tooLong = List.of(
                "/" + "a".repeat(1024),                       // 1025 bytes of ASCII
                "/" + "é".repeat(512),                        // 1025 bytes from 513 characters
                "/a".repeat(512) + "/**",                     // many segments
                "/" + "{b}/".repeat(300) + "*",               // bindings
                "/" + "😀".repeat(300));                      // 4-byte characters
        for (String p : tooLong) {
            for (String op : List.of("subscribe", "history", "unsubscribe")) {
                JsonNode r = c.request(op(op).put("pattern", p));
                assertThat(r.at("/error/code").asText()).as(op + " " + p.length()).isEqualTo("BAD_REQUEST");
                assertThat(r.at("/error/message").asText()).contains("'pattern'").contains("1024 bytes");
            }
            JsonNode g = c.request(op("get").put("path", p));
            assertThat(g.at("/error/message").asText()).contains("'path'").contains("1024 bytes");
            HttpResponse<String> sse = new SecureWire(server).send("GET", "/api/sse?pattern=" + enc(p), null);
            assertThat(sse.statusCode()).isEqualTo(400);
            assertThat(sse.body()).contains("1024 bytes");
            assertThat(bystander.ok(op("ping")).asText()).isEqualTo("pong");
        }
        // exactly at the limit is a pattern like any other
        assertThat(subscribe(c, "/" + "a".repeat(1020) + "/*").path("ok").asBoolean()).isTrue();
        c.close();
        bystander.close();
    }

    /** Subscribes to {@code pattern}, retrying while the server still holds slots being given back. */
    static boolean awaitSubscribed(WsClient c, String pattern) {
        long deadline = System.nanoTime() + 5_000_000_000L;
        while (true) {
            JsonNode r = subscribe(c, pattern);
            if (r.path("ok").asBoolean()) {
                return true;
            }
            assertThat(r.at("/error/code").asText()).isEqualTo("RATE_LIMITED");
            if (System.nanoTime() > deadline) {
                return false;
            }
            try {
                Thread.sleep(5); // polling the condition, not timing it
            } catch (InterruptedException e) {
                throw new AssertionError(e);
            }
        }
    }

    static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }
}
