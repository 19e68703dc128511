package io.switchboard.core.path;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Both matching modes checked on generated paths against an independent oracle: a regular
 * expression written straight from the rules in SPEC section 2 and shared/reference/happn.md.
 * A small alphabet makes matches frequent enough to be meaningful.
 */
class PatternPropertiesTest {
    /** SPEC: {@code *} one segment, trailing {@code **} one or more, {@code *} alone everything. */
    static String segmentRegex(String pattern) {
        if (pattern.equals("*")) {
            return ".*";
        }
        String[] segs = pattern.substring(1).split("/");
        StringBuilder re = new StringBuilder();
        for (int i = 0; i < segs.length; i++) {
            String s = segs[i];
            if (s.equals("**") && i == segs.length - 1) {
                re.append("(/[^/]+)+");
            } else if (s.equals("*")) {
                re.append("/[^/]+");
            } else {
                re.append("/").append(java.util.regex.Pattern.quote(s));
            }
        }
        return re.toString();
    }

    /** happn: {@code *} matches any run of characters including '/'. */
    static String globRegex(String glob) {
        String[] parts = glob.split("\\*", -1);
        StringBuilder re = new StringBuilder();
        for (int i = 0; i < parts.length; i++) {
            if (i > 0) {
                re.append(".*");
            }
            re.append(java.util.regex.Pattern.quote(parts[i]));
        }
        return re.toString();
    }

    @Provide
    Arbitrary<String> paths() {
        return Arbitraries.of("a", "b", "ab", "c").list().ofMinSize(1).ofMaxSize(5)
                .map(l -> "/" + String.join("/", l));
    }

    @Provide
    Arbitrary<String> segmentPatterns() {
        Arbitrary<List<String>> body = Arbitraries.of("a", "b", "ab", "*").list().ofMinSize(1).ofMaxSize(4);
        Arbitrary<Boolean> open = Arbitraries.of(true, false);
        return Combinators.combine(body, open).as((segs, o) -> {
            List<String> l = new ArrayList<>(segs);
            if (o) {
                l.add("**");
            }
            return "/" + String.join("/", l);
        });
    }

    @Provide
    Arbitrary<String> globs() {
        return Arbitraries.of("a", "b", "/", "*", "ab").list().ofMinSize(1).ofMaxSize(6)
                .map(l -> "/" + String.join("", l))
                .filter(s -> !s.contains("//") && !s.endsWith("/") && !s.contains("/./"));
    }

    @Property(tries = 2000)
    void segmentModeAgreesWithTheRules(@ForAll("segmentPatterns") String pattern, @ForAll("paths") String path) {
        boolean expected = path.matches(segmentRegex(pattern));
        assertThat(Pattern.compile(pattern, "p").matches(path)).as("%s ~ %s", pattern, path).isEqualTo(expected);
    }

    @Property(tries = 2000)
    void globModeAgreesWithTheRules(@ForAll("globs") String glob, @ForAll("paths") String path) {
        boolean expected = path.matches(globRegex(glob));
        assertThat(GlobPattern.compile(glob, "p").matches(path)).as("%s ~ %s", glob, path).isEqualTo(expected);
    }

    @Property(tries = 1000)
    void everyMatchStartsWithTheLiteralPrefix(@ForAll("segmentPatterns") String pattern, @ForAll("paths") String path) {
        Pattern p = Pattern.compile(pattern, "p");
        if (p.matches(path)) {
            assertThat(path).startsWith(p.literalPrefix());
        }
    }

    @Property(tries = 300)
    void globModeIsAtLeastAsWideAsSegmentModeForSingleStars(@ForAll("paths") String path) {
        // '*' in happn globs crosses '/', so any path a one-segment '*' matches, the glob matches too.
        for (String pattern : List.of("/a/*", "/*/b", "/a/*/c")) {
            if (Pattern.compile(pattern, "p").matches(path)) {
                assertThat(GlobPattern.compile(pattern, "p").matches(path)).isTrue();
            }
        }
    }

    @Property(tries = 300)
    void indexFindsExactlyTheMatchingPatterns(@ForAll("patternSets") List<String> patterns, @ForAll("paths") String path) {
        PatternIndex<String> index = new PatternIndex<>();
        for (String p : patterns) {
            index.add(Pattern.compile(p, "p"), p);
        }
        Set<String> found = new HashSet<>();
        index.match(path, found::add);
        Set<String> expected = new HashSet<>();
        for (String p : patterns) {
            if (Pattern.compile(p, "p").matches(path)) {
                expected.add(p);
            }
        }
        assertThat(found).isEqualTo(expected);
        // Removing everything empties the index.
        for (String p : patterns) {
            index.remove(Pattern.compile(p, "p"), p);
        }
        assertThat(index.size()).isZero();
        Set<String> none = new HashSet<>();
        index.match(path, none::add);
        assertThat(none).isEmpty();
    }

    @Provide
    Arbitrary<List<String>> patternSets() {
        return segmentPatterns().list().ofMinSize(1).ofMaxSize(20);
    }
}
