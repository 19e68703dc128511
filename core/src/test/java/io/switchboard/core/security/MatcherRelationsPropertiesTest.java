package io.switchboard.core.security;

import io.switchboard.core.path.GlobPattern;
import io.switchboard.core.path.PathMatcher;
import io.switchboard.core.path.Pattern;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Assume;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@link MatcherRelations} never errs on the unsafe side: when it says one matcher covers
 * another, every sampled path of the inner one matches the outer; when it says two do not
 * intersect, no sampled path matches both. Sampled: every path of up to four segments over a
 * small alphabet, so matches are frequent.
 */
class MatcherRelationsPropertiesTest {
    static final List<String> PATHS = new ArrayList<>();

    static {
        List<String> level = List.of("");
        for (int depth = 1; depth <= 4; depth++) {
            List<String> next = new ArrayList<>();
            for (String p : level) {
                for (String seg : List.of("a", "b", "ab", "c")) {
                    next.add(p + "/" + seg);
                }
            }
            PATHS.addAll(next);
            level = next;
        }
    }

    @Provide
    Arbitrary<PathMatcher> matchers() {
        Arbitrary<List<String>> body = Arbitraries.of("a", "b", "ab", "*").list().ofMinSize(1).ofMaxSize(3);
        Arbitrary<PathMatcher> patterns = Combinators.combine(body, Arbitraries.of(true, false)).as((segs, open) -> {
            List<String> l = new ArrayList<>(segs);
            if (open) {
                l.add("**");
            }
            return Pattern.compile("/" + String.join("/", l), "p");
        });
        Arbitrary<PathMatcher> globs = Arbitraries.of("a", "b", "/", "*", "ab").list().ofMinSize(1).ofMaxSize(6)
                .map(l -> "/" + String.join("", l))
                .filter(s -> !s.contains("//") && !s.endsWith("/"))
                .map(s -> GlobPattern.compile(s, "p"));
        return Arbitraries.oneOf(patterns, globs, Arbitraries.of(Pattern.compile("*", "p"), GlobPattern.compile("*", "p")));
    }

    @Property(tries = 3000)
    void coversIsNeverTooGenerous(@ForAll("matchers") PathMatcher outer, @ForAll("matchers") PathMatcher inner) {
        Assume.that(MatcherRelations.covers(outer, inner));
        for (String p : PATHS) {
            if (inner.matches(p)) {
                assertThat(outer.matches(p)).as("%s covers %s, yet not %s", outer, inner, p).isTrue();
            }
        }
    }

    @Property(tries = 3000)
    void disjointIsNeverClaimedWrongly(@ForAll("matchers") PathMatcher a, @ForAll("matchers") PathMatcher b) {
        Assume.that(!MatcherRelations.intersects(a, b));
        for (String p : PATHS) {
            assertThat(a.matches(p) && b.matches(p)).as("%s and %s both match %s", a, b, p).isFalse();
        }
    }
}
