package io.switchboard.core.security;

import io.switchboard.core.session.AttributeKey;
import io.switchboard.core.session.Principal;
import io.switchboard.core.session.Session;

/**
 * The security state of one authenticated session, kept on the session under {@link #KEY}: the token
 * it authenticated with, its login session id ({@code sid}) and generation, its profile limits,
 * its tenant prefix, and its compiled permissions (rebuilt lazily when security data changes).
 */
public final class SessionAuth {
    /** The session attribute that holds it. */
    public static final AttributeKey<SessionAuth> KEY = AttributeKey.of("security", SessionAuth.class);

    final VerifiedToken token;
    final String sid;
    final SessionProfile profile;
    final long authenticatedAt;
    /** Earliest of the token's {@code exp} and the profile's ttl (0 = none); a refresh moves it. */
    volatile long expiresAt;
    /** True when authenticated with the admin API key rather than a user. */
    final boolean adminKey;
    volatile long gen;
    /**
     * True when this session's own connect logged in (password, signed nonce) and so began its
     * login session {@code sid}: the parent of every session later authenticated with a token of
     * that login (its children).
     */
    volatile boolean beganLogin;
    volatile String currentToken;
    private volatile Principal principal;
    private volatile Permissions permissions;
    private volatile long version = -1;

    SessionAuth(VerifiedToken token, Principal principal, SessionProfile profile, long now, boolean adminKey) {
        this.token = token;
        this.sid = token == null ? null : token.sid();
        this.gen = token == null ? -1 : token.gen();
        this.currentToken = token == null ? null : token.raw();
        this.principal = principal;
        this.profile = profile;
        this.authenticatedAt = now;
        this.adminKey = adminKey;
        long exp = token == null ? 0 : token.expiresAt();
        if (profile != null && profile.ttlMs() > 0) {
            long p = now + profile.ttlMs();
            exp = exp == 0 ? p : Math.min(exp, p);
        }
        this.expiresAt = exp;
    }

    /** After a refresh: the new token, generation and expiry (still capped by the profile's ttl). */
    void rolled(String newToken, long newGen, long newExp) {
        currentToken = newToken;
        gen = newGen;
        long e = newExp;
        if (profile != null && profile.ttlMs() > 0) {
            e = Math.min(e, authenticatedAt + profile.ttlMs());
        }
        expiresAt = e;
    }

    public Principal principal() {
        return principal;
    }

    /** The {@code /t/{tenant}} prefix of this session's paths, or null for a global user. */
    public String tenantPrefix() {
        String t = principal.tenant();
        return t == null ? null : "/t/" + t;
    }

    /** True for the admin API key and for a global member of group {@code admin}. */
    public boolean isAdmin() {
        Principal p = principal;
        return adminKey || (p.tenant() == null && p.groups().contains(Group.ADMIN));
    }

    /** The login session ({@code sid}) this session belongs to; null for the admin API key. */
    public String loginSession() {
        return sid;
    }

    /** True when this session's connect began its login session (it is the parent of the others on it). */
    public boolean beganLogin() {
        return beganLogin;
    }

    /** The session's token (the newest one after a roll). */
    public String token() {
        return currentToken;
    }

    Permissions permissions(long currentVersion) {
        return version == currentVersion ? permissions : null;
    }

    void permissions(Principal p, Permissions perms, long atVersion) {
        this.principal = p;
        this.permissions = perms;
        this.version = atVersion;
    }

    /** The auth state of {@code s}, or null when it has not authenticated. */
    public static SessionAuth of(Session s) {
        return s.attr(KEY);
    }
}
