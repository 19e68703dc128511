package io.switchboard.core.path;

import org.junit.jupiter.api.Test;

import java.util.Map;

import static io.switchboard.core.TestErrors.assertBad;
import static org.assertj.core.api.Assertions.assertThat;

class PatternTest {
    private static boolean m(String pattern, String path) {
        return Pattern.compile(pattern, "pattern").matches(path);
    }

    @Test
    void starMatchesExactlyOneSegment() {
        assertThat(m("/a/*", "/a/b")).isTrue();
        assertThat(m("/a/*", "/a/b/c")).isFalse();
        assertThat(m("/a/*", "/a")).isFalse();
        assertThat(m("/a/*/c", "/a/x/c")).isTrue();
        assertThat(m("/a/*/c", "/a/x/d")).isFalse();
    }

    @Test
    void trailingDoubleStarMatchesOneOrMore() {
        assertThat(m("/a/**", "/a/b")).isTrue();
        assertThat(m("/a/**", "/a/b/c/d")).isTrue();
        assertThat(m("/a/**", "/a")).isFalse();
        assertThat(m("/**", "/x")).isTrue();
    }

    @Test
    void starAloneMatchesEverything() {
        assertThat(m("*", "/a")).isTrue();
        assertThat(m("*", "/a/b/c")).isTrue();
        assertThat(Pattern.compile("*", "p").literalPrefix()).isEmpty();
    }

    @Test
    void exactPatternIsAPath() {
        Pattern p = Pattern.compile("a/b", "p");
        assertThat(p.isExact()).isTrue();
        assertThat(p.matches("/a/b")).isTrue();
        assertThat(p.matches("/a/b/c")).isFalse();
        assertThat(p.literalPrefix()).isEqualTo("/a/b");
    }

    @Test
    void bindingsCaptureSegments() {
        Pattern p = Pattern.compile("/users/{uid}/posts/{pid}", "p");
        assertThat(p.bind("/users/u1/posts/p9")).isEqualTo(Map.of("uid", "u1", "pid", "p9"));
        assertThat(p.bind("/users/u1/posts")).isNull();
        assertThat(p.matches("/users/u1/posts/p9")).isTrue();
    }

    @Test
    void literalPrefixStopsAtFirstWildcard() {
        assertThat(Pattern.compile("/a/b/*/c", "p").literalPrefix()).isEqualTo("/a/b/");
        assertThat(Pattern.compile("/a/**", "p").literalPrefix()).isEqualTo("/a/");
    }

    @Test
    void invalidPatternsNameTheField() {
        assertBad(() -> Pattern.compile("/a/**/b", "pattern"), "'pattern' may use '**' only as the last segment");
        assertBad(() -> Pattern.compile("/a/b*", "pattern"), "'pattern' may use '*' only as a whole segment");
        assertBad(() -> Pattern.compile("/a/{1x}", "pattern"), "binding name");
    }

    @Test
    void globCrossesSlashes() {
        GlobPattern g = GlobPattern.compile("/w/*", "path");
        assertThat(g.matches("/w/1/2/3")).isTrue();
        assertThat(g.matches("/w/1")).isTrue();
        assertThat(g.matches("/x/1")).isFalse();
        assertThat(GlobPattern.compile("/w/a*", "path").matches("/w/ab")).isTrue();
        assertThat(GlobPattern.compile("/w/a*", "path").matches("/w/ba")).isFalse();
        assertThat(GlobPattern.compile("/a/*/c", "path").matches("/a/x/y/c")).isTrue();
        assertThat(GlobPattern.compile("*", "path").matches("/anything/at/all")).isTrue();
        assertThat(GlobPattern.compile("/a/*b*c", "path").matches("/a/xxbyyc")).isTrue();
        assertThat(GlobPattern.compile("/a/*b*c", "path").matches("/a/xxcyyb")).isFalse();
        assertThat(GlobPattern.compile("/a/b", "path").isExact()).isTrue();
    }
}
