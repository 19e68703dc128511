package io.switchboard.core.security;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.switchboard.core.json.Json;
import io.switchboard.core.path.Pattern;
import io.switchboard.core.session.Principal;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class PermissionsTest {
    private static Pattern p(String s) {
        return Pattern.compile(s, "p");
    }

    private static ObjectNode perms(String json) throws Exception {
        return (ObjectNode) Json.parse(json.replace('\'', '"'));
    }

    @Test
    void patternRelations() {
        assertThat(PatternRelations.covers(p("/a/**"), p("/a/b/*"))).isTrue();
        assertThat(PatternRelations.covers(p("/a/**"), p("/a/**"))).isTrue();
        assertThat(PatternRelations.covers(p("/a/*"), p("/a/**"))).isFalse();
        assertThat(PatternRelations.covers(p("/a/**"), p("/*/b"))).isFalse();
        assertThat(PatternRelations.covers(p("*"), p("/x/**"))).isTrue();
        assertThat(PatternRelations.covers(p("/x/**"), p("*"))).isFalse();
        assertThat(PatternRelations.intersects(p("/a/secret/**"), p("/a/*"))).isFalse();
        assertThat(PatternRelations.intersects(p("/a/secret/**"), p("/a/**"))).isTrue();
        assertThat(PatternRelations.intersects(p("/*/b"), p("/a/*"))).isTrue();
        assertThat(PatternRelations.intersects(p("/a/b"), p("/a/b/c"))).isFalse();
    }

    @Test
    void denyWinsAndTemplatesExpandPerUser() throws Exception {
        Principal ann = new Principal("u1", "ann", "acme", List.of("g"), List.of("news:get"));
        Group g = new Group("g", perms("{'/home/{{user.username}}/**': {'actions': ['*']},"
                + "'/docs/**': {'actions': ['get','subscribe'], 'prohibit': []},"
                + "'/docs/secret/**': {'prohibit': ['get']},"
                + "'/t/{{tenant}}/x': {'actions': ['set']}}"));
        Permissions perms = PermissionCompiler.compile(ann, null, Map.of("g", g)::get);
        assertThat(perms.allows("/home/ann/notes", Action.SET)).isTrue();
        assertThat(perms.allows("/home/bob/notes", Action.GET)).isFalse();
        assertThat(perms.allows("/docs/a", Action.GET)).isTrue();
        assertThat(perms.allows("/docs/a", Action.SET)).isFalse();
        assertThat(perms.allows("/docs/secret/a", Action.GET)).isFalse();
        assertThat(perms.allows("/t/acme/x", Action.SET)).isTrue();
        assertThat(perms.allows("/news/today", Action.GET)).isTrue();
        assertThat(perms.allows("/news/today", Action.SET)).isFalse();
        assertThat(perms.covers(p("/docs/*"), Action.GET)).isTrue();
        assertThat(perms.covers(p("/docs/**"), Action.GET)).isFalse();
        assertThat(perms.touches(p("/docs/**"), Action.SUBSCRIBE)).isTrue();
        assertThat(perms.touches(p("/other/**"), Action.SUBSCRIBE)).isFalse();
    }

    @Test
    void missingTemplateValueDropsTheRule() throws Exception {
        Principal global = new Principal("u2", "bob", null, List.of(), List.of());
        Permissions perms = PermissionCompiler.compile(global, perms("{'/t/{{tenant}}/**': {'actions': ['*']}}"), n -> null);
        assertThat(perms.allows("/t/acme/x", Action.GET)).isFalse();
        assertThat(perms.allows("/t/x", Action.GET)).isFalse();
    }

    @Test
    void adminGroupAllowsEverythingAndNarrowingLimits() throws Exception {
        Principal admin = new Principal("a", "admin", null, List.of("admin"), List.of());
        Permissions all = PermissionCompiler.compile(admin, null, n -> null);
        assertThat(all.covers(p("*"), Action.REMOVE)).isTrue();
        Permissions narrowed = all.narrowedTo(PermissionCompiler.compile(perms("{'/ro/**': {'actions': ['get']}}"), admin));
        assertThat(narrowed.allows("/ro/x", Action.GET)).isTrue();
        assertThat(narrowed.allows("/ro/x", Action.SET)).isFalse();
        assertThat(narrowed.allows("/other", Action.GET)).isFalse();
    }
}
