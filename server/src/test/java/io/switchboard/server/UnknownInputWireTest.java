package io.switchboard.server;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.net.http.HttpResponse;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every input the server does not understand is refused by name: a misspelled option on each
 * native op, a nested unknown key, an unknown query parameter or body field on each HTTP route,
 * and the admin API's users and groups (missing groups, short passwords, duplicate groups).
 */
class UnknownInputWireTest {
    @TempDir
    static Path dir;
    static SecureWire w;
    static String token;

    @BeforeAll
    static void start() {
        w = new SecureWire(dir);
        w.group("all", "{'/**': {'actions': ['*']}}");
        w.user("ann", null, java.util.List.of("all"), java.util.List.of());
        token = w.login("ann");
    }

    @AfterAll
    static void stop() {
        w.server.close();
    }

    private static void refused(JsonNode reply, String field) {
        assertThat(reply.path("ok").asBoolean()).as(reply.toString()).isFalse();
        assertThat(reply.path("error").path("code").asText()).isEqualTo("BAD_REQUEST");
        assertThat(reply.path("error").path("message").asText()).contains("'" + field + "'");
    }

    private static void refused(HttpResponse<String> r, int status, String code, String mentions) {
        assertThat(r.statusCode()).as(r.body()).isEqualTo(status);
        JsonNode e = SecureWire.json(r).path("error");
        assertThat(e.path("code").asText()).isEqualTo(code);
        assertThat(e.path("message").asText()).contains(mentions);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "{'op':'set','path':'/a/x','data':{'v':1},'mrege':true}|mrege",
            "{'op':'get','path':'/a/x','limt':3}|limt",
            "{'op':'count','path':'/a/*','critera':{}}|critera",
            "{'op':'remove','path':'/a/x','noPublsh':true}|noPublsh",
            "{'op':'publish','path':'/a/x','data':1,'tagetSessions':[]}|tagetSessions",
            "{'op':'cancel','eventId':'e1','force':true}|force",
            "{'op':'subscribe','pattern':'/a/*','intial':'snapshot'}|intial",
            "{'op':'subscribe','pattern':'/a/*','since':{'offset':0,'epoc':'x'}}|since.epoc",
            "{'op':'unsubscribe','sub':'s1','all':true}|all",
            "{'op':'history','pattern':'/a/*','limits':3}|limits",
            "{'op':'ack','offset':1,'sub':'x'}|sub",
            "{'op':'ping','payload':1}|payload",
    })
    void aMisspelledOptionOnEveryOpIsRefusedByName(String msg, String field) {
        try (WsClient c = w.ws(token)) {
            refused(c.request(SecureWire.j(msg).put("id", 7)), field);
        }
    }

    @Test
    void aMisspelledConnectFieldIsRefused() {
        try (WsClient c = WsClient.open(w.port())) {
            refused(c.request(SecureWire.j("{'op':'connect','tokn':'" + token + "'}").put("id", 1)), "tokn");
        }
    }

    @Test
    void aMisspelledMergeDoesNotSilentlyReplace() {
        try (WsClient c = w.ws(token)) {
            c.ok(SecureWire.j("{'op':'set','path':'/m/doc','data':{'a':1,'b':2}}").put("id", 1));
            refused(c.request(SecureWire.j("{'op':'set','path':'/m/doc','data':{'a':9},'mrege':true}").put("id", 2)), "mrege");
            JsonNode doc = c.ok(SecureWire.j("{'op':'get','path':'/m/doc'}").put("id", 3));
            assertThat(doc.toString()).contains("\"b\":2");
        }
    }

    @Test
    void aPublishBodyMustBeData() {
        HttpResponse<String> r = w.send("POST", "/api/publish/news/now", "{\"title\":\"x\"}",
                "Authorization", SecureWire.bearer(token), "Content-Type", "application/json");
        refused(r, 400, "BAD_REQUEST", "'title'");
        HttpResponse<String> ok = w.send("POST", "/api/publish/news/now", "{\"data\":{\"title\":\"x\"}}",
                "Authorization", SecureWire.bearer(token), "Content-Type", "application/json");
        assertThat(ok.statusCode()).as(ok.body()).isEqualTo(200);
        HttpResponse<String> path = w.send("POST", "/api/publish/news/now", "{\"data\":1,\"path\":\"/elsewhere\"}",
                "Authorization", SecureWire.bearer(token), "Content-Type", "application/json");
        refused(path, 400, "BAD_REQUEST", "'path'");
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "GET /api/data/a/x?limt=3",
            "PUT /api/data/a/x?mrege=true",
            "PATCH /api/data/a/x?ifversion=1",
            "DELETE /api/data/a/x?nopublish",
            "GET /api/count/a/*?critera=%7B%7D",
            "GET /api/history?pattern=/a/*&limits=3",
            "POST /api/publish/a/x?at=1",
            "POST /api/events/e1/cancel?force=1",
            "GET /api/sse?pattern=/a/*&snce=0",
            "GET /api/auth/me?verbose=1",
            "GET /api/admin/users?tenat=acme",
            "GET /api/admin/groups?all=1",
    })
    void anUnknownQueryParameterIsRefusedByName(String request) {
        String[] mp = request.split(" ");
        String param = mp[1].substring(mp[1].lastIndexOf(mp[1].contains("&") ? '&' : '?') + 1).split("=")[0];
        String body = mp[0].equals("GET") || mp[0].equals("DELETE") ? null : "{\"data\":1}";
        HttpResponse<String> r = w.send(mp[0], mp[1], body, "Authorization", SecureWire.bearer(token),
                "X-Admin-Token", SecureWire.ADMIN_KEY, "Content-Type", "application/json");
        refused(r, 400, "BAD_REQUEST", "'" + param + "'");
    }

    @Test
    void aKnownQueryParameterStillWorks() {
        HttpResponse<String> r = w.send("GET", "/api/data/a/*?limit=3&token=" + token, null);
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    }

    @Test
    void loginWithAnUnknownFieldIsRefused() {
        HttpResponse<String> r = w.send("POST", "/api/auth/login", "{\"username\":\"ann\",\"pasword\":\"x\"}",
                "Content-Type", "application/json");
        refused(r, 400, "BAD_REQUEST", "'pasword'");
    }

    private HttpResponse<String> admin(String method, String path, String body) {
        return w.send(method, "/api/admin" + path, body, "X-Admin-Token", SecureWire.ADMIN_KEY,
                "Content-Type", "application/json");
    }

    @Test
    void usersWithUnknownFieldsMissingGroupsOrShortPasswordsAreRefused() {
        refused(admin("POST", "/users", "{\"username\":\"bo\",\"password\":\"long-password\",\"group\":[\"all\"]}"),
                400, "BAD_REQUEST", "'group'");
        refused(admin("POST", "/users", "{\"username\":\"bo\",\"password\":\"long-password\",\"groups\":[\"nope\"]}"),
                400, "BAD_REQUEST", "'nope' is not a group");
        refused(admin("POST", "/users", "{\"username\":\"bo\",\"password\":\"x\"}"),
                400, "BAD_REQUEST", "at least 8 characters");
        refused(admin("POST", "/users", "{\"username\":\"bo\",\"password\":\"long-password\","
                + "\"permissions\":{\"/a/**\":{\"action\":[\"get\"]}}}"), 400, "BAD_REQUEST", "'permissions./a/**.action'");
        refused(admin("POST", "/users", "{\"username\":\"bo\",\"password\":\"long-password\","
                + "\"permissions\":{\"/a/**\":{\"actions\":[\"read\"]}}}"), 400, "BAD_REQUEST", "'permissions./a/**.actions'");
        assertThat(admin("POST", "/users", "{\"id\":\"bo\",\"username\":\"bo\",\"password\":\"long-password\",\"groups\":[\"all\"]}")
                .statusCode()).isEqualTo(201);
        refused(admin("PATCH", "/users/bo", "{\"gropus\":[]}"), 400, "BAD_REQUEST", "'gropus'");
        refused(admin("PATCH", "/users/bo", "{\"groups\":[\"nope\"]}"), 400, "BAD_REQUEST", "'nope' is not a group");
        refused(admin("PUT", "/users/bo/password", "{\"password\":\"short\"}"), 400, "BAD_REQUEST", "at least 8");
        refused(admin("PUT", "/users/bo/password", "{\"pasword\":\"long-password\"}"), 400, "BAD_REQUEST", "'pasword'");
    }

    @Test
    void creatingAnExistingGroupIsAConflictAndPutReplacesIt() {
        assertThat(admin("POST", "/groups", "{\"name\":\"editors\",\"permissions\":{\"/e/**\":{\"actions\":[\"*\"]}}}")
                .statusCode()).isEqualTo(201);
        refused(admin("POST", "/groups", "{\"name\":\"editors\",\"permissions\":{}}"), 409, "CONFLICT", "PUT /api/admin/groups/editors");
        assertThat(admin("GET", "/groups/editors", null).body()).contains("/e/**");
        refused(admin("POST", "/groups", "{\"name\":\"x\",\"perms\":{}}"), 400, "BAD_REQUEST", "'perms'");
        refused(admin("PUT", "/groups/editors", "{\"name\":\"other\",\"permissions\":{}}"), 400, "BAD_REQUEST", "'name'");
        HttpResponse<String> put = admin("PUT", "/groups/editors", "{\"permissions\":{\"/f/**\":{\"actions\":[\"get\"]}}}");
        assertThat(put.statusCode()).isEqualTo(200);
        assertThat(put.body()).contains("/f/**").doesNotContain("/e/**");
    }

    /** pathSyntax: glob on a group and on a user is kept and shown; another value names the field. */
    @Test
    void groupsAndUsersDeclareTheirPathSyntax() {
        HttpResponse<String> made = admin("POST", "/groups", "{\"name\":\"happners\",\"pathSyntax\":\"glob\","
                + "\"permissions\":{\"/h/*\":{\"actions\":[\"get\",\"on\"]}}}");
        assertThat(made.statusCode()).isEqualTo(201);
        assertThat(made.body()).contains("\"pathSyntax\":\"glob\"");
        assertThat(admin("GET", "/groups/happners", null).body()).contains("\"pathSyntax\":\"glob\"", "/h/*");
        assertThat(admin("GET", "/groups/all", null).body()).doesNotContain("pathSyntax");
        refused(admin("POST", "/groups", "{\"name\":\"r\",\"pathSyntax\":\"regex\",\"permissions\":{}}"),
                400, "BAD_REQUEST", "'pathSyntax'");
        HttpResponse<String> put = admin("PUT", "/groups/happners", "{\"permissions\":{\"/h/**\":{\"actions\":[\"get\"]}}}");
        assertThat(put.statusCode()).isEqualTo(200);
        assertThat(put.body()).doesNotContain("pathSyntax");
        HttpResponse<String> u = admin("POST", "/users", "{\"id\":\"gl\",\"username\":\"gl\",\"password\":\"long-password\","
                + "\"pathSyntax\":\"glob\",\"permissions\":{\"/gl/*\":{\"actions\":[\"get\"]}}}");
        assertThat(u.statusCode()).isEqualTo(201);
        assertThat(u.body()).contains("\"pathSyntax\":\"glob\"");
        assertThat(admin("PATCH", "/users/gl", "{\"email\":\"gl@example.com\"}").body()).contains("\"pathSyntax\":\"glob\"");
        refused(admin("PATCH", "/users/gl", "{\"pathSyntax\":7}"), 400, "BAD_REQUEST", "'pathSyntax'");
    }

    @Test
    void theMessageListsTheKnownFields() {
        try (WsClient c = w.ws(token)) {
            JsonNode r = c.request(SecureWire.j("{'op':'get','path':'/a/x','limt':3}").put("id", 1));
            assertThat(r.path("error").path("message").asText()).contains("known:", "limit", "skip");
        }
    }
}
