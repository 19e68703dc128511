package io.switchboard.core.security;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.switchboard.core.error.SwitchboardException;
import io.switchboard.core.json.Json;
import io.switchboard.core.path.GlobPattern;
import io.switchboard.core.path.PathMatcher;
import io.switchboard.core.path.Pattern;
import io.switchboard.core.session.Principal;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Permission paths written as globs ({@code pathSyntax: glob}, happn-3's form) and their relations to requests. */
class GlobPermissionsTest {
    private static Pattern p(String s) {
        return Pattern.compile(s, "p");
    }

    private static GlobPattern g(String s) {
        return GlobPattern.compile(s, "p");
    }

    private static ObjectNode perms(String json) throws Exception {
        return (ObjectNode) Json.parse(json.replace('\'', '"'));
    }

    static final Principal ANN = new Principal("u1", "ann", null, List.of("happn"), List.of());

    Permissions compile(String groupJson) throws Exception {
        Group group = new Group("happn", perms(groupJson), PathMatcher.Mode.GLOB);
        return PermissionCompiler.compile(ANN, null, Map.of("happn", group)::get);
    }

    @Test
    void aGlobStarCrossesSlashesAndOnIsSubscribe() throws Exception {
        Permissions perms = compile("{'/allowed/*': {'actions': ['get','set','on']},"
                + "'/allowed/secret*': {'prohibit': ['get']}, '/users/*/profile': {'actions': ['get']}}");
        assertThat(perms.allows("/allowed/a", Action.SET)).isTrue();
        assertThat(perms.allows("/allowed/a/b/c", Action.GET)).isTrue();
        assertThat(perms.allows("/allowed/a", Action.SUBSCRIBE)).isTrue();
        assertThat(perms.allows("/allowed/a", Action.REMOVE)).isFalse();
        assertThat(perms.allows("/allowed", Action.GET)).isFalse();
        assertThat(perms.allows("/allowedx", Action.GET)).isFalse();
        assertThat(perms.allows("/allowed/secret/x", Action.GET)).isFalse();
        assertThat(perms.allows("/allowed/secrets", Action.SET)).isTrue();
        assertThat(perms.allows("/users/ann/profile", Action.GET)).isTrue();
        assertThat(perms.allows("/users/a/b/profile", Action.GET)).isTrue();
        assertThat(perms.allows("/users/ann/other", Action.GET)).isFalse();
    }

    @Test
    void requestsInsideAGlobAreCoveredAndThoseAcrossAProhibitionAreNot() throws Exception {
        Permissions perms = compile("{'/allowed/*': {'actions': ['get','on']}, '/allowed/secret*': {'prohibit': ['get']},"
                + "'/users/*/profile': {'actions': ['get']}}");
        assertThat(perms.covers(p("/allowed/x/*"), Action.SUBSCRIBE)).isTrue();
        assertThat(perms.covers(p("/allowed/x/**"), Action.GET)).isTrue();
        assertThat(perms.covers(g("/allowed/x/*"), Action.GET)).isTrue();
        assertThat(perms.covers(p("/users/*/profile"), Action.GET)).isTrue();
        assertThat(perms.covers(p("/users/{id}/profile"), Action.GET)).isTrue();
        assertThat(perms.covers(p("/users/*/other"), Action.GET)).isFalse();
        // crosses the prohibition: not covered, yet reachable (a filtered read), not forbidden
        assertThat(perms.covers(p("/allowed/**"), Action.GET)).isFalse();
        assertThat(perms.reaches(p("/allowed/**"), Action.GET)).isTrue();
        assertThat(perms.reaches(p("/allowed/secret/**"), Action.GET)).isFalse();
        assertThat(perms.touches(p("/elsewhere/**"), Action.GET)).isFalse();
        assertThat(perms.touches(g("/else*"), Action.GET)).isFalse();
    }

    @Test
    void templatesExpandInGlobPathsAndUnsafeValuesDropTheRule() throws Exception {
        Permissions perms = compile("{'/home/{{user.username}}/*': {'actions': ['*']}}");
        assertThat(perms.allows("/home/ann/a/b", Action.REMOVE)).isTrue();
        assertThat(perms.allows("/home/bob/a", Action.GET)).isFalse();
        Principal star = new Principal("u3", "x*", null, List.of("happn"), List.of());
        Group group = new Group("happn", perms("{'/home/{{user.username}}/*': {'actions': ['*']}}"), PathMatcher.Mode.GLOB);
        assertThat(PermissionCompiler.compile(star, null, Map.of("happn", group)::get).allows("/home/xy/a", Action.GET)).isFalse();
    }

    @Test
    void theSameTextAsSegmentPatternsMeansOneSegment() throws Exception {
        Group group = new Group("happn", perms("{'/allowed/*': {'actions': ['get']}}"));
        Permissions perms = PermissionCompiler.compile(ANN, null, Map.of("happn", group)::get);
        assertThat(perms.allows("/allowed/a", Action.GET)).isTrue();
        assertThat(perms.allows("/allowed/a/b", Action.GET)).isFalse();
    }

    @Test
    void aUsersOwnPermissionsMayBeGlobsToo() throws Exception {
        Principal bob = new Principal("u2", "bob", null, List.of(), List.of());
        Permissions perms = PermissionCompiler.compile(bob, perms("{'/b/*': {'actions': ['get']}}"), PathMatcher.Mode.GLOB, n -> null);
        assertThat(perms.allows("/b/c/d", Action.GET)).isTrue();
    }

    @Test
    void relationsBetweenGlobsAndPatterns() {
        assertThat(MatcherRelations.covers(g("/a/*"), p("/a/**"))).isTrue();
        assertThat(MatcherRelations.covers(g("/a/*"), g("/a/b*"))).isTrue();
        assertThat(MatcherRelations.covers(g("/a/b*"), g("/a/*"))).isFalse();
        assertThat(MatcherRelations.covers(g("/a/*/c"), p("/a/*/*"))).isFalse();
        assertThat(MatcherRelations.covers(g("*"), p("*"))).isTrue();
        assertThat(MatcherRelations.covers(g("/*"), p("*"))).isFalse();
        assertThat(MatcherRelations.covers(p("/a/**"), g("/a/b*"))).isTrue();
        assertThat(MatcherRelations.covers(p("/a/**"), g("/a*"))).isFalse();
        assertThat(MatcherRelations.covers(p("/a/*"), g("/a/b*"))).isFalse();
        assertThat(MatcherRelations.intersects(g("/a/*"), p("/b/**"))).isFalse();
        assertThat(MatcherRelations.intersects(g("/a*"), p("/ab/**"))).isTrue();
        assertThat(MatcherRelations.intersects(g("/a/*/x"), p("/a/b/x"))).isTrue();
        assertThat(MatcherRelations.intersects(g("/a/*/x"), p("/a/b/y"))).isFalse();
    }

    @Test
    void pathSyntaxIsReadAndWrittenWithTheGroup() throws Exception {
        Group glob = Group.fromJson(perms("{'name':'h','pathSyntax':'glob','permissions':{}}"));
        assertThat(glob.pathSyntax()).isEqualTo(PathMatcher.Mode.GLOB);
        assertThat(glob.toJson().path("pathSyntax").asText()).isEqualTo("glob");
        Group plain = Group.fromJson(perms("{'name':'n','permissions':{}}"));
        assertThat(plain.pathSyntax()).isEqualTo(PathMatcher.Mode.SEGMENT);
        assertThat(plain.toJson().has("pathSyntax")).isFalse();
        assertThatThrownBy(() -> Group.fromJson(perms("{'name':'x','pathSyntax':'regex'}")))
                .isInstanceOf(SwitchboardException.class).hasMessageContaining("pathSyntax");
        User u = User.fromJson(perms("{'id':'i','username':'u','pathSyntax':'glob'}"));
        assertThat(u.pathSyntax()).isEqualTo(PathMatcher.Mode.GLOB);
        assertThat(u.withRevoked(true).pathSyntax()).isEqualTo(PathMatcher.Mode.GLOB);
    }
}
