package io.switchboard.core.security;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.switchboard.core.path.GlobPattern;
import io.switchboard.core.path.PathMatcher;
import io.switchboard.core.path.Pattern;

/**
 * Maps a tenant user's paths ({@code /x}) to the stored ones ({@code /t/{tenant}/x}) and back.
 * Patterns are mapped so they can never reach outside the prefix: {@code *} (everything) becomes
 * {@code /t/{tenant}/**}, and a glob is anchored under {@code /t/{tenant}/}.
 */
final class TenantPaths {
    private TenantPaths() {
    }

    static String toGlobal(String prefix, String path) {
        return prefix == null ? path : prefix + path;
    }

    /** The tenant-local form of a stored path, or null when it lies outside the prefix. */
    static String toLocal(String prefix, String path) {
        if (prefix == null) {
            return path;
        }
        if (path.length() > prefix.length() + 1 && path.startsWith(prefix) && path.charAt(prefix.length()) == '/') {
            return path.substring(prefix.length());
        }
        return null;
    }

    static PathMatcher toGlobal(String prefix, PathMatcher m) {
        if (prefix == null) {
            return m;
        }
        if (m instanceof Pattern p) {
            return p.matchesEverything() ? Pattern.compile(prefix + "/**", "pattern") : Pattern.compile(prefix + p.text(), "pattern");
        }
        String t = m.text();
        return GlobPattern.compile(prefix + (t.startsWith("/") ? t : "/" + t), "pattern");
    }

    static Pattern toGlobal(String prefix, Pattern p) {
        return (Pattern) toGlobal(prefix, (PathMatcher) p);
    }

    /** The tenant-local form of a mapped pattern (inverse of {@link #toGlobal(String, PathMatcher)}). */
    static Pattern toLocal(String prefix, Pattern p) {
        if (prefix == null) {
            return p;
        }
        String t = p.text();
        if (t.equals(prefix + "/**")) {
            return Pattern.compile("*", "pattern");
        }
        return Pattern.compile(t.substring(prefix.length()), "pattern");
    }

    /** Strips the prefix from {@code path} fields of a result: the object, {@code items[]}, {@code events[]}. */
    static JsonNode stripResult(String prefix, JsonNode result) {
        if (prefix == null || !(result instanceof ObjectNode o)) {
            return result;
        }
        stripPath(prefix, o);
        for (String list : new String[] {"items", "events"}) {
            if (o.get(list) instanceof ArrayNode a) {
                a.forEach(x -> {
                    if (x instanceof ObjectNode xo) {
                        stripPath(prefix, xo);
                    }
                });
            }
        }
        return o;
    }

    private static void stripPath(String prefix, ObjectNode o) {
        JsonNode p = o.get("path");
        if (p != null && p.isTextual()) {
            String local = toLocal(prefix, p.asText());
            if (local != null) {
                o.put("path", local);
            }
        }
    }
}
