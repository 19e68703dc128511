package io.switchboard.core.path;

import io.switchboard.core.error.SwitchboardException;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A segment-wise pattern (SPEC section 2): {@code *} matches exactly one segment, a trailing
 * {@code **} one or more, the bare text {@code *} (no slash) everything, and {@code {name}} one segment bound to a
 * variable. A pattern without wildcards matches exactly its own path.
 */
public final class Pattern implements PathMatcher {
    /** Segment kinds, precomputed so matching does no string comparisons on wildcards. */
    enum Kind { LITERAL, STAR, BIND, DOUBLE_STAR }

    private final String text;
    private final String[] segments;
    private final Kind[] kinds;
    private final boolean everything;
    private final boolean exact;

    private Pattern(String text, String[] segments, Kind[] kinds, boolean everything) {
        this.text = text;
        this.segments = segments;
        this.kinds = kinds;
        this.everything = everything;
        boolean ex = !everything;
        for (Kind k : kinds) {
            ex &= k == Kind.LITERAL;
        }
        this.exact = ex;
    }

    /** Parses and validates a pattern; errors name {@code field}. */
    public static Pattern compile(String raw, String field) {
        if ("*".equals(raw)) {
            // '*' alone matches every path; '/*' is the one-segment pattern.
            return new Pattern("*", new String[] {"*"}, new Kind[] {Kind.STAR}, true);
        }
        String text = Paths.normalize(raw, field);
        String[] segs = Paths.segments(text);
        Kind[] kinds = new Kind[segs.length];
        for (int i = 0; i < segs.length; i++) {
            String s = segs[i];
            if (s.equals("*")) {
                kinds[i] = Kind.STAR;
            } else if (s.equals("**")) {
                if (i != segs.length - 1) {
                    throw SwitchboardException.badRequest(field, "may use '**' only as the last segment");
                }
                kinds[i] = Kind.DOUBLE_STAR;
            } else if (s.length() > 2 && s.charAt(0) == '{' && s.charAt(s.length() - 1) == '}') {
                String name = s.substring(1, s.length() - 1);
                if (!name.matches("[A-Za-z_][A-Za-z0-9_]*")) {
                    throw SwitchboardException.badRequest(field, "has an invalid binding name '" + name + "'");
                }
                kinds[i] = Kind.BIND;
            } else if (s.indexOf('*') >= 0) {
                throw SwitchboardException.badRequest(field, "may use '*' only as a whole segment");
            } else {
                kinds[i] = Kind.LITERAL;
            }
        }
        return new Pattern(text, segs, kinds, false);
    }

    @Override
    public String text() {
        return text;
    }

    @Override
    public Mode mode() {
        return Mode.SEGMENT;
    }

    @Override
    public boolean isExact() {
        return exact;
    }

    /** True for the pattern {@code *}, which matches every path. */
    public boolean matchesEverything() {
        return everything;
    }

    /** True when the last segment is {@code **}. */
    public boolean isOpenEnded() {
        return kinds.length > 0 && kinds[kinds.length - 1] == Kind.DOUBLE_STAR;
    }

    int length() {
        return segments.length;
    }

    String segment(int i) {
        return segments[i];
    }

    Kind kind(int i) {
        return kinds[i];
    }

    @Override
    public boolean matches(String path) {
        if (everything) {
            return true;
        }
        if (exact) {
            return text.equals(path);
        }
        return matchSegments(Paths.segments(path), null);
    }

    /**
     * Binds {@code {name}} segments of this pattern to the matching segments of {@code path}.
     *
     * @return the bindings, or {@code null} when the path does not match
     */
    public Map<String, String> bind(String path) {
        Map<String, String> out = new LinkedHashMap<>();
        if (everything) {
            return out;
        }
        return matchSegments(Paths.segments(path), out) ? out : null;
    }

    private boolean matchSegments(String[] path, Map<String, String> bindings) {
        int n = segments.length;
        if (n > 0 && kinds[n - 1] == Kind.DOUBLE_STAR) {
            if (path.length < n) {
                return false;
            }
            n--;
        } else if (path.length != n) {
            return false;
        }
        for (int i = 0; i < n; i++) {
            switch (kinds[i]) {
                case LITERAL -> {
                    if (!segments[i].equals(path[i])) {
                        return false;
                    }
                }
                case BIND -> {
                    if (bindings != null) {
                        bindings.put(segments[i].substring(1, segments[i].length() - 1), path[i]);
                    }
                }
                default -> { }
            }
        }
        return true;
    }

    @Override
    public String literalPrefix() {
        if (everything) {
            return "";
        }
        if (exact) {
            return text;
        }
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < segments.length && kinds[i] == Kind.LITERAL; i++) {
            sb.append('/').append(segments[i]);
        }
        // Non-exact: every match has at least one more segment after the literal part.
        return sb.append('/').toString();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Pattern p && p.text.equals(text);
    }

    @Override
    public int hashCode() {
        return text.hashCode();
    }

    @Override
    public String toString() {
        return text;
    }
}
