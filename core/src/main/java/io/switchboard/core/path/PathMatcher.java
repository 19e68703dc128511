package io.switchboard.core.path;

/**
 * Something that decides whether a normalized path matches: a segment {@link Pattern} or a
 * happn-style {@link GlobPattern}. Stores use {@link #literalPrefix()} to narrow a range scan
 * before testing each candidate with {@link #matches(String)}.
 */
public sealed interface PathMatcher permits Pattern, GlobPattern {
    /** The normalized text this matcher was compiled from. */
    String text();

    boolean matches(String path);

    /**
     * A prefix every matching path starts with ("" when none). Always ends before the first
     * wildcard, so it is safe for {@code path >= prefix AND path < prefix + '\uffff'} scans.
     */
    String literalPrefix();

    /** True when this matcher names exactly one path (no wildcard). */
    boolean isExact();

    /** Matching mode, for stores that hand the matcher's text to a SQL function. */
    Mode mode();

    /** The two matching modes of SPEC section 2. */
    enum Mode { SEGMENT, GLOB }

    /** Compiles {@code text} in the given mode; {@code field} is named in errors. */
    static PathMatcher compile(Mode mode, String text, String field) {
        return mode == Mode.SEGMENT ? Pattern.compile(text, field) : GlobPattern.compile(text, field);
    }
}
