package io.switchboard.server;

import com.fasterxml.jackson.databind.JsonNode;
import io.switchboard.core.json.Json;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import static io.switchboard.server.SecureWire.bearer;
import static io.switchboard.server.SecureWire.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** broker generation 1 over real HTTP: self-registration, login, scheduled inserts, cancel, the collections and the stream. */
class BrokerV1WireTest {
    @TempDir
    Path dir;
    SecureWire w;
    final String collection = UUID.randomUUID().toString();

    @BeforeEach
    void start() {
        w = new SecureWire(dir, c -> c.with("compat.broker.enabled", true));
    }

    @AfterEach
    void stop() {
        w.close();
    }

    HttpResponse<String> post(String route, String body, String... headers) {
        return BrokerWire.post(w, "/broker/v1" + route, body, headers);
    }

    HttpResponse<String> get(String route, String token) {
        return token == null ? w.send("GET", "/broker/v1" + route, null) : w.send("GET", "/broker/v1" + route, null, "Authorization", bearer(token));
    }

    String register(String name) {
        HttpResponse<String> r = post("/users", "{'username':'" + name + "','password':'password-" + name + "','collection_id':'" + collection + "'}");
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        String id = json(r).get("id").asText();
        assertThat(UUID.fromString(id)).isNotNull();
        return id;
    }

    String login(String name) {
        HttpResponse<String> r = post("/login", "{'username':'" + name + "','password':'password-" + name + "'}");
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        return json(r).get("jwt").asText();
    }

    JsonNode insert(String token, String event, double timestamp, String data) {
        HttpResponse<String> r = post("/insert", "{'event':'" + event + "','collection_id':'" + collection + "','timestamp':" + timestamp
                + ",'data':" + data + "}", "Authorization", bearer(token));
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        return json(r).get("event");
    }

    static double now() {
        return System.currentTimeMillis() / 1000.0;
    }

    @Test
    void registrationAndLoginRefuseWhatBrokerRefused() {
        register("amy");
        HttpResponse<String> dup = post("/users", "{'username':'amy','password':'password-x','collection_id':'" + collection + "'}");
        assertThat(dup.statusCode()).isEqualTo(400);
        assertThat(json(dup).get("error").asText()).contains("already taken");
        assertThat(post("/users", "{'username':'bo','password':'password-x','collection_id':'not-a-uuid'}").statusCode()).isEqualTo(400);
        assertThat(post("/users", "{'username':'bo','password':'password-x'}").statusCode()).isEqualTo(400);
        assertThat(post("/users", "not json").statusCode()).isEqualTo(400);
        assertThat(post("/login", "{'username':'amy','password':'wrong-one'}").statusCode()).isEqualTo(401);
        assertThat(post("/login", "{'username':'nobody','password':'wrong-one'}").statusCode()).isEqualTo(401);
        login("amy");
        assertThat(post("/insert", "{'event':'e','collection_id':'" + collection + "','timestamp':1,'data':{}}").statusCode()).isEqualTo(401);
        assertThat(post("/insert", "{'event':'e','collection_id':'" + collection + "','timestamp':1,'data':{}}", "Authorization", bearer("bad"))
                .statusCode()).isEqualTo(401);
        assertThat(get("/events/user", null).statusCode()).isEqualTo(401);
    }

    @Test
    void aPastTimestampPublishesAtOnceAndTheCollectionListsIt() throws Exception {
        String amyId = register("amy");
        String amy = login("amy");
        try (SecureWire.Sse sse = w.new Sse("/broker/v1/events", "Authorization", bearer(amy))) {
            assertThat(sse.next()[1]).as("no events yet").isEqualTo("internal_status");
            JsonNode e = insert(amy, "profile", now() - 10, "{'name':'amy'}");
            assertThat(e.get("published").asBoolean()).isTrue();
            assertThat(e.get("user_id").asText()).isEqualTo(amyId);
            String[] r = sse.next();
            assertThat(r[1]).isEqualTo("profile");
            assertThat(Json.parseTrusted(r[2]).get("name").asText()).isEqualTo("amy");
        }
        JsonNode events = json(get("/events/collections/" + collection, amy)).get("events");
        assertThat(events).hasSize(1);
        assertThat(events.get(0).get("collection_id").asText()).isEqualTo(collection);
        assertThat(events.get(0).get("event").asText()).isEqualTo("profile");
        assertThat(get("/events/collections/nope", amy).statusCode()).isEqualTo(400);
    }

    @Test
    void aFutureInsertPublishesAtItsTimeAndACancelledOneNever() throws Exception {
        register("amy");
        register("bob");
        String amy = login("amy");
        String bob = login("bob");
        double t = now();
        JsonNode cancelled = insert(amy, "cancelled", t + 1.5, "{'n':1}");
        JsonNode later = insert(amy, "later", t + 2.0, "{'n':2}");
        assertThat(later.get("published").asBoolean()).isFalse();

        assertThat(get("/events/" + cancelled.get("id").asText() + "/cancel", bob).statusCode())
                .as("only the owner cancels").isEqualTo(404);
        assertThat(get("/events/no-such-id/cancel", amy).statusCode()).isEqualTo(404);
        HttpResponse<String> ok = get("/events/" + cancelled.get("id").asText() + "/cancel", amy);
        assertThat(ok.statusCode()).as(ok.body()).isEqualTo(200);
        assertThat(json(ok).at("/event/cancelled").asBoolean()).isTrue();

        try (SecureWire.Sse sse = w.new Sse("/broker/v1/events", "Authorization", bearer(bob))) {
            List<String> names = new ArrayList<>();
            String[] r;
            do {
                r = sse.next();
                names.add(r[1]);
            } while (!"later".equals(r[1]));
            assertThat(names).as("the cancelled insert never publishes; the later one does").doesNotContain("cancelled");
        }
        assertThat(get("/events/" + later.get("id").asText() + "/cancel", amy).statusCode()).as("already published").isEqualTo(409);
        await().untilAsserted(() -> assertThat(json(get("/events/user", amy)).get("events")).hasSize(1));
        JsonNode mine = json(get("/events/user", amy));
        assertThat(mine.at("/events/0/event").asText()).isEqualTo("later");
        assertThat(mine.at("/info/0/event").asText()).as("events of the user's collection").isEqualTo("later");
        assertThat(json(get("/events/user", bob)).get("events")).as("bob inserted nothing").isEmpty();
    }

    @Test
    void insertRefusesBadFieldsByName() {
        register("amy");
        String amy = login("amy");
        String[][] cases = {
                {"{'event':'a/b','collection_id':'" + collection + "','timestamp':1,'data':{}}", "event"},
                {"{'event':'e','collection_id':'x','timestamp':1,'data':{}}", "collection_id"},
                {"{'event':'e','collection_id':'" + collection + "','timestamp':'soon','data':{}}", "timestamp"},
                {"{'event':'e','collection_id':'" + collection + "','timestamp':-5,'data':{}}", "timestamp"},
                {"{'event':'e','collection_id':'" + collection + "','timestamp':1,'data':{},'user_id':'x'}", "user_id"},
        };
        for (String[] c : cases) {
            HttpResponse<String> r = post("/insert", c[0], "Authorization", bearer(amy));
            assertThat(r.statusCode()).as(c[0]).isEqualTo(400);
            assertThat(json(r).get("error").asText()).as(c[0]).contains(c[1]);
        }
    }
}
