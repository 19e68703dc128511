package io.switchboard.server;

import com.fasterxml.jackson.databind.JsonNode;
import io.switchboard.core.json.Json;
import io.switchboard.server.http.Route;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code GET /api/openapi.json} stays true: every route of the server's route table is
 * described, every described operation exists (and every method a described path does not list
 * is "no route"), and real responses validate against the described schemas.
 */
class OpenApiTest {
    static final List<String> METHODS = List.of("GET", "PUT", "PATCH", "POST", "DELETE");
    static final String ADMIN = "X-Admin-Token";

    @TempDir
    Path dir;
    SecureWire wire;
    JsonNode doc;
    MiniSchema schemas;
    /** Path template → its regex. */
    final Map<String, Pattern> templates = new LinkedHashMap<>();

    @BeforeEach
    void start() {
        wire = new SecureWire(dir);
        HttpResponse<String> r = wire.send("GET", "/api/openapi.json", null);
        assertThat(r.statusCode()).isEqualTo(200);
        doc = Json.parseTrusted(r.body());
        schemas = new MiniSchema(doc);
        for (Iterator<String> it = doc.get("paths").fieldNames(); it.hasNext(); ) {
            String t = it.next();
            String re = Pattern.quote(t).replace("{path}", "\\E.+\\Q").replaceAll("\\{[a-z]+\\}", "\\\\E[^/]+\\\\Q");
            templates.put(t, Pattern.compile(re));
        }
    }

    @AfterEach
    void stop() {
        wire.close();
    }

    private static boolean noRoute(HttpResponse<String> r) {
        return r.statusCode() == 404 && r.body().contains("no route for");
    }

    /** The described template a concrete path falls under, or null. */
    private String templateOf(String path) {
        String found = null;
        for (Map.Entry<String, Pattern> t : templates.entrySet()) {
            if (t.getValue().matcher(path).matches() && (found == null || t.getKey().length() > found.length()
                    || found.contains("{path}") && !t.getKey().contains("{path}"))) {
                found = t.getKey();
            }
        }
        return found;
    }

    private static String concrete(String template) {
        return template.replace("{path}", "a/b").replace("{id}", "u1").replace("{name}", "g1").replace("{user}", "u2");
    }

    /** Checks {@code r} against the response the description gives for its status (or default). */
    private void conforms(String template, String method, HttpResponse<String> r) {
        JsonNode op = doc.get("paths").get(template).get(method.toLowerCase());
        JsonNode resp = op.get("responses").get(String.valueOf(r.statusCode()));
        if (resp == null) {
            resp = op.get("responses").get("default");
        }
        assertThat(resp).as("%s %s answered %d, which is not described", method, template, r.statusCode()).isNotNull();
        if (resp.has("$ref")) {
            resp = doc.at(resp.get("$ref").asText().substring(1));
        }
        JsonNode content = resp.get("content");
        if (content == null || !content.has("application/json") || r.body().isEmpty()) {
            return;
        }
        JsonNode body = Json.parseTrusted(r.body());
        List<String> problems = schemas.check(content.get("application/json").get("schema"), body);
        assertThat(problems).as("%s %s → %d %s", method, template, r.statusCode(), r.body()).isEmpty();
    }

    @Test
    void isOpenApi31WithTheServersVersion() {
        assertThat(doc.get("openapi").asText()).isEqualTo("3.1.0");
        assertThat(doc.at("/info/version").asText()).isEqualTo(SwitchboardServer.version());
    }

    @Test
    void everyRouteOfTheTableIsDescribed() {
        List<Route> routes = wire.server.routes().routes();
        assertThat(routes).isNotEmpty();
        for (Route r : routes) {
            if (r.prefix()) {
                assertThat(templates.keySet()).as("a described path under the prefix route %s", r.path())
                        .anyMatch(t -> t.startsWith(r.path()));
            } else {
                assertThat(templates.keySet()).as("the exact route %s", r.path()).contains(r.path());
            }
        }
    }

    @Test
    void everyDescribedOperationExistsAndNoOtherMethodDoes() throws Exception {
        List<String> probes = new ArrayList<>();
        templates.keySet().forEach(t -> probes.add(concrete(t)));
        for (Route r : wire.server.routes().routes()) {
            probes.add(r.prefix() ? r.path() + "no-such-route/x" : r.path());
        }
        // Routes under a prefix are dispatched in code: probe every one the docs name too.
        probes.addAll(routesNamedInTheDocs());
        for (String path : probes) {
            String template = templateOf(path);
            for (String m : METHODS) {
                HttpResponse<String> r = wire.send(m, path, m.equals("GET") || m.equals("DELETE") ? null : "{}");
                boolean described = template != null && doc.get("paths").get(template).has(m.toLowerCase());
                if (described) {
                    assertThat(noRoute(r)).as("%s %s is described but answered %s", m, path, r.body()).isFalse();
                    conforms(template, m, r);
                } else {
                    assertThat(noRoute(r)).as("%s %s is served (%d %s) but not described", m, path, r.statusCode(), r.body()).isTrue();
                }
            }
        }
    }

