package io.switchboard.server.compat.happn;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.switchboard.core.error.SwitchboardException;
import io.switchboard.core.json.Json;
import io.switchboard.core.model.EventType;
import io.switchboard.core.op.Consistency;
import io.switchboard.core.op.Request;
import io.switchboard.core.op.RequestParser;
import io.switchboard.core.path.GlobPattern;
import io.switchboard.core.path.PathMatcher;
import io.switchboard.core.path.Pattern;
import io.switchboard.core.pipeline.Pipeline;
import io.switchboard.core.router.Subscription;
import io.switchboard.core.security.SecurityService;
import io.switchboard.core.security.SessionAuth;
import io.switchboard.core.session.Session;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

/**
 * Translates one happn_4 request ({@code {action, eventId, path, data, options}}) into a
 * Switchboard {@link Request} and hands it to the pipeline; system actions (configure-session,
 * describe, login) are answered here. Never calls the engine directly.
 */
final class HappnActions {
    /** Subscription meta key holding the happn channel ({@code /SET@/path}) its pushes carry. */
    static final String CHANNEL_META = "happnChannel";
    /** Subscription meta key: the most extra segments a trailing {@code /**} may match (happn's depth). */
    static final String DEPTH_META = "happnDepth";
    /** Subscription meta key: the pattern's text before a trailing {@code /**}, for the depth count. */
    static final String BASE_META = "happnBase";
    /**
     * Event meta key the adapter adds to a happn client's writes: {@code {s: writer session id,
     * c: consistency}}, which happn's publications carry and the engine's events do not.
     */
    static final String WRITER_META = "_happn";
    /**
     * Key in {@link #WRITER_META} naming the gauge of a happn increment: its publication carries
     * {@code {value, gauge}}, as happn's does, instead of the whole document.
     */
    static final String GAUGE_META = "g";
    /** happn's default depth for a trailing {@code /**} subscription. */
    static final int DEFAULT_DEPTH = 5;
    /** Meta keys happn fills itself; a writer's custom meta may not set them. */
    private static final Set<String> HAPPN_RESERVED_META =
            Set.of("path", "created", "modified", "action", "type", "channel", "sessionId", "consistency",
                    "publicationId", "eventId", "status", "published");

    private final HappnConnection conn;
    private final Pipeline pipeline;
    private final boolean secure;
    private final SecurityService security;

    HappnActions(HappnConnection conn, Pipeline pipeline, SecurityService security) {
        this.conn = conn;
        this.pipeline = pipeline;
        this.security = security;
        this.secure = security != null && security.enabled();
    }

    void handle(JsonNode msg) {
        long eventId = msg.path("eventId").asLong(0);
        String action = msg.path("action").asText("");
        ObjectNode options = msg.get("options") instanceof ObjectNode o ? o : Json.object();
        JsonNode data = msg.get("data");
        String path = msg.path("path").asText(null);
        try {
            switch (action) {
                case "configure-session" -> {
                    conn.browser(data != null && data.path("browser").asBoolean(false));
                    conn.startPinging();
                    conn.send(HappnEncoder.response(eventId, action, conn.sessionId(), null, null));
                }
                case "describe" -> {
                    ObjectNode d = Json.object();
                    d.put("name", "switchboard");
                    d.put("secure", secure);
                    if (conn.browser() || SecurityService.authOf(conn.session()) != null) {
                        // As happn-3: the cookie the token goes to for the HTTP routes, once logged in
                        // (its session then carries it) or for a browser client before.
                        d.put("cookieName", HappnLogin.COOKIE);
                    }
                    conn.send(HappnEncoder.response(eventId, action, conn.sessionId(), d, null));
                }
                case "login" -> login(eventId, data);
                case "request-nonce" -> requestNonce(eventId, data);
                case "disconnect-child-sessions" -> disconnectChildSessions(eventId);
                case "revoke-token" -> revokeToken(eventId);
                case "change-password" -> changePassword(eventId, data);
                case "set" -> {
                    if (options.hasNonNull("increment")) {
                        increment(eventId, path, data, options);
                    } else {
                        submit(eventId, action, data, options, null, set(path, data, options));
                    }
                }
                case "get" -> submit(eventId, action, data, options, null, get(path, options));
                case "count" -> submit(eventId, action, data, options, null,
                        new Request.Count(target(path), null));
                case "remove" -> submit(eventId, action, data, options, null,
                        new Request.Remove(target(path), writerMeta(null, options), options.path("noPublish").asBoolean(false),
                                null, consistency(options), RequestParser.DEFAULT_ACK_TIMEOUT_MS));
                case "on" -> submit(eventId, action, data, options, path, on(path, options));
                case "off" -> off(eventId, path, options);
                case "ack" -> ack(eventId, data);
                default -> throw SwitchboardException.badRequest("action", "'" + action + "' is not supported");
            }
        } catch (RuntimeException e) {
            conn.send(HappnEncoder.error(eventId, action, conn.sessionId(), SwitchboardException.of(e)));
        }
    }

