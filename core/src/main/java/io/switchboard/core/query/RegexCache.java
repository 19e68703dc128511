package io.switchboard.core.query;

import com.google.re2j.Pattern;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Compiled {@code $regex} patterns, shared by the in-memory matcher and the stores. Patterns run
 * on RE2/J, whose matching time is linear in the input: a backtracking engine let one query such
 * as {@code (.*a){12}$} over a 26-character string burn 7.6 s of CPU, and four of them stalled
 * every reader. RE2 syntax has no backreferences or lookaround; such patterns are refused when
 * parsed.
 */
public final class RegexCache {
    private static final int MAX = 1024;
    private static final Map<String, Pattern> CACHE = new ConcurrentHashMap<>();

    private RegexCache() {
    }

    /**
     * Compiles with mongo flags {@code imsx} ({@code x}: whitespace and {@code #} comments outside
     * character classes are ignored); throws {@link com.google.re2j.PatternSyntaxException}.
     */
    public static Pattern compile(String pattern, String flags) {
        String key = flags + "/" + pattern;
        Pattern p = CACHE.get(key);
        if (p == null) {
            int f = 0;
            String source = pattern;
            for (char c : flags.toCharArray()) {
                switch (c) {
                    case 'i' -> f |= Pattern.CASE_INSENSITIVE;
                    case 'm' -> f |= Pattern.MULTILINE;
                    case 's' -> f |= Pattern.DOTALL;
                    case 'x' -> source = stripExtended(pattern);
                    default -> { }
                }
            }
            p = Pattern.compile(source, f);
            if (CACHE.size() >= MAX) {
                CACHE.clear();
            }
            CACHE.put(key, p);
        }
        return p;
    }

    /** True when {@code pattern} finds a match anywhere in {@code value}. */
    public static boolean find(String pattern, String flags, String value) {
        return compile(pattern, flags).matcher(value).find();
    }

    /** The extended ({@code x}) form without its insignificant whitespace and comments. */
    static String stripExtended(String p) {
        StringBuilder out = new StringBuilder(p.length());
        boolean inClass = false;
        for (int i = 0; i < p.length(); i++) {
            char c = p.charAt(i);
            if (c == '\\' && i + 1 < p.length()) {
                out.append(c).append(p.charAt(++i));
            } else if (inClass) {
                inClass = c != ']';
                out.append(c);
            } else if (c == '[') {
                inClass = true;
                out.append(c);
            } else if (c == '#') {
                while (i + 1 < p.length() && p.charAt(i + 1) != '\n') {
                    i++;
                }
            } else if (!Character.isWhitespace(c)) {
                out.append(c);
            }
        }
        return out.toString();
    }
}
