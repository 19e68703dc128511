package io.switchboard.server;

import io.switchboard.server.config.ConfigKeys;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code http.static.access: secured}: each request needs a token (header, cookie or query) and
 * the lowercase method on {@code /@HTTP/<path>}; 401 without a usable token, 403 without the
 * permission; revocation applies at once.
 */
class StaticFilesAccessWireTest {
    @TempDir
    Path tmp;
    SecureWire w;

    @AfterEach
    void stop() {
        if (w != null) {
            w.close();
        }
    }

    private void start(boolean happn, String cookie) throws Exception {
        start(happn, cookie, null);
    }

    private void start(boolean happn, String cookie, String profiles) throws Exception {
        start(happn, cookie, profiles, null);
    }

    private void start(boolean happn, String cookie, String profiles, String publicPaths) throws Exception {
        Path web = Files.createDirectories(tmp.resolve("web"));
        Files.createDirectories(web.resolve("private"));
        Files.writeString(web.resolve("index.html"), "home");
        Files.writeString(web.resolve("app.js"), "app");
        Files.writeString(web.resolve("private/plans.txt"), "plans");
        w = new SecureWire(tmp.resolve("data"), c -> {
            var x = c.with(ConfigKeys.HTTP_STATIC_DIR, web.toString()).with(ConfigKeys.HTTP_STATIC_ACCESS, "secured")
                    .with(ConfigKeys.COMPAT_HAPPN_ENABLED, happn);
            x = profiles == null ? x : x.withProfiles(profiles);
            x = publicPaths == null ? x : x.with(ConfigKeys.HTTP_STATIC_PUBLIC_PATHS, List.of(publicPaths.split(",")));
            return cookie == null ? x : x.with(ConfigKeys.AUTH_TOKEN_COOKIE, cookie);
        });
        w.group("web", "{'/@HTTP/**': {'actions': ['get']}, '/@HTTP/private/**': {'prohibit': ['get']}}");
        w.group("data", "{'/docs/**': {'actions': ['get', 'set']}}");
        w.user("ann", null, List.of("web"), List.of());
        w.user("bob", null, List.of("data"), List.of());
    }

    @Test
    void eachTokenSourceAndTheVerdicts() throws Exception {
        start(false, null);
        String ann = w.login("ann");
        String bob = w.login("bob");
        HttpResponse<String> none = w.send("GET", "/app.js", null);
        assertThat(none.statusCode()).isEqualTo(401);
        assertThat(none.headers().firstValue("www-authenticate")).hasValue("Bearer realm=\"switchboard\"");
        assertThat(none.body()).contains("UNAUTHENTICATED");
        assertThat(w.send("GET", "/app.js", null, "Authorization", "Bearer not-a-token").statusCode()).isEqualTo(401);
        assertThat(w.send("GET", "/app.js", null, "Authorization", SecureWire.bearer(ann)).body()).isEqualTo("app");
        assertThat(w.send("GET", "/app.js", null, "Cookie", "sb_token=" + ann).body()).isEqualTo("app");
        assertThat(w.send("GET", "/app.js?token=" + ann, null).body()).isEqualTo("app");
        assertThat(w.send("GET", "/", null, "Authorization", SecureWire.bearer(ann)).body())
                .as("/ is checked as /@HTTP/index.html").isEqualTo("home");
        assertThat(w.send("HEAD", "/app.js", null, "Authorization", SecureWire.bearer(ann)).statusCode()).isEqualTo(200);
        HttpResponse<String> ok = w.send("GET", "/app.js", null, "Authorization", SecureWire.bearer(ann));
        assertThat(ok.headers().firstValue("cache-control")).hasValue("private, no-cache");
        // happn's token names are not read without the happn door
        assertThat(w.send("GET", "/app.js?happn_token=" + ann, null).statusCode()).isEqualTo(401);
        // denied: a prohibition, a user without /@HTTP permissions
        assertThat(w.send("GET", "/private/plans.txt", null, "Authorization", SecureWire.bearer(ann)).statusCode()).isEqualTo(403);
        assertThat(w.send("GET", "/app.js", null, "Authorization", SecureWire.bearer(bob)).statusCode()).isEqualTo(403);
        // not found only after access: no probing for files without a token
        assertThat(w.send("GET", "/missing.js", null).statusCode()).isEqualTo(401);
        assertThat(w.send("GET", "/missing.js", null, "Authorization", SecureWire.bearer(ann)).statusCode()).isEqualTo(404);
        // the admin group holds * on everything, /@HTTP included
        assertThat(w.send("GET", "/private/plans.txt", null, "Authorization",
                SecureWire.bearer(w.login("admin", SecureWire.ADMIN_PW))).body()).isEqualTo("plans");
        // a logged-out token stops working at once
        assertThat(w.send("POST", "/api/auth/logout", null, "Authorization", SecureWire.bearer(ann)).statusCode()).isEqualTo(200);
        assertThat(w.send("GET", "/app.js", null, "Authorization", SecureWire.bearer(ann)).statusCode()).isEqualTo(401);
        assertThat(w.send("GET", "/app.js", null, "Cookie", "sb_token=" + ann).statusCode()).isEqualTo(401);
    }

