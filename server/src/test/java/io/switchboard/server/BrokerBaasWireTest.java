package io.switchboard.server;

import com.fasterxml.jackson.databind.JsonNode;
import io.switchboard.core.json.Json;
import io.switchboard.server.config.ConfigException;
import io.switchboard.server.config.ServerConfig;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.http.HttpResponse;
import java.nio.file.Path;

import static io.switchboard.server.SecureWire.basic;
import static io.switchboard.server.SecureWire.bearer;
import static io.switchboard.server.SecureWire.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** broker's BaaS generation over real HTTP: users with the admin token, login, insert, SSE with sync, tenants. */
class BrokerBaasWireTest {
    static final String ADMIN = "broker-admin-token-for-tests";

    @TempDir
    Path dir;
    SecureWire w;

    @BeforeEach
    void start() {
        w = new SecureWire(dir, c -> c.with("compat.broker.enabled", true).with("compat.broker.adminToken", ADMIN));
    }

    @AfterEach
    void stop() {
        w.close();
    }

    HttpResponse<String> post(String route, String body, String... headers) {
        return BrokerWire.post(w, "/broker" + route, body, headers);
    }

    void createUser(String name, String tenant) {
        HttpResponse<String> r = post("/create_user", "{'username':'" + name + "','password':'password-" + name
                + "','admin_token':'" + ADMIN + "','tenant_name':'" + tenant + "','email':'" + name + "@example.com',"
                + "'scopes':['news:get'],'data':{'name':'" + name + "'}}");
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    }

    String login(String name) {
        HttpResponse<String> r = post("/login", "{'username':'" + name + "','password':'password-" + name + "'}");
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        return json(r).get("jwt").asText();
    }

    @Test
    void userManagementNeedsTheAdminTokenAndRefusesMistakesByName() {
        assertThat(post("/create_user", "{'username':'bob','password':'password1','tenant_name':'t1'}").statusCode()).isEqualTo(401);
        HttpResponse<String> bad = post("/create_user", "{'username':'bob','password':'password1','admin_token':'nope','tenant_name':'t1'}");
        assertThat(bad.statusCode()).isEqualTo(401);
        assertThat(json(bad).get("error").asText()).contains("admin_token");
        HttpResponse<String> unknown = post("/create_user", "{'username':'bob','password':'password1','admin_token':'" + ADMIN
                + "','tenant_name':'t1','nickname':'b'}");
        assertThat(unknown.statusCode()).isEqualTo(400);
        assertThat(json(unknown).get("error").asText()).contains("nickname");
        assertThat(post("/create_user", "{'username':'bob','password':'pw','admin_token':'" + ADMIN + "','tenant_name':'t1'}")
                .statusCode()).as("password under the minimum length").isEqualTo(400);
        assertThat(post("/create_user", "{'username':'bob','password':'password1','admin_token':'" + ADMIN + "','tenant_name':'a/b'}")
                .statusCode()).as("tenant name with a slash").isEqualTo(400);

        createUser("bob", "t1");
        HttpResponse<String> dup = post("/create_user", "{'username':'BOB','password':'password1','admin_token':'" + ADMIN
                + "','tenant_name':'t2'}");
        assertThat(dup.statusCode()).as("usernames are unique across broker tenants").isEqualTo(400);

        JsonNode list = json(post("/list_users", "{'admin_token':'" + ADMIN + "'}"));
        assertThat(list).hasSize(1);
        assertThat(list.get(0).get("password").asText()).isEqualTo("***");
        assertThat(list.get(0).get("tenant_name").asText()).isEqualTo("t1");
        assertThat(list.get(0).get("scopes").get(0).asText()).isEqualTo("news:get");
        assertThat(list.get(0).at("/data/name").asText()).isEqualTo("bob");
        assertThat(post("/list_users", "{'admin_token':'wrong'}").statusCode()).isEqualTo(401);

        HttpResponse<String> upd = post("/update_user", "{'admin_token':'" + ADMIN + "','username':'bob','email':'new@example.com',"
                + "'scopes':['news:get','news:publish'],'password':'password-two'}");
        assertThat(upd.statusCode()).as(upd.body()).isEqualTo(200);
        JsonNode got = json(post("/get_user", "{'admin_token':'" + ADMIN + "','username':'bob'}"));
        assertThat(got.get("email").asText()).isEqualTo("new@example.com");
        assertThat(got.get("scopes")).hasSize(2);
        assertThat(post("/login", "{'username':'bob','password':'password-two'}").statusCode()).isEqualTo(200);
        assertThat(post("/update_user", "{'admin_token':'" + ADMIN + "','username':'bob','tenant_name':'t9'}").statusCode())
                .as("a user stays in its tenant").isEqualTo(400);
        assertThat(post("/get_user", "{'admin_token':'" + ADMIN + "','username':'nobody'}").statusCode()).isEqualTo(404);
    }