    private void submit(long eventId, String action, JsonNode data, ObjectNode options, String channel, Request r) {
        JsonNode echoed = "set".equals(action) ? wrapped(data) : data;
        conn.expect(eventId, new HappnConnection.Pending(action, echoed, options, channel));
        pipeline.handle(conn.session(), eventId, r);
    }

    private void login(long eventId, JsonNode data) {
        Session s = conn.session();
        pipeline.connect(s, HappnLogin.credentials(data, conn::takeNonce)).whenComplete((c, err) -> {
            if (err != null) {
                conn.send(HappnEncoder.error(eventId, "login", conn.sessionId(), SwitchboardException.of(err)));
            } else {
                conn.send(HappnEncoder.response(eventId, "login", c.session(),
                        HappnLogin.session(c, data == null ? null : data.get("info")), null));
            }
        });
    }

    /**
     * {@code {publicKey}} → {@code {nonce}} (top level and in {@code data}, as happn-3 answers),
     * single use, valid {@code 60 s}; the digest login on this socket signs it.
     */
    private void requestNonce(long eventId, JsonNode data) {
        requireSecure("request-nonce");
        String key = data == null ? null : data.path("publicKey").asText(null);
        if (key == null || key.isEmpty()) {
            throw SwitchboardException.badRequest("publicKey", "is required");
        }
        String nonce = security.nonceForKey(key);
        conn.nonce(key, nonce);
        ObjectNode reply = HappnEncoder.response(eventId, "request-nonce", conn.sessionId(),
                Json.object().put("nonce", nonce), null);
        reply.put("nonce", nonce);
        conn.send(reply);
    }

    /**
     * Ends, with {@code server-side-disconnect} {@code token-revoked}, the sessions that logged in
     * with this session's token (its children); the token stays valid, this session stays open.
     */
    private void disconnectChildSessions(long eventId) {
        requireSecure("disconnect-child-sessions");
        security.endChildSessions(conn.session(), io.switchboard.core.result.DisconnectReason.TOKEN_REVOKED);
        conn.send(HappnEncoder.response(eventId, "disconnect-child-sessions", conn.sessionId(), null, null));
    }

    /** Ends this login (its token and every session on it, on every node), like a native logout. */
    private void revokeToken(long eventId) {
        requireSecure("revoke-token");
        SessionAuth a = SecurityService.authOf(conn.session());
        String token = a == null ? null : a.token();
        if (token == null) {
            throw new SwitchboardException(io.switchboard.core.error.ErrorCode.UNAUTHENTICATED, "not logged in");
        }
        // Answer once the token is refused here (the write returns after the security directory
        // saw it); revoking ends this very session too, and if that end comes first it sends the
        // held answer ahead of its server-side-disconnect.
        conn.holdLastReply(HappnEncoder.response(eventId, "revoke-token", conn.sessionId(), null, null));
        security.logout(token).whenComplete((v, err) -> conn.releaseLastReply(err == null ? null
                : HappnEncoder.error(eventId, "revoke-token", conn.sessionId(), SwitchboardException.of(err))));
    }

    /** {@code {oldPassword, newPassword}}: the session's user changes its own password. */
    private void changePassword(long eventId, JsonNode data) {
        requireSecure("change-password");
        String old = data == null ? null : data.path("oldPassword").asText(null);
        String wanted = data == null ? null : data.path("newPassword").asText(null);
        if (old == null || wanted == null) {
            throw SwitchboardException.badRequest("data", "oldPassword and newPassword are required");
        }
        security.changePassword(conn.session(), old, wanted).whenComplete((x, err) -> {
            if (err != null) {
                conn.send(HappnEncoder.error(eventId, "change-password", conn.sessionId(), SwitchboardException.of(err)));
            } else {
                conn.send(HappnEncoder.response(eventId, "change-password", conn.sessionId(), null, null));
            }
        });
    }

    private void requireSecure(String action) {
        if (!secure) {
            throw SwitchboardException.badRequest("action", "'" + action + "' needs security enabled");
        }
    }

    private static JsonNode wrapped(JsonNode data) {
        return data != null && data.isObject() ? data : HappnEncoder.wrap(data);
    }

