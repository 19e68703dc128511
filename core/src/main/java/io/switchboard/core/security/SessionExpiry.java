package io.switchboard.core.security;

import io.switchboard.core.engine.Engine;
import io.switchboard.core.result.DisconnectReason;
import io.switchboard.core.session.Session;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Decides when an authenticated session must end and ends it: token expiry, profile inactivity
 * and usage limits, revoked users, tokens and sessions, and old key generations. There is no
 * timer per session: {@link #sweep()} runs periodically over all stateful sessions, the pipeline
 * checks on every op, and security changes end the affected sessions at once.
 */
final class SessionExpiry {
    private static final Logger LOG = LoggerFactory.getLogger(SessionExpiry.class);

    private final Engine engine;
    private final SecurityConfig config;
    private final SecurityDirectory dir;

    SessionExpiry(Engine engine, SecurityConfig config, SecurityDirectory dir) {
        this.engine = engine;
        this.config = config;
        this.dir = dir;
    }

    /** Why the session must end now, counting {@code used} operations, or null. */
    DisconnectReason reason(Session s, SessionAuth a, long now, long used) {
        if (a.expiresAt > 0 && now >= a.expiresAt) {
            return DisconnectReason.TOKEN_EXPIRED;
        }
        if (a.profile != null && a.profile.inactivityMs() > 0 && now - s.lastActiveAt() > a.profile.inactivityMs()) {
            return DisconnectReason.INACTIVITY_THRESHOLD;
        }
        if (a.profile != null && a.profile.usageLimit() > 0 && used > a.profile.usageLimit()) {
            return DisconnectReason.USAGE_LIMIT;
        }
        if (a.adminKey) {
            return null;
        }
        User u = dir.user(a.principal().userId());
        if (a.token != null && a.token.kind() != VerifiedToken.Kind.EXTERNAL && (u == null || u.revoked())) {
            return DisconnectReason.USER_REVOKED;
        }
        if (a.token != null && (dir.isRevoked(a.sid) || dir.isRevoked(a.token.jti()))) {
            return DisconnectReason.TOKEN_REVOKED;
        }
        if (config.rollingKeys() && u != null && a.gen >= 0 && a.gen < dir.gen(u.id())) {
            return DisconnectReason.TOKEN_REVOKED;
        }
        return null;
    }

    /** Tells the client why, then closes the session. */
    void end(Session s, DisconnectReason reason) {
        if (!s.isClosed()) {
            LOG.debug("ending session {}: {}", s.id(), reason.wire());
            s.end(reason);
        }
    }

    /** The periodic check over every stateful session. */
    void sweep() {
        try {
            long now = engine.now();
            for (Session s : engine.sessions()) {
                SessionAuth a = SessionAuth.of(s);
                if (a != null) {
                    DisconnectReason reason = reason(s, a, now, s.usage());
                    if (reason != null) {
                        end(s, reason);
                    }
                }
            }
        } catch (RuntimeException e) {
            LOG.warn("session sweep failed", e);
        }
    }

    /** A user revoked or deleted, a token revoked or a generation raised ends the affected sessions now. */
    void onChange(SecurityDirectory.Change c) {
        if (c.kind().equals("group")) {
            return;
        }
        long now = engine.now();
        for (Session s : engine.sessions()) {
            SessionAuth a = SessionAuth.of(s);
            if (a != null && affected(c, a)) {
                DisconnectReason reason = reason(s, a, now, s.usage());
                if (reason != null) {
                    end(s, reason);
                }
            }
        }
    }

    private static boolean affected(SecurityDirectory.Change c, SessionAuth a) {
        if (c.kind().equals("revoked")) {
            return c.id().equals(a.sid) || (a.token != null && c.id().equals(a.token.jti()));
        }
        return c.id().equals(a.principal().userId());
    }

    /** Closes the sessions of a user now (admin revoke). */
    void endSessionsOf(String userId, DisconnectReason reason) {
        for (Session s : engine.sessions()) {
            SessionAuth a = SessionAuth.of(s);
            if (a != null && userId.equals(a.principal().userId())) {
                end(s, reason);
            }
        }
    }
}