    @Test
    void loginVerifyAndRevocation() {
        createUser("ann", "t1");
        String jwt = login("ann");
        assertThat(post("/login", "{'username':'ann','password':'wrong-password'}").statusCode()).isEqualTo(401);
        assertThat(post("/login", "{'username':'nobody','password':'wrong-password'}").statusCode()).isEqualTo(401);

        assertThat(w.send("GET", "/broker/verify", null, "Authorization", bearer(jwt)).statusCode()).isEqualTo(200);
        assertThat(w.send("GET", "/broker/verify", null, "Authorization", basic("ann", "password-ann")).statusCode()).isEqualTo(200);
        assertThat(w.send("GET", "/broker/verify", null, "Authorization", basic("ann", "nope")).statusCode()).isEqualTo(401);
        assertThat(w.send("GET", "/broker/verify", null, "Authorization", bearer(jwt + "x")).statusCode()).isEqualTo(401);
        assertThat(w.send("GET", "/broker/verify", null).statusCode()).isEqualTo(401);

        assertThat(post("/revoke_user", "{'admin_token':'" + ADMIN + "','username':'ann'}").statusCode()).isEqualTo(200);
        assertThat(post("/login", "{'username':'ann','password':'password-ann'}").statusCode()).as("revoked users cannot log in").isEqualTo(401);
        assertThat(w.send("GET", "/broker/verify", null, "Authorization", bearer(jwt)).statusCode()).isEqualTo(401);
        assertThat(post("/unrevoke_user", "{'admin_token':'" + ADMIN + "','username':'ann'}").statusCode()).isEqualTo(200);
        assertThat(post("/login", "{'username':'ann','password':'password-ann'}").statusCode()).isEqualTo(200);
    }