    /** happn's connect exclusions: public paths need no token; everything else still does. */
    @Test
    void publicPathsNeedNoToken() throws Exception {
        Path web = tmp.resolve("web");
        Files.createDirectories(web.resolve("login/img"));
        Files.writeString(web.resolve("login/index.html"), "sign in");
        Files.writeString(web.resolve("login/img/logo.svg"), "<svg/>");
        start(false, null, null, "/login/*,/app.j?");
        assertThat(w.send("GET", "/login/", null).body()).isEqualTo("sign in");
        assertThat(w.send("GET", "/login/img/logo.svg", null).statusCode()).isEqualTo(200);
        assertThat(w.send("GET", "/login/missing.png", null).statusCode()).as("public: plain 404").isEqualTo(404);
        assertThat(w.send("GET", "/app.js", null).statusCode()).as("'?' is no wildcard").isEqualTo(401);
        assertThat(w.send("GET", "/private/plans.txt", null).statusCode()).isEqualTo(401);
        assertThat(w.send("GET", "/login/../private/plans.txt", null).statusCode()).as("no escaping a public path")
                .isIn(400, 401);
        assertThat(w.send("GET", "/loginx/index.html", null).statusCode()).isEqualTo(401);
    }

    @Test
    void aBadPublicPathStopsStartUp() {
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> start(false, null, null, "no-slash"))
                .hasMessageContaining("http.static.publicPaths");
    }

    @Test
    void permissionChangesApplyToTheNextRequest() throws Exception {
        start(false, null);
        String bob = w.login("bob");
        assertThat(w.send("GET", "/app.js", null, "Authorization", SecureWire.bearer(bob)).statusCode()).isEqualTo(403);
        w.group("data", "{'/docs/**': {'actions': ['get']}, '/@HTTP/app.js': {'actions': ['get']}}");
        assertThat(w.send("GET", "/app.js", null, "Authorization", SecureWire.bearer(bob)).statusCode()).isEqualTo(200);
        assertThat(w.send("GET", "/index.html", null, "Authorization", SecureWire.bearer(bob)).statusCode()).isEqualTo(403);
    }

    @Test
    void aStatelessProfileNarrowsWhatFilesItsSessionsMayFetch() throws Exception {
        start(false, null, "[{\"name\":\"http-only-js\",\"users\":[\"ann\"],\"type\":\"stateless\","
                + "\"permissions\":{\"/@HTTP/app.js\":{\"actions\":[\"get\"]}}}]");
        String ann = w.login("ann");
        assertThat(w.send("GET", "/app.js", null, "Authorization", SecureWire.bearer(ann)).statusCode()).isEqualTo(200);
        assertThat(w.send("GET", "/index.html", null, "Authorization", SecureWire.bearer(ann)).statusCode())
                .as("the group allows it, the profile of HTTP sessions does not").isEqualTo(403);
    }

    @Test
    void withTheHappnDoorHappnsCookieAndQueryAndChallenge() throws Exception {
        start(true, "app_session");
        String ann = w.login("ann");
        HttpResponse<String> none = w.send("GET", "/app.js", null);
        assertThat(none.statusCode()).isEqualTo(401);
        assertThat(none.headers().firstValue("www-authenticate")).hasValue("happn-auth");
        assertThat(w.send("GET", "/app.js", null, "Cookie", "happn_token=" + ann).body()).isEqualTo("app");
        assertThat(w.send("GET", "/app.js?happn_token=" + ann, null).body()).isEqualTo("app");
        assertThat(w.send("GET", "/app.js", null, "Cookie", "app_session=" + ann).body()).isEqualTo("app");
        assertThat(w.send("GET", "/app.js", null, "Cookie", "sb_token=" + ann).statusCode())
                .as("auth.tokenCookie renamed the cookie").isEqualTo(401);
        HttpResponse<String> login = w.send("POST", "/api/auth/login", "{\"username\":\"ann\",\"password\":\"password-ann\"}");
        assertThat(login.headers().firstValue("set-cookie").orElseThrow()).startsWith("app_session=");
        assertThat(w.send("GET", "/private/plans.txt?happn_token=" + ann, null).statusCode()).isEqualTo(403);
    }
}
