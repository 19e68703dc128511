package io.switchboard.core.security;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.switchboard.core.error.ErrorCode;
import io.switchboard.core.error.SwitchboardException;
import io.switchboard.core.json.Json;
import io.switchboard.core.op.Request;
import io.switchboard.core.path.GlobPattern;
import io.switchboard.core.path.PathMatcher;
import io.switchboard.core.path.Pattern;

import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.UnaryOperator;

/**
 * Checks one request against a session's permissions and maps it to stored paths (SPEC section 6).
 *
 * <ul>
 * <li>get/count/history need {@code get}, set (and merge) {@code set}, remove {@code remove},
 *     publish/cancel {@code publish}, subscribe {@code subscribe}. Permissions are evaluated on the
 *     paths the client sees (tenant-local).</li>
 * <li>A pattern get/count/remove/history must be <em>fully covered</em>: one allow rule contains
 *     the whole pattern and no prohibition touches it; otherwise FORBIDDEN (results are never
 *     silently filtered, so {@code total} and {@code limit} stay truthful). Ask for a narrower
 *     pattern instead.</li>
 * <li>A subscribe needs {@code subscribe} somewhere on its pattern; each event is then filtered by
 *     {@link SecurityEventFilter} ({@code get} and {@code subscribe} on the event's path), and the
 *     {@code initial} snapshot is filtered the same way.</li>
 * <li>{@code /_system/**} is FORBIDDEN to every client op, admins included (they use
 *     {@link SecurityAdmin}); a pattern that could reach it is FORBIDDEN too, except for
 *     subscriptions, whose {@code /_system} events are simply never delivered.</li>
 * <li>Percent-encoded {@code /} or {@code \} in a path is BAD_REQUEST: such a segment would be a
 *     trap for any layer that decodes again.</li>
 * </ul>
 */
final class AccessGuard {
    /** A request mapped to stored paths, and how to map its result back. */
    record Guarded(Request request, UnaryOperator<JsonNode> result) { }

    private static final Pattern SYSTEM = Pattern.compile(SecurityDirectory.ROOT + "/**", "pattern");
    private static final Pattern EVERYTHING = Pattern.compile("*", "pattern");

    /** Scheduled publish id → stored path, so cancel can be checked against the publish's path. */
    private final Map<String, String> scheduled = new ConcurrentHashMap<>();

    Guarded guard(SessionAuth auth, Permissions perms, Request r) {
        String prefix = auth.tenantPrefix();
        if (r instanceof Request.Get g) {
            PathMatcher t = readable(prefix, perms, g.target(), Action.GET);
            return new Guarded(new Request.Get(t, g.criteria(), g.fields(), g.sort(), g.limit(), g.skip(), g.pathsOnly()),
                    res -> TenantPaths.stripResult(prefix, res));
        } else if (r instanceof Request.Count c) {
            return new Guarded(new Request.Count(readable(prefix, perms, c.target(), Action.GET), c.criteria()), null);
        } else if (r instanceof Request.Set s) {
            String p = writable(prefix, perms, s.path(), Action.SET);
            return new Guarded(new Request.Set(p, s.data(), s.merge(), s.ifVersion(), s.noPublish(), s.noStore(), s.meta(),
                    s.targetSessions(), s.consistency(), s.ackTimeoutMs()), res -> TenantPaths.stripResult(prefix, res));
        } else if (r instanceof Request.Remove rm) {
            PathMatcher t = readable(prefix, perms, rm.target(), Action.REMOVE);
            return new Guarded(new Request.Remove(t, rm.meta(), rm.noPublish(), rm.targetSessions(), rm.consistency(),
                    rm.ackTimeoutMs()), null);
        } else if (r instanceof Request.Publish p) {
            String path = writable(prefix, perms, p.path(), Action.PUBLISH);
            return new Guarded(new Request.Publish(path, p.data(), p.meta(), p.at(), p.targetSessions(), p.consistency(),
                    p.ackTimeoutMs()), res -> {
                        if (res.path("scheduled").asBoolean(false)) {
                            scheduled.put(res.path("id").asText(), path);
                        }
                        return res;
                    });
        } else if (r instanceof Request.Cancel c) {
            String path = scheduled.get(c.eventId());
            String local = path == null ? null : TenantPaths.toLocal(prefix, path);
            boolean ok = local != null ? perms.allows(local, Action.PUBLISH)
                    : prefix == null && path == null && perms.covers(EVERYTHING, Action.PUBLISH);
            if (!ok) {
                throw forbidden();
            }
            return new Guarded(r, res -> {
                scheduled.remove(c.eventId());
                return res;
            });
        } else if (r instanceof Request.Subscribe s) {
            if (!perms.touches(s.pattern(), Action.SUBSCRIBE)) {
                throw forbidden();
            }
            Pattern global = TenantPaths.toGlobal(prefix, s.pattern());
            boolean covered = perms.covers(s.pattern(), Action.GET) && !touchesSystem(global);
            return new Guarded(new Request.Subscribe(global, s.events(), s.count(), s.snapshot(), s.sinceOffset(),
                    s.sinceEpoch(), s.mergeOnly(), s.meta()),
                    res -> TenantPaths.stripResult(prefix, covered ? res : filterItems(prefix, perms, res)));
        } else if (r instanceof Request.Unsubscribe u) {
            return new Guarded(u.pattern() == null ? u : new Request.Unsubscribe(null, TenantPaths.toGlobal(prefix, u.pattern())), null);
        } else if (r instanceof Request.History h) {
            Pattern t = (Pattern) readable(prefix, perms, h.pattern(), Action.GET);
            return new Guarded(new Request.History(t, h.since(), h.until(), h.sinceTs(), h.untilTs(), h.limit(), h.waitSeconds()),
                    res -> TenantPaths.stripResult(prefix, res));
        }
        // ack, ping, connect: nothing to check here
        return new Guarded(r, null);
    }

    private static String writable(String prefix, Permissions perms, String path, Action a) {
        checkEncoding(path);
        String global = TenantPaths.toGlobal(prefix, path);
        if (isSystem(global) || !perms.allows(path, a)) {
            throw forbidden();
        }
        return global;
    }

    private static PathMatcher readable(String prefix, Permissions perms, PathMatcher target, Action a) {
        checkEncoding(target.text());
        PathMatcher global = TenantPaths.toGlobal(prefix, target);
        if (touchesSystem(global) || !perms.covers(target, a)) {
            throw forbidden();
        }
        return global;
    }

    private static ObjectNode filterItems(String prefix, Permissions perms, JsonNode res) {
        ObjectNode o = (ObjectNode) res;
        if (o.get("items") instanceof ArrayNode items) {
            ArrayNode kept = Json.MAPPER.createArrayNode();
            for (JsonNode d : items) {
                String path = d.path("path").asText();
                String local = TenantPaths.toLocal(prefix, path);
                if (local != null && !isSystem(path) && perms.allows(local, Action.GET) && perms.allows(local, Action.SUBSCRIBE)) {
                    kept.add(d);
                }
            }
            o.set("items", kept);
        }
        return o;
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
