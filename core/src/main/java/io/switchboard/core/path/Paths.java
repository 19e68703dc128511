package io.switchboard.core.path;

import io.switchboard.core.error.SwitchboardException;

import java.nio.charset.StandardCharsets;

/** Normalization and validation of document paths (SPEC section 2). */
public final class Paths {
    /** Longest path in UTF-8 bytes. */
    public static final int MAX_BYTES = 1024;

    private Paths() {
    }

    /**
     * Normalizes {@code raw} to {@code /seg/seg}: adds the leading slash, drops a trailing one and
     * empty segments. Rejects control characters, lone UTF-16 surrogates, {@code .}/{@code ..} segments and over-long paths.
     *
     * @param field the request field named in the error
     */
    public static String normalize(String raw, String field) {
        if (raw == null) {
            throw SwitchboardException.badRequest(field, "is required");
        }
        // A lone surrogate would be stored as '?' or U+FFFD: another path than the one checked.
        io.switchboard.core.json.JsonText.requireWellFormed(raw, field);
        StringBuilder out = new StringBuilder(raw.length() + 1);
        int i = 0;
        int n = raw.length();
        while (i < n) {
            while (i < n && raw.charAt(i) == '/') {
                i++;
            }
            int start = i;
            while (i < n && raw.charAt(i) != '/') {
                char c = raw.charAt(i);
                if (c < 0x20 || c == 0x7f) {
                    throw SwitchboardException.badRequest(field, "contains a control character");
                }
                i++;
            }
            if (i > start) {
                String seg = raw.substring(start, i);
                if (seg.equals(".") || seg.equals("..")) {
                    throw SwitchboardException.badRequest(field, "must not contain '.' or '..' segments");
                }
                out.append('/').append(seg);
            }
        }
        if (out.length() == 0) {
            out.append('/');
        }
        String path = out.toString();
        if (path.getBytes(StandardCharsets.UTF_8).length > MAX_BYTES) {
            throw SwitchboardException.badRequest(field, "is longer than " + MAX_BYTES + " bytes of UTF-8 (the fixed limit of every path and pattern)");
        }
        return path;
    }

    /** Normalizes a path that will be written: no wildcards, not the root. */
    public static String writable(String raw, String field) {
        String path = normalize(raw, field);
        if (path.equals("/")) {
            throw SwitchboardException.badRequest(field, "must name a document, not the root");
        }
        if (path.indexOf('*') >= 0) {
            throw SwitchboardException.badRequest(field, "must not contain '*' in a written path");
        }
        if (path.indexOf('{') >= 0 && isBinding(path)) {
            throw SwitchboardException.badRequest(field, "must not contain a {name} binding in a written path");
        }
        return path;
    }

    /** True when the (normalized) text has a wildcard or binding segment, so it names a pattern. */
    public static boolean isPattern(String normalized) {
        return normalized.indexOf('*') >= 0 || (normalized.indexOf('{') >= 0 && isBinding(normalized));
    }

    /** Number of segments of a normalized path; the root has 0. */
    public static int depth(String normalized) {
        if (normalized.equals("/")) {
            return 0;
        }
        int d = 0;
        for (int i = 0; i < normalized.length(); i++) {
            if (normalized.charAt(i) == '/') {
                d++;
            }
        }
        return d;
    }

    /** Splits a normalized path into its segments. */
    public static String[] segments(String normalized) {
        if (normalized.equals("/")) {
            return new String[0];
        }
        return normalized.substring(1).split("/", -1);
    }

    private static boolean isBinding(String path) {
        for (String seg : segments(path)) {
            if (seg.length() > 2 && seg.charAt(0) == '{' && seg.charAt(seg.length() - 1) == '}') {
                return true;
            }
        }
        return false;
    }
}
