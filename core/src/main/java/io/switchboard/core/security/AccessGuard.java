package io.switchboard.core.security;

import io.switchboard.core.error.ErrorCode;
import io.switchboard.core.error.SwitchboardException;
import io.switchboard.core.model.Document;
import io.switchboard.core.op.Request;
import io.switchboard.core.path.GlobPattern;
import io.switchboard.core.path.PathMatcher;
import io.switchboard.core.path.Pattern;
import io.switchboard.core.pipeline.FilteredReads;
import io.switchboard.core.result.Result;

import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Predicate;
import java.util.function.UnaryOperator;

/**
 * Checks one request against a session's permissions (SPEC section 6), on the paths the client
 * sees (tenant-local; the tenant stage maps them afterwards).
 *
 * <ul>
 * <li>get/count/history need {@code get}, set (and merge) {@code set}, remove {@code remove},
 *     publish/cancel {@code publish}, subscribe {@code subscribe}.</li>
 * <li>Reads (get/count/history) of a pattern follow one rule with subscribe and SSE: what may
 *     not be read is left out ({@link #readFilter}, run by {@link FilteredReads} so
 *     {@code total}, {@code count} and {@code limit} count only readable paths); a pattern no
 *     path of which may be read is FORBIDDEN.</li>
 * <li>A pattern remove must be <em>fully covered</em>: one allow rule contains the whole
 *     pattern and no prohibition touches it; otherwise FORBIDDEN (a write never silently does
 *     less than asked).</li>
 * <li>A subscribe needs {@code subscribe} and {@code get} somewhere on its pattern; each event is then filtered by
 *     {@link SecurityEventFilter} ({@code get} and {@code subscribe} on the event's path), and the
 *     {@code initial} snapshot is filtered the same way on the way out.</li>
 * <li>{@code /_system/**} never appears in any result, admins included (they use
 *     {@link SecurityAdmin}): its paths are FORBIDDEN, a read of a pattern overlapping it leaves
 *     it out, a subscription never receives its events, a remove reaching it is FORBIDDEN.</li>
 * <li>Percent-encoded {@code /} or {@code \} in a path is BAD_REQUEST: such a segment would be a
 *     trap for any layer that decodes again.</li>
 * </ul>
 */
final class AccessGuard {
    private static final Pattern SYSTEM = Pattern.compile(SecurityDirectory.ROOT + "/**", "pattern");
    private static final Pattern EVERYTHING = Pattern.compile("*", "pattern");

    /** Where a scheduled publish went, so its cancel can be checked against the publish's path. */
    private record ScheduledAt(String tenantPrefix, String localPath) { }

    private final Map<String, ScheduledAt> scheduled = new ConcurrentHashMap<>();

    /**
     * Throws FORBIDDEN (or BAD_REQUEST for smuggled encodings) unless {@code r} is permitted;
     * returns how to filter its result on the way out, or null for nothing to do.
     */
    UnaryOperator<Result> check(SessionAuth auth, Permissions perms, Request r) {
        String prefix = auth.tenantPrefix();
        if (r instanceof Request.Get || r instanceof Request.Count || r instanceof Request.History) {
            throw new IllegalArgumentException("reads are checked by readFilter");
        } else if (r instanceof Request.Set s) {
            writable(prefix, perms, s.path(), Action.SET);
        } else if (r instanceof Request.Increment i) {
            writable(prefix, perms, i.path(), Action.SET);
        } else if (r instanceof Request.Remove rm) {
            removable(prefix, perms, rm.target(), Action.REMOVE);
        } else if (r instanceof Request.Publish p) {
            writable(prefix, perms, p.path(), Action.PUBLISH);
            return res -> {
                if (res instanceof Result.Scheduled s) {
                    scheduled.put(s.id(), new ScheduledAt(prefix, p.path()));
                }
                return res;
            };
        } else if (r instanceof Request.Cancel c) {
            ScheduledAt at = scheduled.get(c.eventId());
            boolean ok = at != null ? java.util.Objects.equals(at.tenantPrefix, prefix) && perms.allows(at.localPath, Action.PUBLISH)
                    : prefix == null && perms.covers(EVERYTHING, Action.PUBLISH);
            if (!ok) {
                throw forbidden();
            }
            return res -> {
                scheduled.remove(c.eventId());
                return res;
            };
        } else if (r instanceof Request.Subscribe s) {
            // The read rule: a pattern nothing of which may be read is refused, else filtered.
            if (!perms.reaches(s.pattern(), Action.SUBSCRIBE) || !perms.reaches(s.pattern(), Action.GET)
                    || (prefix == null && withinSystem(s.pattern()))) {
                throw forbidden();
            }
            boolean covered = perms.covers(s.pattern(), Action.GET) && !(prefix == null && touchesSystem(s.pattern()));
            return covered ? null : res -> res instanceof Result.Subscribed sub
                    ? sub.filterItems(d -> readable(prefix, perms, d)) : res;
        }
        // ack, ping, connect, unsubscribe: nothing to check
        return null;
    }