    private Request set(String path, JsonNode data, ObjectNode options) {
        if (path == null) {
            throw SwitchboardException.badRequest("path", "is required");
        }
        if (path.contains("*")) {
            throw SwitchboardException.badRequest("path", "cannot contain '*' in a set");
        }
        // No targetClients means every subscriber: null, never an empty list (which means nobody).
        List<String> targets = null;
        if (options.path("targetClients").isArray()) {
            targets = new ArrayList<>();
            for (JsonNode t : options.path("targetClients")) {
                targets.add(t.asText());
            }
        }
        // Built here, not by RequestParser: the same well-formed-text rule as every other door.
        io.switchboard.core.json.JsonText.requireWellFormed(data, "data");
        io.switchboard.core.json.JsonText.requireWellFormed(options.get("meta"), "meta");
        return new Request.Set(io.switchboard.core.path.Paths.writable(path, "path"), wrapped(data),
                options.path("merge").asBoolean(false), null, options.path("noPublish").asBoolean(false),
                options.path("noStore").asBoolean(false), writerMeta(customMeta(options.get("meta")), options), targets,
                consistency(options), RequestParser.DEFAULT_ACK_TIMEOUT_MS);
    }

    /**
     * happn's increment is a set whose data is the gauge's name and {@code options.increment} the
     * amount; happn stores the gauge as {@code {gauge: {value: n}}} in the document at the path,
     * so this is the engine's increment of the field {@code [gauge, value]}.
     */
    private void increment(long eventId, String path, JsonNode gauge, ObjectNode options) {
        if (gauge == null || !gauge.isTextual()) {
            throw SwitchboardException.badRequest("data", "invalid increment counter field name, must be a string");
        }
        JsonNode by = options.get("increment");
        if (!by.isNumber()) {
            throw SwitchboardException.badRequest("options.increment", "increment option value must be a number");
        }
        io.switchboard.core.json.JsonText.requireWellFormed(by, "options.increment");
        Request.Set plain = (Request.Set) set(path, gauge, options);
        ObjectNode meta = plain.meta();
        meta.with(WRITER_META).put(GAUGE_META, gauge.asText());
        Request r = new Request.Increment(plain.path(), List.of(gauge.asText(), "value"), by, null, meta,
                plain.targetSessions(), plain.consistency(), plain.ackTimeoutMs());
        conn.expect(eventId, new HappnConnection.Pending("set", gauge, options, null));
        pipeline.handle(conn.session(), eventId, r);
    }

    /** happn's meta minus the keys happn and Switchboard fill in themselves (ignored, as happn does). */
    private static ObjectNode customMeta(JsonNode meta) {
        if (meta == null || !meta.isObject() || meta.isEmpty()) {
            return null;
        }
        ObjectNode out = Json.object();
        for (Iterator<Map.Entry<String, JsonNode>> it = meta.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> f = it.next();
            if (!HAPPN_RESERVED_META.contains(f.getKey()) && !RequestParser.RESERVED_META.contains(f.getKey())) {
                out.set(f.getKey(), f.getValue());
            }
        }
        return out.isEmpty() ? null : out;
    }

    /** Adds {@link #WRITER_META} (writer session, happn consistency) to a write's event meta. */
    private ObjectNode writerMeta(ObjectNode custom, ObjectNode options) {
        ObjectNode out = custom == null ? Json.object() : custom;
        ObjectNode w = out.putObject(WRITER_META);
        w.put("s", conn.sessionId());
        w.put("c", options.path("consistency").asInt(2));
        return out;
    }

    /** A subscriber's ack of an acknowledged publication: its publicationId is the event's offset. */
    private void ack(long eventId, JsonNode data) {
        long offset;
        try {
            offset = Long.parseLong(data == null ? "" : data.asText());
        } catch (NumberFormatException e) {
            throw SwitchboardException.badRequest("data", "must be a publicationId");
        }
        pipeline.call(conn.session(), new Request.Ack(offset)).whenComplete((r, err) -> {
            if (err != null) {
                conn.send(HappnEncoder.error(eventId, "ack", conn.sessionId(), SwitchboardException.of(err)));
            } else {
                conn.send(HappnEncoder.response(eventId, "ack", conn.sessionId(), null, null));
            }
        });
    }

    /** happn: 1 deferred, 2 transactional (default), 3 acknowledged. */
    private static Consistency consistency(ObjectNode options) {
        return switch (options.path("consistency").asInt(2)) {
            case 1 -> Consistency.DEFERRED;
            case 3 -> Consistency.ACKNOWLEDGED;
            default -> Consistency.TRANSACTIONAL;
        };
    }

