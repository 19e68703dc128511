package io.switchboard.core.security;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.switchboard.core.error.ErrorCode;
import io.switchboard.core.error.SwitchboardException;
import io.switchboard.core.json.Json;
import io.switchboard.core.session.Principal;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** HTTP verbs as actions on {@code /@HTTP/...} patterns, and nowhere else. */
class HttpRoutePermissionsTest {
    private static final Principal ANN = new Principal("u1", "ann", null, List.of("g"), List.of());

    private static ObjectNode perms(String json) throws Exception {
        return (ObjectNode) Json.parse(json.replace('\'', '"'));
    }

    private static Permissions of(String json) throws Exception {
        return PermissionCompiler.compile(ANN, null, Map.of("g", new Group("g", perms(json)))::get);
    }

    private static ErrorCode denied(Permissions p, String method, String path) {
        try {
            HttpRouteAccess.check(p, method, path);
            return null;
        } catch (SwitchboardException e) {
            return e.code();
        }
    }

    /** A happn group's glob path, as happn writes it: {@code *} crosses {@code /}, verbs still only under /@HTTP. */
    @Test
    void globGroupPathsWorkForHttpRoutes() throws Exception {
        Group g = new Group("g", perms("{'/@HTTP/web/*': {'actions': ['get']}, '/@HTTP/web/admin*': {'prohibit': ['get']}}"),
                io.switchboard.core.path.PathMatcher.Mode.GLOB);
        Permissions p = PermissionCompiler.compile(ANN, null, Map.of("g", g)::get);
        assertThat(denied(p, "GET", "/web/index.html")).isNull();
        assertThat(denied(p, "GET", "/web/js/deep/app.js")).isNull();
        assertThat(denied(p, "HEAD", "/web/a.css")).isNull();
        assertThat(denied(p, "POST", "/web/form")).isEqualTo(ErrorCode.FORBIDDEN);
        assertThat(denied(p, "GET", "/web/admin/panel.html")).isEqualTo(ErrorCode.FORBIDDEN);
        assertThat(denied(p, "GET", "/webx")).isEqualTo(ErrorCode.FORBIDDEN);
    }

    @Test
    void httpVerbsCountUnderAtHttpOnly() throws Exception {
        Permissions p = of("{'/@HTTP/app/**': {'actions': ['get', 'post']},"
                + "'/data/**': {'actions': ['post', 'delete', 'put']}}");
        assertThat(denied(p, "GET", "/app/index.html")).isNull();
        assertThat(denied(p, "POST", "/app/form")).isNull();
        assertThat(denied(p, "PUT", "/app/form")).isEqualTo(ErrorCode.FORBIDDEN);
        assertThat(denied(p, "GET", "/other.html")).isEqualTo(ErrorCode.FORBIDDEN);
        // "post"/"delete"/"put" on a data pattern grant nothing: no data op and no HTTP route.
        for (Action a : Action.values()) {
            assertThat(p.allows("/data/x", a)).as(a.wire()).isFalse();
        }
        assertThat(denied(p, "POST", "/data/x")).isEqualTo(ErrorCode.FORBIDDEN);
        // an HTTP verb never allows a data op on /@HTTP paths either
        assertThat(p.allows("/@HTTP/app/form", Action.SET)).isFalse();
        assertThat(p.allows("/@HTTP/app/form", Action.PUBLISH)).isFalse();
    }

    @Test
    void headIsAllowedByGetOrHeadAndProhibitionsWin() throws Exception {
        Permissions p = of("{'/@HTTP/**': {'actions': ['get']}, '/@HTTP/private/**': {'prohibit': ['get']},"
                + "'/@HTTP/meta/**': {'actions': ['head'], 'prohibit': ['get']}}");
        assertThat(denied(p, "HEAD", "/a.css")).isNull();
        assertThat(denied(p, "GET", "/private/a")).isEqualTo(ErrorCode.FORBIDDEN);
        assertThat(denied(p, "HEAD", "/private/a")).isEqualTo(ErrorCode.FORBIDDEN);
        assertThat(denied(p, "HEAD", "/meta/x")).isNull();
        assertThat(denied(p, "GET", "/meta/x")).isEqualTo(ErrorCode.FORBIDDEN);
        assertThat(denied(p, "TRACE", "/a")).isEqualTo(ErrorCode.BAD_REQUEST);
    }

    @Test
    void starAndAdminGrantEveryVerbAndTheRootMapsToAtHttp() throws Exception {
        Permissions star = of("{'/@HTTP/**': {'actions': ['*']}}");
        assertThat(denied(star, "DELETE", "/x")).isNull();
        assertThat(denied(star, "GET", "/")).as("/ is /@HTTP, which /@HTTP/** does not match").isEqualTo(ErrorCode.FORBIDDEN);
        assertThat(HttpRouteAccess.pathOf("/")).isEqualTo("/@HTTP");
        assertThat(HttpRouteAccess.pathOf("/a/b.js")).isEqualTo("/@HTTP/a/b.js");
        assertThat(denied(Permissions.ALL, "PATCH", "/")).isNull();
        assertThat(denied(Permissions.NONE, "GET", "/x")).isEqualTo(ErrorCode.FORBIDDEN);
    }

    @Test
    void scopesMayNameHttpVerbsOnAtHttp() {
        assertThat(PermissionCompiler.scopeRule("@HTTP/app:post")).isNotNull();
        assertThat(PermissionCompiler.scopeRule("news:post")).isNull();
    }

    @Test
    void theAdminApiAcceptsHttpVerbsOnlyUnderAtHttp() throws Exception {
        SecurityAdmin.checkPermissions(perms("{'/@HTTP/**': {'actions': ['get', 'head', 'post', 'options']}}"), "permissions");
        assertThatThrownBy(() -> SecurityAdmin.checkPermissions(perms("{'/data/**': {'actions': ['post']}}"), "permissions"))
                .isInstanceOf(SwitchboardException.class)
                .hasMessageContaining("permissions./data/**.actions").hasMessageContaining("only on patterns under /@HTTP/");
    }
}
