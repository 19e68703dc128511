package io.switchboard.core.security;

import io.switchboard.core.op.Request;
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

    /** The tenant-local form of a mapped matcher (inverse of {@link #toGlobal(String, PathMatcher)}). */
    static PathMatcher toLocal(String prefix, PathMatcher m) {
        if (prefix == null) {
            return m;
        }
        String t = m.text();
        if (m instanceof Pattern) {
            return t.equals(prefix + "/**") ? Pattern.compile("*", "pattern") : Pattern.compile(t.substring(prefix.length()), "pattern");
        }
        return GlobPattern.compile(t.substring(prefix.length()), "pattern");
    }

    /** {@code r} with every path and pattern mapped under {@code prefix} (r itself without one). */
    static Request toGlobal(String prefix, Request r) {
        if (prefix == null) {
            return r;
        }
        if (r instanceof Request.Get g) {
            return new Request.Get(toGlobal(prefix, g.target()), g.criteria(), g.fields(), g.sort(), g.limit(), g.skip(),
                    g.pathsOnly());
        } else if (r instanceof Request.Count c) {
            return new Request.Count(toGlobal(prefix, c.target()), c.criteria());
        } else if (r instanceof Request.Set s) {
            return new Request.Set(toGlobal(prefix, s.path()), s.data(), s.merge(), s.ifVersion(), s.noPublish(), s.noStore(),
                    s.meta(), s.targetSessions(), s.consistency(), s.ackTimeoutMs());
        } else if (r instanceof Request.Increment i) {
            return i.at(toGlobal(prefix, i.path()));
        } else if (r instanceof Request.Remove rm) {
            return new Request.Remove(toGlobal(prefix, rm.target()), rm.meta(), rm.noPublish(), rm.targetSessions(),
                    rm.consistency(), rm.ackTimeoutMs());
        } else if (r instanceof Request.Publish p) {
            return new Request.Publish(toGlobal(prefix, p.path()), p.data(), p.meta(), p.at(), p.targetSessions(),
                    p.consistency(), p.ackTimeoutMs());
        } else if (r instanceof Request.Subscribe s) {
            return new Request.Subscribe(toGlobal(prefix, s.pattern()), s.events(), s.count(), s.snapshot(), s.sinceOffset(),
                    s.sinceEpoch(), s.mergeOnly(), s.meta());
        } else if (r instanceof Request.Unsubscribe u) {
            return u.pattern() == null ? u : new Request.Unsubscribe(null, toGlobal(prefix, u.pattern()));
        } else if (r instanceof Request.History h) {
            return new Request.History(toGlobal(prefix, h.pattern()), h.since(), h.until(), h.sinceTs(), h.untilTs(),
                    h.limit(), h.waitSeconds());
        }
        return r;
    }
}
