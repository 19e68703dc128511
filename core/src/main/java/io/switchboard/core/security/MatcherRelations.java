package io.switchboard.core.security;

import io.switchboard.core.path.GlobPattern;
import io.switchboard.core.path.PathMatcher;
import io.switchboard.core.path.Paths;
import io.switchboard.core.path.Pattern;

/**
 * {@link PatternRelations} widened to any {@link PathMatcher}: a permission rule or a request
 * may be a segment {@link Pattern} or a {@link GlobPattern} (whose {@code *} crosses {@code /}).
 * Between two segment patterns the answers are exact. With a glob on either side they err only
 * on the safe side for the permission checks: {@link #covers} may say false when the answer is
 * true (the request is then filtered or refused, never widened), and {@link #intersects} may say
 * true when it is false (a prohibition is then assumed to reach, never ignored).
 */
public final class MatcherRelations {
    private MatcherRelations() {
    }

    /** True when every path {@code inner} matches is known to be matched by {@code outer}. */
    static boolean covers(PathMatcher outer, PathMatcher inner) {
        if (outer instanceof Pattern o && inner instanceof Pattern i) {
            return PatternRelations.covers(o, i);
        }
        if (inner.isExact()) {
            return outer.matches(inner.text());
        }
        if (outer instanceof GlobPattern g) {
            // Read inner as a glob: each of its wildcards stands for some run of characters. If the
            // outer glob matches that text with inner's '*' only ever inside one of its own '*'
            // (its literal parts hold no '*'), then it matches whatever those runs are.
            return g.matches(globText(inner));
        }
        // A segment pattern around a glob: only an open prefix of literal segments, P/**, which
        // holds every path that starts with "P/".
        Pattern o = (Pattern) outer;
        if (o.matchesEverything()) {
            return true;
        }
        if (!o.isOpenEnded()) {
            return false;
        }
        String prefix = o.text().substring(0, o.text().length() - 2);
        return !prefix.contains("*") && !prefix.contains("{") && inner.literalPrefix().startsWith(prefix);
    }

    /**
     * False only when no path can match both; true whenever that is not known. A single path on
     * either side is a plain match, no pattern algebra (rule and permission checks of one path).
     */
    public static boolean intersects(PathMatcher a, PathMatcher b) {
        if (a.isExact()) {
            return b.matches(a.text());
        }
        if (b.isExact()) {
            return a.matches(b.text());
        }
        if (a instanceof Pattern x && b instanceof Pattern y) {
            return PatternRelations.intersects(x, y);
        }
        // Every path of each starts with its literal prefix: two prefixes neither of which
        // starts the other can share no path.
        String pa = a.literalPrefix();
        String pb = b.literalPrefix();
        return pa.startsWith(pb) || pb.startsWith(pa);
    }

    /** A segment pattern (or a glob) as glob text: every wildcard segment becomes {@code *}. */
    static String globText(PathMatcher m) {
        if (m instanceof GlobPattern) {
            return m.text();
        }
        Pattern p = (Pattern) m;
        if (p.matchesEverything()) {
            return "*";
        }
        StringBuilder sb = new StringBuilder();
        for (String seg : Paths.segments(p.text())) {
            boolean wild = seg.equals("*") || seg.equals("**") || (seg.startsWith("{") && seg.endsWith("}"));
            sb.append('/').append(wild ? "*" : seg);
        }
        return sb.toString();
    }
}
