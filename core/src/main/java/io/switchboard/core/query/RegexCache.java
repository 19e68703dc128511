package io.switchboard.core.query;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** Compiled {@code $regex} patterns, shared by the in-memory matcher and store SQL functions. */
public final class RegexCache {
    private static final int MAX = 1024;
    private static final Map<String, java.util.regex.Pattern> CACHE = new ConcurrentHashMap<>();

    private RegexCache() {
    }

    /** Compiles with mongo flags {@code imsx}; throws {@link java.util.regex.PatternSyntaxException}. */
    public static java.util.regex.Pattern compile(String pattern, String flags) {
        String key = flags + "/" + pattern;
        java.util.regex.Pattern p = CACHE.get(key);
        if (p == null) {
            int f = 0;
            for (char c : flags.toCharArray()) {
                f |= switch (c) {
                    case 'i' -> java.util.regex.Pattern.CASE_INSENSITIVE | java.util.regex.Pattern.UNICODE_CASE;
                    case 'm' -> java.util.regex.Pattern.MULTILINE;
                    case 's' -> java.util.regex.Pattern.DOTALL;
                    case 'x' -> java.util.regex.Pattern.COMMENTS;
                    default -> 0;
                };
            }
            p = java.util.regex.Pattern.compile(pattern, f);
            if (CACHE.size() >= MAX) {
                CACHE.clear();
            }
            CACHE.put(key, p);
        }
        return p;
    }
}
