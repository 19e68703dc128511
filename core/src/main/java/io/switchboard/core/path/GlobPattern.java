package io.switchboard.core.path;

/**
 * happn-3's glob matching (see shared/reference/happn.md): {@code *} matches any run of
 * characters, slashes included, so {@code /w/*} matches {@code /w/1/2/3} and {@code /w/a*}
 * matches {@code /w/ab}. Used by the happn adapter for get/remove/count and permissions.
 */
public final class GlobPattern implements PathMatcher {
    private final String text;
    private final String[] parts;

    private GlobPattern(String text) {
        this.text = text;
        this.parts = text.split("\\*", -1);
    }

    /** Parses a glob; the text is normalized like a path, {@code *} may appear anywhere. */
    public static GlobPattern compile(String raw, String field) {
        if (raw != null && raw.equals("*")) {
            return new GlobPattern("*");
        }
        String text = Paths.normalize(raw, field);
        return new GlobPattern(text);
    }

    @Override
    public String text() {
        return text;
    }

    @Override
    public Mode mode() {
        return Mode.GLOB;
    }

    @Override
    public boolean isExact() {
        return parts.length == 1;
    }

    @Override
    public String literalPrefix() {
        return parts[0];
    }

    @Override
    public boolean matches(String path) {
        if (parts.length == 1) {
            return text.equals(path);
        }
        if (!path.startsWith(parts[0])) {
            return false;
        }
        String last = parts[parts.length - 1];
        if (path.length() < parts[0].length() + last.length() || !path.endsWith(last)) {
            return false;
        }
        // Greedy-free scan: place each middle part at its earliest position after the previous one.
        int pos = parts[0].length();
        int end = path.length() - last.length();
        for (int i = 1; i < parts.length - 1; i++) {
            String part = parts[i];
            if (part.isEmpty()) {
                continue;
            }
            int at = path.indexOf(part, pos);
            if (at < 0 || at + part.length() > end) {
                return false;
            }
            pos = at + part.length();
        }
        return pos <= end;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof GlobPattern g && g.text.equals(text);
    }

    @Override
    public int hashCode() {
        return text.hashCode() * 31 + 1;
    }

    @Override
    public String toString() {
        return "glob:" + text;
    }
}
