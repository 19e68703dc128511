package io.switchboard.core.security;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.switchboard.core.engine.Engine;
import io.switchboard.core.engine.Ids;
import io.switchboard.core.error.SwitchboardException;
import io.switchboard.core.json.Json;
import io.switchboard.core.op.Request;
import io.switchboard.core.session.Principal;
import io.switchboard.core.session.Session;
import io.switchboard.core.session.SessionSink;
import io.switchboard.core.session.SessionType;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * The security model's entry point for transports (SPEC section 6). Create it after the engine,
 * {@link #start()} it after {@code engine.start()}, and pass it to {@code new Pipeline(engine, security)}.
 *
 * <p>For transports:
 * <ul>
 * <li>WebSocket/SSE: the pipeline answers {@code connect} through {@link #connect}; with a token or
 *     {@code username}/{@code password} (a tenant user writes {@code tenant/username}).</li>
 * <li>HTTP: {@link #authenticateHttp} turns bearer / basic / cookie {@code sb_token} / query
 *     {@code token} into a stateless, connected session to pass to {@code Pipeline.call}; fails with
 *     UNAUTHENTICATED (send 401).</li>
 * <li>{@code POST /api/auth/login} → {@link #login}, {@code /refresh} → {@link #refresh},
 *     {@code /logout} → {@link #logout}, {@code /nonce} → {@link #nonce} then
 *     {@link #loginWithNonce}. Results are {@code {token, user}}.</li>
 * <li>{@code /api/admin/*} → {@link #admin(Session)} or {@link #admin(String)} (the
 *     {@code auth.adminToken} API key) returns a {@link SecurityAdmin}, or fails with
 *     UNAUTHENTICATED/FORBIDDEN.</li>
 * <li>First start: {@link #bootstrap(String)} and print the returned password once.</li>
 * </ul>
 *
 * <p>Sessions end without per-session timers: one sweep every {@code sweepIntervalMs} over the
 * engine's stateful sessions, plus a check on every operation ({@link #admit}). An ended session
 * gets {@code {"sys":"disconnect","reason":...}} then {@code close(reason)}, with reason
 * {@code token-expired}, {@code inactivity-threshold}, {@code usage-limit}, {@code token-revoked}
 * or {@code user-revoked}.
 *
 * <p>Rolling keys: a login or refresh raises the user's generation. The session that refreshed
 * (same {@code sid}) gets {@code {"sys":"token","token":...}} and lives on; every other session of
 * that user still on an older generation is ended with {@code token-revoked}, since its token no
 * longer works anywhere.
 */
public final class SecurityService implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(SecurityService.class);

    private final Engine engine;
    private final SecurityConfig config;
    private final SecurityDirectory dir;
    private final Authenticator auth;
    private final AccessGuard guard = new AccessGuard();
    private final SecurityEventFilter filter;
    private final SecurityAdmin admin;
    private final SessionExpiry expiry;
    private final ScheduledExecutorService sweeper;
    private final ExecutorService work;

    public SecurityService(Engine engine, SecurityConfig config) {
        this.engine = engine;
        this.config = config;
        this.dir = new SecurityDirectory(engine.store(), engine::now);
        this.work = Executors.newFixedThreadPool(Math.max(2, Runtime.getRuntime().availableProcessors()), r -> {
            Thread t = new Thread(r, "sb-security");
            t.setDaemon(true);
            return t;
        });
        this.auth = config.enabled() ? new Authenticator(config, dir, new TokenService(config), engine::now, work) : null;
        this.filter = new SecurityEventFilter(dir::version, this::permissionsOf);
        this.admin = new SecurityAdmin(dir, this);
        this.expiry = new SessionExpiry(engine, config, dir);
        this.sweeper = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "sb-session-sweep");
            t.setDaemon(true);
            return t;
        });
    }

    /** Loads users and groups, installs the event filter and starts the sweep. No-op when disabled. */
    public void start() {
        if (!config.enabled()) {
            LOG.warn("security is disabled: every client is anonymous and may do anything (development only)");
            return;
        }
        engine.observeCommits(SecurityDirectory.ROOT + "/", dir::apply);
        dir.onChange(expiry::onChange);
        dir.load();
        engine.eventFilter(filter);
        long every = config.sweepIntervalMs();
        sweeper.scheduleWithFixedDelay(expiry::sweep, every, every, TimeUnit.MILLISECONDS);
    }

    public boolean enabled() {
        return config.enabled();
    }

    public SecurityConfig config() {
        return config;
    }

    public SecurityDirectory directory() {
        return dir;
    }

    /**
     * Creates user {@code admin} in group {@code admin} unless a global admin exists.
     *
     * @return the generated password when {@code adminPassword} was null and a user was created
     *         (print it once), else null
     */
    public String bootstrap(String adminPassword) {
        boolean exists = dir.users().stream().anyMatch(u -> u.tenant() == null && u.inGroup(Group.ADMIN));
        if (exists) {
            return null;
        }
        String pw = adminPassword != null ? adminPassword : Ids.random(24);
        if (dir.group(Group.ADMIN) == null) {
            ObjectNode perms = Json.object();
            perms.set("*", Json.object().set("actions", Json.MAPPER.createArrayNode().add("*")));
            dir.putGroup(new Group(Group.ADMIN, perms)).join();
        }
        admin.createUser(new User(null, "admin", null, null, List.of(), List.of(Group.ADMIN), null, false, List.of(), null),
                pw, null).join();
        return adminPassword == null ? pw : null;
    }

    // ---------------------------------------------------------------- authentication

    /**
     * Authenticates a stateful session for {@code connect}. Returns the reply fields to add:
     * {@code user: {id, username, tenant, groups, scopes}} and {@code token}.
     */
    public CompletableFuture<ObjectNode> connect(Session s, Request.Connect c) {
        if (!config.enabled()) {
            s.principal(Principal.ANONYMOUS);
            return CompletableFuture.completedFuture(Json.object().putNull("user"));
        }
        CompletableFuture<SessionAuth> a;
        if (c.token() != null) {
            a = CompletableFuture.supplyAsync(() -> fromToken(c.token(), s.type(), s.remoteAddress()), work);
        } else if (c.username() != null && c.password() != null) {
            String user = c.username();
            String tenant = null;
            int slash = user.indexOf('/');
            if (slash > 0) {
                tenant = user.substring(0, slash);
                user = user.substring(slash + 1);
            }
            a = auth.login(user, c.password(), tenant).thenCompose(i -> {
                SessionAuth sa = authOf(i.verified(), i.user(), s.type(), s.remoteAddress());
                attach(s, sa);
                return auth.commitGen(i).thenApply(x -> sa);
            });
        } else {
            a = CompletableFuture.failedFuture(Authenticator.unauthenticated(Authenticator.BAD_CREDENTIALS));
        }
        return a.thenApply(sa -> {
            attach(s, sa);
            ObjectNode o = Json.object();
            o.set("user", userJson(sa.principal()));
            o.put("token", sa.token());
            return o;
        });
    }

    /**
     * Authenticates one HTTP request: a stateless, connected session whose principal is set, or a
     * failed future with UNAUTHENTICATED. In insecure mode every request is anonymous.
     */
    public CompletableFuture<Session> authenticateHttp(HttpCredentials creds, String remoteIp, SessionSink sink) {
        Session s = engine.openSession(SessionType.STATELESS, Principal.ANONYMOUS, sink, remoteIp);
        s.markConnected();
        if (!config.enabled()) {
            return CompletableFuture.completedFuture(s);
        }
        return authenticate(s, creds);
    }

    /**
     * Authenticates an already opened session (e.g. the stateful session of an SSE stream) with
     * HTTP credentials, without issuing a token; the caller marks it connected on success.
     * Basic credentials check the password and do not roll keys. Fails with UNAUTHENTICATED.
     */
    public CompletableFuture<Session> authenticate(Session s, HttpCredentials creds) {
        String remoteIp = s.remoteAddress();
        if (!config.enabled()) {
            return CompletableFuture.completedFuture(s);
        }
        String token = creds == null ? null : creds.token();
        if (token != null) {
            return CompletableFuture.supplyAsync(() -> {
                attach(s, fromToken(token, s.type(), remoteIp));
                return s;
            }, work);
        }
        if (creds != null && creds.basicUser() != null) {
            String user = creds.basicUser();
            String tenant = null;
            int slash = user.indexOf('/');
            if (slash > 0) {
                tenant = user.substring(0, slash);
                user = user.substring(slash + 1);
            }
            // Basic auth checks the password per request and issues no token, so it does not roll keys.
            User u = dir.byUsername(user, tenant);
            String pw = creds.basicPassword();
            CompletableFuture<String> hash = u == null ? CompletableFuture.completedFuture(null) : dir.credential(u.id());
            return hash.thenApplyAsync(h -> {
                if (!Passwords.verify(pw, h) || u == null || u.revoked()) {
                    throw Authenticator.unauthenticated(Authenticator.BAD_CREDENTIALS);
                }
                VerifiedToken vt = new VerifiedToken(VerifiedToken.Kind.LOCAL, u.id(), Ids.random(20), null, -1,
                        u.scopes(), u.tenant(), 0, null);
                attach(s, authOf(vt, u, s.type(), remoteIp));
                return s;
            }, work);
        }
        return CompletableFuture.failedFuture(Authenticator.unauthenticated("credentials required"));
    }

    /** {@code POST /api/auth/login}: {@code {token, user}}. */
    public CompletableFuture<ObjectNode> login(String username, String password, String tenant) {
        requireEnabled();
        return auth.login(username, password, tenant).thenCompose(i -> auth.commitGen(i).thenApply(x -> issuedJson(i)));
    }

    /** {@code POST /api/auth/nonce}: a single-use nonce to sign with a registered key. */
    public String nonce(String username, String tenant) {
        requireEnabled();
        return auth.nonce(username, tenant);
    }

    /** Completes a nonce login: {@code signature} is base64 of the nonce signed with the user's key. */
    public CompletableFuture<ObjectNode> loginWithNonce(String username, String tenant, String nonce, String signature) {
        requireEnabled();
        return auth.loginWithNonce(username, tenant, nonce, signature)
                .thenCompose(i -> auth.commitGen(i).thenApply(x -> issuedJson(i)));
    }

    /**
     * {@code POST /api/auth/refresh}: a valid token of this server for a new one (same login
     * session). Live sessions of that login receive {@code {"sys":"token"}} with the new token.
     */
    public CompletableFuture<ObjectNode> refresh(String token) {
        requireEnabled();
        return CompletableFuture.supplyAsync(() -> auth.verify(token), work).thenCompose(vt -> {
            User u = dir.user(vt.userId());
            if (vt.kind() != VerifiedToken.Kind.LOCAL || u == null) {
                throw Authenticator.unauthenticated(Authenticator.BAD_TOKEN);
            }
            return auth.issue(u, vt.sid());
        }).thenCompose(i -> {
            for (Session s : engine.sessions()) {
                SessionAuth a = SessionAuth.of(s);
                if (a != null && i.verified().sid().equals(a.sid)) {
                    a.rolled(i.token(), i.verified().gen(), i.verified().expiresAt());
                    s.sink().system(Json.object().put("sys", "token").put("token", i.token()));
                }
            }
            return auth.commitGen(i).thenApply(x -> issuedJson(i));
        });
    }

    /** {@code POST /api/auth/logout}: revokes the token's login session on every node, at once. */
    public CompletableFuture<Void> logout(String token) {
        requireEnabled();
        return CompletableFuture.supplyAsync(() -> auth.verify(token), work)
                .thenCompose(vt -> dir.revoke(vt.sid(), vt.expiresAt()));
    }

    /** The admin API for an authenticated session of a global {@code admin} group member. */
    public SecurityAdmin admin(Session s) {
        requireEnabled();
        SessionAuth a = s == null ? null : SessionAuth.of(s);
        if (a == null) {
            throw Authenticator.unauthenticated("credentials required");
        }
        Principal p = a.principal();
        if (!a.adminKey && (p.tenant() != null || !p.groups().contains(Group.ADMIN))) {
            throw AccessGuard.forbidden();
        }
        return admin;
    }

    /** The admin API for the {@code auth.adminToken} API key. */
    public SecurityAdmin admin(String adminToken) {
        requireEnabled();
        if (!auth.isAdminToken(adminToken)) {
            throw Authenticator.unauthenticated("credentials required");
        }
        return admin;
    }

    // ---------------------------------------------------------------- pipeline hooks

    /**
     * Called by the pipeline before every op of a connected session: ends it if expired, idle,
     * over its usage limit or revoked (UNAUTHENTICATED), and counts the op.
     */
    public void admit(Session s) {
        SessionAuth a = SessionAuth.of(s);
        long now = engine.now();
        if (a == null) {
            s.touch(now);
            throw Authenticator.unauthenticated("credentials required");
        }
        // Inactivity is judged on the time before this op, so check before touching.
        String reason = expiry.reason(s, a, now, s.usage());
        long used = s.touch(now);
        if (reason == null && a.profile != null && a.profile.usageLimit() > 0 && used > a.profile.usageLimit()) {
            reason = "usage-limit";
        }
        if (reason != null) {
            expiry.end(s, reason);
            throw Authenticator.unauthenticated("session ended: " + reason);
        }
    }

    /** Checks and maps a request; see {@link AccessGuard}. */
    AccessGuard.Guarded guard(Session s, Request r) {
        SessionAuth a = SessionAuth.of(s);
        return guard.guard(a, permissionsOf(a), r);
    }

    /** Maps a request to stored paths (FORBIDDEN when not permitted) and returns how to map its result back. */
    public Checked check(Session s, Request r) {
        AccessGuard.Guarded g = guard(s, r);
        return new Checked(g.request(), g.result() == null ? x -> x : g.result());
    }

    /** A permitted request, mapped to stored paths, and the mapping of its result. */
    public record Checked(Request request, java.util.function.UnaryOperator<JsonNode> result) { }

    /** The session's compiled permissions, rebuilt when users or groups changed. */
    Permissions permissionsOf(SessionAuth a) {
        long v = dir.version();
        Permissions p = a.permissions(v);
        if (p != null) {
            return p;
        }
        Principal pr = a.principal();
        Permissions perms;
        if (a.adminKey) {
            perms = Permissions.ALL;
        } else {
            User u = dir.user(pr.userId());
            if (u != null) {
                pr = principalOf(u, a.token);
            }
            perms = PermissionCompiler.compile(pr, u == null ? null : u.permissions(), dir::group);
            if (a.profile != null && a.profile.permissions() != null) {
                perms = perms.narrowedTo(PermissionCompiler.compile(a.profile.permissions(), pr));
            }
        }
        a.permissions(pr, perms, v);
        return perms;
    }

    // ---------------------------------------------------------------- internals

    private SessionAuth fromToken(String token, SessionType type, String ip) {
        VerifiedToken vt = auth.verify(token);
        return authOf(vt, dir.user(vt.userId()), type, ip);
    }

    private SessionAuth authOf(VerifiedToken vt, User u, SessionType type, String ip) {
        Principal p = u != null ? principalOf(u, vt)
                : new Principal(vt.userId(), vt.userId(), null, List.of(), vt.scopes());
        SessionProfile profile = SessionProfile.first(config.profiles(), p, type, ip);
        return new SessionAuth(vt, p, profile, engine.now(), false);
    }

    private static Principal principalOf(User u, VerifiedToken vt) {
        List<String> scopes = vt != null && vt.kind() == VerifiedToken.Kind.EXTERNAL
                ? Authenticator.union(u.scopes(), vt.scopes()) : u.scopes();
        return new Principal(u.id(), u.username(), u.tenant(), u.groups(), scopes);
    }

    private static void attach(Session s, SessionAuth a) {
        s.security(a);
        s.principal(a.principal());
    }

    static ObjectNode userJson(Principal p) {
        ObjectNode u = Json.object();
        u.put("id", p.userId());
        u.put("username", p.username());
        if (p.tenant() == null) {
            u.putNull("tenant");
        } else {
            u.put("tenant", p.tenant());
        }
        u.set("groups", User.array(p.groups()));
        u.set("scopes", User.array(p.scopes()));
        return u;
    }

    private static ObjectNode issuedJson(Authenticator.Issued i) {
        ObjectNode o = Json.object();
        o.put("token", i.token());
        o.set("user", userJson(principalOf(i.user(), i.verified())));
        return o;
    }

    private void requireEnabled() {
        if (!config.enabled()) {
            throw new SwitchboardException(io.switchboard.core.error.ErrorCode.BAD_REQUEST, "security is disabled");
        }
    }

    /** For tests and the admin API: the auth state of a session, if any. */
    public static SessionAuth authOf(Session s) {
        return SessionAuth.of(s);
    }

    /** Tells the client why, then closes the session. */
    void end(Session s, String reason) {
        expiry.end(s, reason);
    }

    /** Closes the sessions of a user now (admin revoke). */
    void endSessionsOf(String userId, String reason) {
        expiry.endSessionsOf(userId, reason);
    }

    Engine engine() {
        return engine;
    }

    @Override
    public void close() {
        sweeper.shutdownNow();
        work.shutdownNow();
    }
}