    /** get/count/remove paths are globs in which '*' crosses '/'; without '*' the exact path. */
    private static PathMatcher target(String path) {
        if (path == null) {
            throw SwitchboardException.badRequest("path", "is required");
        }
        return path.contains("*") ? GlobPattern.compile(path, "path") : Pattern.compile(path, "path");
    }

    private Request get(String path, ObjectNode options) {
        // Re-use the native parser's validation of criteria, sort, limit and skip.
        ObjectNode n = Json.object();
        n.put("op", "get");
        n.put("path", "/x");
        JsonNode criteria = options.get("criteria");
        if (criteria != null && criteria.isObject()) {
            n.set("criteria", criteria);
        }
        JsonNode o = options.path("options");
        if (o.has("sort")) {
            n.set("sort", o.get("sort"));
        }
        if (o.has("limit")) {
            n.set("limit", o.get("limit"));
        }
        if (o.has("skip")) {
            n.set("skip", o.get("skip"));
        }
        if (o.get("fields") instanceof ObjectNode fields) {
            ArrayNode list = n.putArray("fields");
            fields.fieldNames().forEachRemaining(list::add);
        }
        Request.Get g = (Request.Get) RequestParser.parse(n);
        return new Request.Get(target(path), g.criteria(), g.fields(), g.sort(), g.limit(), g.skip(),
                o.path("path_only").asBoolean(false));
    }

    /** {@code path} is the channel {@code /SET@/a/*}: event type and subscription pattern. */
    private Request on(String channel, ObjectNode options) {
        if (channel == null || !channel.startsWith("/") || channel.indexOf('@') < 0) {
            throw SwitchboardException.badRequest("path", "must be a channel like /SET@/path");
        }
        int at = channel.indexOf('@');
        String kind = channel.substring(1, at);
        String path = channel.substring(at + 1);
        Set<EventType> events = switch (kind) {
            case "SET" -> EnumSet.of(EventType.SET, EventType.MERGE);
            case "REMOVE" -> EnumSet.of(EventType.REMOVE);
            case "ALL" -> EnumSet.of(EventType.SET, EventType.MERGE, EventType.REMOVE);
            default -> throw SwitchboardException.badRequest("path", "event type must be SET, REMOVE or ALL");
        };
        PathMatcher pattern = path.equals("*") || path.equals("**") ? Pattern.compile("*", "path") : subscriptionPattern(path);
        ObjectNode meta = Json.object();
        meta.put(CHANNEL_META, channel);
        if (path.endsWith("/**")) {
            // Switchboard's trailing ** matches any depth; happn's stops at options.depth (default 5).
            meta.put(DEPTH_META, options.path("depth").asInt(DEFAULT_DEPTH) > 0 ? options.path("depth").asInt(DEFAULT_DEPTH) : DEFAULT_DEPTH);
            meta.put(BASE_META, path.substring(0, path.length() - 3));
        }
        boolean initial = options.path("initialCallback").asBoolean(false) || options.path("initialEmit").asBoolean(false);
        return new Request.Subscribe(pattern, events, Math.max(0, options.path("count").asInt(0)), initial, null, null,
                options.path("merge").asBoolean(false), meta);
    }

    /** happn's '*' is one segment in subscriptions, like a Switchboard pattern; other wildcards fall back to a glob. */
    private static PathMatcher subscriptionPattern(String path) {
        try {
            return Pattern.compile(path, "path");
        } catch (SwitchboardException e) {
            return GlobPattern.compile(path, "path");
        }
    }

    /** By reference id, or every subscription on the channel (reference 0; channel "*" = all). */
    private void off(long eventId, String channel, ObjectNode options) {
        Session s = conn.session();
        String ref = options.path("referenceId").asText("0");
        List<String> ids = new ArrayList<>();
        if (!ref.equals("0") && !ref.isEmpty()) {
            ids.add(ref);
        } else {
            for (Subscription sub : s.subscriptions()) {
                JsonNode ch = sub.meta() == null ? null : sub.meta().get(CHANNEL_META);
                if ("*".equals(channel) || (ch != null && ch.asText().equals(channel))) {
                    ids.add(sub.id());
                }
            }
        }
        List<CompletableFuture<?>> all = new ArrayList<>();
        for (String id : ids) {
            all.add(pipeline.call(s, new Request.Unsubscribe(id, null)).exceptionally(e -> null));
        }
        CompletableFuture.allOf(all.toArray(new CompletableFuture[0])).whenComplete((x, e) -> {
            ObjectNode d = Json.object();
            d.put("id", ref);
            d.set("removed", Json.MAPPER.valueToTree(ids));
            conn.send(HappnEncoder.response(eventId, "off", s.id(), d, null));
        });
    }

}