    @Test
    void streamSyncsTheLatestEventPerNameThenDeliversLiveAndKeepsTenantsApart() throws Exception {
        createUser("ann", "t1");
        createUser("ben", "t1");
        createUser("cid", "t2");
        String ann = login("ann");
        String cid = login("cid");
        assertThat(post("/insert", "{'event':'user','data':{'v':1}}", "Authorization", bearer(ann)).statusCode()).isEqualTo(200);
        assertThat(post("/insert", "{'event':'user','data':{'v':2}}", "Authorization", bearer(ann)).statusCode()).isEqualTo(200);
        assertThat(post("/insert", "{'event':'news','data':'hello'}", "Authorization", basic("ben", "password-ben")).statusCode()).isEqualTo(200);
        assertThat(post("/insert", "{'event':'secret','data':{'t':2}}", "Authorization", bearer(cid)).statusCode()).isEqualTo(200);
        HttpResponse<String> badName = post("/insert", "{'event':'a/b','data':1}", "Authorization", bearer(ann));
        assertThat(badName.statusCode()).isEqualTo(400);
        assertThat(json(badName).get("error").asText()).contains("event");
        assertThat(post("/insert", "{'event':'x','data':1,'extra':1}", "Authorization", bearer(ann)).statusCode()).isEqualTo(400);
        assertThat(post("/insert", "{'event':'x','data':1}").statusCode()).isEqualTo(401);

        try (SecureWire.Sse sse = w.new Sse("/broker/sse", "Authorization", bearer(ann))) {
            assertThat(sse.status).isEqualTo(200);
            String[] first = sse.next();
            String[] second = sse.next();
            assertThat(first[1]).isEqualTo("user");
            assertThat(Json.parseTrusted(first[2]).get("v").asInt()).as("the latest 'user' event only").isEqualTo(2);
            assertThat(second[1]).isEqualTo("news");
            assertThat(second[2]).isEqualTo("\"hello\"");
            post("/insert", "{'event':'secret','data':{'t':2,'n':2}}", "Authorization", bearer(cid));
            post("/insert", "{'event':'live','data':{'n':3}}", "Authorization", bearer(ann));
            String[] live = sse.next();
            assertThat(live[1]).as("tenant t2's events never reach t1").isEqualTo("live");
            assertThat(Long.parseLong(live[0])).isGreaterThan(Long.parseLong(second[0]));

            // An EventSource reconnecting with Last-Event-ID gets exactly what came after it, no sync.
            post("/insert", "{'event':'after','data':4}", "Authorization", bearer(ann));
            try (SecureWire.Sse resumed = w.new Sse("/broker/sse", "Authorization", bearer(ann), "Last-Event-ID", live[0])) {
                assertThat(resumed.next()[1]).isEqualTo("after");
            }
        }
        try (SecureWire.Sse empty = w.new Sse("/broker/sse", "Authorization", basic("nobody", "x"))) {
            assertThat(empty.status).isEqualTo(401);
        }
    }

    @Test
    void aTenantWithoutEventsGetsConnectedAndHealthAnswers() throws Exception {
        createUser("dan", "t3");
        try (SecureWire.Sse sse = w.new Sse("/broker/sse", "Authorization", basic("dan", "password-dan"))) {
            String[] r = sse.next();
            assertThat(r[1]).isEqualTo("internal_status");
            assertThat(r[2]).isEqualTo("connected");
        }
        assertThat(w.send("GET", "/broker", null).statusCode()).isEqualTo(200);
        assertThat(w.send("HEAD", "/broker/", null).statusCode()).isEqualTo(200);
    }

    @Test
    void theAdminTokenIsAnAdminKeyAndABrokerInsertIsANativeEvent() {
        createUser("eve", "t1");
        post("/insert", "{'event':'n','data':{'x':1}}", "Authorization", bearer(login("eve")));
        HttpResponse<String> r = w.send("GET", "/api/history?pattern=/t/t1/events/*", null, "Authorization", bearer(w.login("admin", SecureWire.ADMIN_PW)));
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        assertThat(json(r).at("/events/0/path").asText()).isEqualTo("/t/t1/events/n");
        assertThat(json(r).at("/events/0/data/x").asInt()).isEqualTo(1);
    }

    @Test
    void settingsThatCannotWorkStopStartUp(@TempDir Path other) {
        assertThatThrownBy(() -> SwitchboardServer.start(TestServers.config(other).with("compat.broker.enabled", true)))
                .isInstanceOf(ConfigException.class).hasMessageContaining("security.enabled");
        ServerConfig same = SecureWire.config(other).with("compat.broker.enabled", true).with("compat.broker.prefix", "/b")
                .with("compat.broker.v1Prefix", "/b");
        assertThatThrownBy(() -> SwitchboardServer.start(same)).isInstanceOf(ConfigException.class).hasMessageContaining("must differ");
        ServerConfig slash = SecureWire.config(other).with("compat.broker.enabled", true).with("compat.broker.prefix", "/b/");
        assertThatThrownBy(() -> SwitchboardServer.start(slash)).isInstanceOf(ConfigException.class).hasMessageContaining("compat.broker.prefix");
    }
}
