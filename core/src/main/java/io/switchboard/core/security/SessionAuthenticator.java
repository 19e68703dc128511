package io.switchboard.core.security;

import io.switchboard.core.engine.Ids;
import io.switchboard.core.op.Credentials;
import io.switchboard.core.result.DisconnectReason;
import io.switchboard.core.session.Principal;
import io.switchboard.core.session.Session;
import io.switchboard.core.session.SessionType;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.function.LongSupplier;

/**
 * Authenticates sessions for the pipeline's authentication stage: turns {@link Credentials}
 * into a {@link SessionAuth} attached to the session, and admits every later op of the session
 * (expiry, inactivity, usage limit, revocation). Password hashing and signature checks run on
 * {@code work}, never on an event loop.
 */
final class SessionAuthenticator {
    private static final Principal API_KEY_PRINCIPAL =
            new Principal("admin-api-key", "admin-api-key", null, List.of(Group.ADMIN), List.of());

    private final SecurityConfig config;
    private final SecurityDirectory dir;
    private final Authenticator auth;
    private final SessionExpiry expiry;
    private final LongSupplier clock;
    private final Executor work;

    SessionAuthenticator(SecurityConfig config, SecurityDirectory dir, Authenticator auth, SessionExpiry expiry,
                         LongSupplier clock, Executor work) {
        this.config = config;
        this.dir = dir;
        this.auth = auth;
        this.expiry = expiry;
        this.clock = clock;
        this.work = work;
    }

    /**
     * Verifies {@code c} and attaches the result to {@code s}. Token, Basic and API key
     * credentials issue nothing; Password and SignedNonce log in: they issue a token (in
     * {@link SessionAuth#token()}) and, with rolling keys, raise the user's generation.
     * Fails with UNAUTHENTICATED.
     */
    CompletableFuture<SessionAuth> authenticate(Session s, Credentials c) {
        CompletableFuture<SessionAuth> a;
        if (c instanceof Credentials.Token t) {
            a = CompletableFuture.supplyAsync(() -> fromToken(t.token(), s.type(), s.remoteAddress()), work);
        } else if (c instanceof Credentials.Password p) {
            a = issued(s, auth.login(p.username(), p.password(), p.tenant()));
        } else if (c instanceof Credentials.SignedNonce n) {
            a = issued(s, auth.loginWithNonce(n));
        } else if (c instanceof Credentials.SignedClaim sc) {
            a = CompletableFuture.supplyAsync(() -> authOf(auth.verifySignedClaim(sc), dir.user(sc.userId()),
                    s.type(), s.remoteAddress()), work);
        } else if (c instanceof Credentials.Basic b) {
            a = basic(s, b);
        } else if (c instanceof Credentials.ApiKey k) {
            if (!auth.isAdminToken(k.key())) {
                a = CompletableFuture.failedFuture(Authenticator.unauthenticated("invalid admin token"));
            } else {
                a = CompletableFuture.completedFuture(new SessionAuth(null, API_KEY_PRINCIPAL, null, clock.getAsLong(), true));
            }
        } else {
            a = CompletableFuture.failedFuture(Authenticator.unauthenticated("credentials required"));
        }
        return a.thenApply(sa -> {
            attach(s, sa);
            return sa;
        });
    }

    /** A login that issued a token: attach it before the generation is raised, so this session survives the roll. */
    private CompletableFuture<SessionAuth> issued(Session s, CompletableFuture<Authenticator.Issued> login) {
        return login.thenCompose(i -> {
            SessionAuth sa = authOf(i.verified(), i.user(), s.type(), s.remoteAddress());
            sa.beganLogin = true;
            attach(s, sa);
            return auth.commitGen(i).thenApply(x -> sa);
        });
    }

    /** Basic auth checks the password per request and issues no token, so it does not roll keys. */
    private CompletableFuture<SessionAuth> basic(Session s, Credentials.Basic b) {
        User u = dir.byUsername(b.username(), b.tenant());
        CompletableFuture<String> hash = u == null ? CompletableFuture.completedFuture(null) : dir.credential(u.id());
        return hash.thenApplyAsync(h -> {
            if (!Passwords.verify(b.password(), h) || u == null || u.revoked()) {
                throw Authenticator.unauthenticated(Authenticator.BAD_CREDENTIALS);
            }
            VerifiedToken vt = new VerifiedToken(VerifiedToken.Kind.LOCAL, u.id(), Ids.random(20), null, -1,
                    u.scopes(), u.tenant(), 0, null);
            return authOf(vt, u, s.type(), s.remoteAddress());
        }, work);
    }

    /**
     * Before every op of a connected session: ends it if expired, idle, over its usage limit or
     * revoked (UNAUTHENTICATED), and counts the op.
     */
    void admit(Session s) {
        SessionAuth a = SessionAuth.of(s);
        long now = clock.getAsLong();
        if (a == null) {
            s.touch(now);
            throw Authenticator.unauthenticated("credentials required");
        }
        // Inactivity is judged on the time before this op, so check before touching.
        DisconnectReason reason = expiry.reason(s, a, now, s.usage());
        long used = s.touch(now);
        if (reason == null && a.profile != null && a.profile.usageLimit() > 0 && used > a.profile.usageLimit()) {
            reason = DisconnectReason.USAGE_LIMIT;
        }
        if (reason != null) {
            s.end(reason);
            throw Authenticator.unauthenticated("session ended: " + reason.wire());
        }
    }

    /** Counts an op that needs no admission (a connect). */
    void touch(Session s) {
        s.touch(clock.getAsLong());
    }

    private SessionAuth fromToken(String token, SessionType type, String ip) {
        VerifiedToken vt = auth.verify(token);
        return authOf(vt, dir.user(vt.userId()), type, ip);
    }

    private SessionAuth authOf(VerifiedToken vt, User u, SessionType type, String ip) {
        Principal p = u != null ? principalOf(u, vt)
                : new Principal(vt.userId(), vt.userId(), null, List.of(), vt.scopes());
        SessionProfile profile = SessionProfile.first(config.profiles(), p, type, ip);
        return new SessionAuth(vt, p, profile, clock.getAsLong(), false);
    }

    static Principal principalOf(User u, VerifiedToken vt) {
        List<String> scopes = vt != null && vt.kind() == VerifiedToken.Kind.EXTERNAL
                ? Authenticator.union(u.scopes(), vt.scopes()) : u.scopes();
        return new Principal(u.id(), u.username(), u.tenant(), u.groups(), scopes);
    }

    private static void attach(Session s, SessionAuth a) {
        s.attr(SessionAuth.KEY, a);
        s.principal(a.principal());
    }
}