    /** Paths of the {@code `METHOD /path`} routes in docs/http-api.md and docs/security.md, made concrete. */
    static List<String> routesNamedInTheDocs() throws java.io.IOException {
        List<String> out = new ArrayList<>();
        Pattern route = Pattern.compile("`(?:GET|PUT|PATCH|POST|DELETE)(?:`/`(?:GET|PUT|PATCH|POST|DELETE))* (/[A-Za-z0-9_/{}.\\-]+)");
        for (String doc : List.of("http-api.md", "security.md")) {
            java.util.regex.Matcher m = route.matcher(java.nio.file.Files.readString(DocExamplesTest.ROOT.resolve("docs").resolve(doc)));
            while (m.find()) {
                out.add(m.group(1).replaceAll("\\{[a-z]+\\}", "u1"));
            }
        }
        assertThat(out).as("routes named in the docs").hasSizeGreaterThan(20);
        return out;
    }

    /** A new user's requests, each answer checked against the description. */
    @Test
    void realResponsesMatchTheDescribedSchemas() {
        String basic = "Basic " + java.util.Base64.getEncoder().encodeToString(("admin:" + SecureWire.ADMIN_PW).getBytes());
        String[][] calls = {
            {"GET", "/", null}, {"GET", "/health", null}, {"GET", "/ready", null}, {"GET", "/version", null},
            {"GET", "/api/openapi.json", null},
            {"PUT", "/api/data/users/ann", "{\"name\":\"Ann\",\"age\":31}"},
            {"PATCH", "/api/data/users/ann", "{\"age\":32}"},
            {"GET", "/api/data/users/ann", null},
            {"GET", "/api/data/users/*?sort=-age&limit=10", null},
            {"GET", "/api/data/users/nobody", null},
            {"GET", "/api/data/users/ann?mrege=true", null},
            {"GET", "/api/count/users/*", null},
            {"POST", "/api/publish/news/today", "{\"data\":{\"title\":\"hi\"}}"},
            {"POST", "/api/publish/news/later", "{\"data\":{},\"at\":4102444800000}"},
            {"POST", "/api/increment/news/views", "{\"field\":\"today\",\"by\":2}"},
            {"POST", "/api/increment/news/views", "{\"field\":\"today\",\"bogus\":1}"},
            {"GET", "/api/history?pattern=/news/*", null},
            {"GET", "/api/ratelimit", null},
            {"PUT", "/api/data/acks/x?consistency=acknowledged&ackTimeout=100", "{\"v\":1}"},
            {"DELETE", "/api/data/users/ann", null},
            {"GET", "/api/auth/me", null},
            {"POST", "/api/auth/login", "{\"username\":\"admin\",\"password\":\"" + SecureWire.ADMIN_PW + "\"}"},
            {"POST", "/api/auth/login", "{\"username\":\"admin\",\"password\":\"wrong\"}"},
            {"POST", "/api/auth/nonce", "{\"username\":\"admin\"}"},
            {"POST", "/api/admin/groups", "{\"name\":\"readers\",\"permissions\":{\"/news/**\":{\"actions\":[\"get\"]}}}"},
            {"POST", "/api/admin/groups", "{\"name\":\"readers\"}"},
            {"GET", "/api/admin/groups", null},
            {"GET", "/api/admin/groups/readers", null},
            {"PUT", "/api/admin/groups/readers", "{\"permissions\":{}}"},
            {"POST", "/api/admin/users", "{\"id\":\"ann-id\",\"username\":\"ann\",\"password\":\"ann-password\",\"groups\":[\"readers\"]}"},
            {"GET", "/api/admin/users", null},
            {"GET", "/api/admin/users/ann-id", null},
            {"PATCH", "/api/admin/users/ann-id", "{\"email\":\"ann@example.org\"}"},
            {"GET", "/api/admin/users/ann-id/permissions", null},
            {"PUT", "/api/admin/users/ann-id/permissions", "{\"/ann/**\":{\"actions\":[\"get\"]}}"},
            {"PUT", "/api/admin/users/ann-id/password", "{\"password\":\"another-password\"}"},
            {"POST", "/api/admin/users/ann-id/revoke", null},
            {"POST", "/api/admin/users/ann-id/unrevoke", null},
            {"GET", "/api/admin/sessions", null},
            {"POST", "/api/admin/revocations", "{\"id\":\"no-such-jti\"}"},
            {"DELETE", "/api/admin/users/ann-id", null},
            {"DELETE", "/api/admin/groups/readers", null},
        };
        for (String[] c : calls) {
            String path = c[1];
            String bare = path.contains("?") ? path.substring(0, path.indexOf('?')) : path;
            String template = templateOf(bare);
            assertThat(template).as("%s is described", bare).isNotNull();
            HttpResponse<String> r = bare.startsWith("/api/admin/")
                    ? wire.send(c[0], path, c[2], ADMIN, SecureWire.ADMIN_KEY, "Content-Type", "application/json")
                    : wire.send(c[0], path, c[2], "Authorization", basic, "Content-Type", "application/json");
            assertThat(noRoute(r)).as("%s %s", c[0], path).isFalse();
            conforms(template, c[0], r);
        }
    }
}