    /**
     * Checks a get, count or history on {@code target}: FORBIDDEN when no path of it may be read
     * (or it lies inside {@code /_system}); null when every path of it may be read; otherwise the
     * paths that may be read, for {@link FilteredReads} to keep.
     */
    Predicate<String> readFilter(SessionAuth auth, Permissions perms, PathMatcher target) {
        String prefix = auth.tenantPrefix();
        checkEncoding(target.text());
        if (target.isExact()) {
            if ((prefix == null && isSystem(target.text())) || !perms.allows(target.text(), Action.GET)) {
                throw forbidden();
            }
            return null;
        }
        // A tenant's paths all map under /t/{tenant}, which can never reach /_system.
        boolean system = prefix == null && touchesSystem(target);
        if ((system && withinSystem(target)) || !perms.reaches(target, Action.GET)) {
            throw forbidden();
        }
        if (!system && perms.covers(target, Action.GET)) {
            return null;
        }
        return path -> !(prefix == null && isSystem(path)) && perms.allows(path, Action.GET);
    }

    /** True when every path {@code global} can match lies under {@code /_system}. */
    private static boolean withinSystem(PathMatcher global) {
        if (global instanceof Pattern p) {
            return PatternRelations.covers(SYSTEM, p);
        }
        return global instanceof GlobPattern g && g.literalPrefix().startsWith(SecurityDirectory.ROOT + "/");
    }

    /** A snapshot item (tenant-local path) the subscriber may see. */
    private static boolean readable(String prefix, Permissions perms, Document d) {
        String local = d.path();
        return !(prefix == null && isSystem(local)) && perms.allows(local, Action.GET) && perms.allows(local, Action.SUBSCRIBE);
    }

    private static void writable(String prefix, Permissions perms, String path, Action a) {
        checkEncoding(path);
        if ((prefix == null && isSystem(path)) || !perms.allows(path, a)) {
            throw forbidden();
        }
    }

    private static void removable(String prefix, Permissions perms, PathMatcher target, Action a) {
        checkEncoding(target.text());
        // A tenant's paths all map under /t/{tenant}, which can never reach /_system.
        if ((prefix == null && touchesSystem(target)) || !perms.covers(target, a)) {
            throw forbidden();
        }
    }

    static boolean isSystem(String globalPath) {
        return globalPath.equals(SecurityDirectory.ROOT) || globalPath.startsWith(SecurityDirectory.ROOT + "/");
    }

    static boolean touchesSystem(PathMatcher global) {
        if (global.isExact()) {
            return isSystem(global.text());
        }
        if (global instanceof Pattern p) {
            return PatternRelations.intersects(p, SYSTEM) || p.matches(SecurityDirectory.ROOT);
        }
        String lit = ((GlobPattern) global).literalPrefix();
        return SecurityDirectory.ROOT.startsWith(lit) || (SecurityDirectory.ROOT + "/").startsWith(lit) || isSystem(lit)
                || lit.startsWith(SecurityDirectory.ROOT + "/");
    }

    private static void checkEncoding(String text) {
        String lower = text.toLowerCase(Locale.ROOT);
        if (lower.contains("%2f") || lower.contains("%5c")) {
            throw SwitchboardException.badRequest("path", "must not contain an encoded '/' or '\\'");
        }
    }

    static SwitchboardException forbidden() {
        return new SwitchboardException(ErrorCode.FORBIDDEN, "not permitted");
    }
}
