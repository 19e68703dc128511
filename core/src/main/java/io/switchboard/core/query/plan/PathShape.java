package io.switchboard.core.query.plan;

import io.switchboard.core.path.GlobPattern;
import io.switchboard.core.path.PathMatcher;
import io.switchboard.core.path.Pattern;

import java.util.ArrayList;
import java.util.List;

/**
 * A path matcher as a wildcard string that SQL can test natively (SQLite {@code GLOB}, PostgreSQL
 * {@code LIKE}) plus a count of {@code /}: paths are normalized (no empty segments), so a segment
 * wildcard is a run of any characters whose slashes are pinned down by the count. {@code /a/*}
 * is "{@code /a/} then anything, with exactly two slashes"; {@code /a/**} the same with at least
 * two; a happn glob has no count.
 */
public sealed interface PathShape {
    /** Every path. */
    record Everything() implements PathShape { }

    record Exact(String path) implements PathShape { }

    /**
     * {@code parts} are the literal pieces between wildcards (a wildcard matches any run,
     * possibly empty, slashes included); {@code slashes} is the number of {@code /} a match has,
     * or at least has when {@code orMore}; -1 when unconstrained. {@code prefix} is
     * {@code parts.get(0)}, the range every match lies in.
     */
    record Wildcard(List<String> parts, int slashes, boolean orMore) implements PathShape {
        public Wildcard {
            parts = List.copyOf(parts);
        }

        public String prefix() {
            return parts.get(0);
        }
    }

    static PathShape of(PathMatcher m) {
        if (m instanceof Pattern p && p.matchesEverything()) {
            return new Everything();
        }
        if (m.isExact()) {
            return new Exact(m.text());
        }
        if (m instanceof GlobPattern g) {
            return new Wildcard(List.of(g.text().split("\\*", -1)), -1, false);
        }
        Pattern p = (Pattern) m;
        String[] segs = p.text().substring(1).split("/", -1);
        List<String> parts = new ArrayList<>();
        StringBuilder literal = new StringBuilder();
        for (String s : segs) {
            literal.append('/');
            boolean wildcard = s.equals("*") || s.equals("**") || (s.startsWith("{") && s.endsWith("}") && s.length() > 2);
            if (wildcard) {
                parts.add(literal.toString());
                literal.setLength(0);
            } else {
                literal.append(s);
            }
        }
        parts.add(literal.toString());
        return new Wildcard(parts, segs.length, p.isOpenEnded());
    }
}
