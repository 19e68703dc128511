package io.switchboard.core.security;

import io.switchboard.core.error.ErrorCode;
import io.switchboard.core.error.SwitchboardException;
import io.switchboard.core.model.Document;
import io.switchboard.core.op.Request;
import io.switchboard.core.path.GlobPattern;
import io.switchboard.core.path.PathMatcher;
import io.switchboard.core.path.Pattern;
import io.switchboard.core.result.Result;

import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.UnaryOperator;

/**
 * Checks one request against a session's permissions (SPEC section 6), on the paths the client
 * sees (tenant-local; the tenant stage maps them afterwards).
 *
 * <ul>
 * <li>get/count/history need {@code get}, set (and merge) {@code set}, remove {@code remove},
 *     publish/cancel {@code publish}, subscribe {@code subscribe}.</li>
 * <li>A pattern get/count/remove/history must be <em>fully covered</em>: one allow rule contains
 *     the whole pattern and no prohibition touches it; otherwise FORBIDDEN (results are never
 *     silently filtered, so {@code total} and {@code limit} stay truthful).</li>
 * <li>A subscribe needs {@code subscribe} somewhere on its pattern; each event is then filtered by
 *     {@link SecurityEventFilter} ({@code get} and {@code subscribe} on the event's path), and the
 *     {@code initial} snapshot is filtered the same way on the way out.</li>
 * <li>{@code /_system/**} is FORBIDDEN to every client op, admins included (they use
 *     {@link SecurityAdmin}); a pattern that could reach it is FORBIDDEN too, except for
 *     subscriptions, whose {@code /_system} events are simply never delivered.</li>
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
        if (r instanceof Request.Get g) {
            readable(prefix, perms, g.target(), Action.GET);
        } else if (r instanceof Request.Count c) {
            readable(prefix, perms, c.target(), Action.GET);
        } else if (r instanceof Request.Set s) {
            writable(prefix, perms, s.path(), Action.SET);
        } else if (r instanceof Request.Remove rm) {
            readable(prefix, perms, rm.target(), Action.REMOVE);
        } else if (r instanceof Request.History h) {
            readable(prefix, perms, h.pattern(), Action.GET);
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
            if (!perms.touches(s.pattern(), Action.SUBSCRIBE)) {
                throw forbidden();
            }
            boolean covered = perms.covers(s.pattern(), Action.GET) && !(prefix == null && touchesSystem(s.pattern()));
            return covered ? null : res -> res instanceof Result.Subscribed sub
                    ? sub.filterItems(d -> readable(prefix, perms, d)) : res;
        }
        // ack, ping, connect, unsubscribe: nothing to check
        return null;
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

    private static void readable(String prefix, Permissions perms, PathMatcher target, Action a) {
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
