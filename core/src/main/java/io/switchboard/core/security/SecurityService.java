package io.switchboard.core.security;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.switchboard.core.engine.Engine;
import io.switchboard.core.engine.Ids;
import io.switchboard.core.error.ErrorCode;
import io.switchboard.core.error.SwitchboardException;
import io.switchboard.core.json.Json;
import io.switchboard.core.pipeline.Pipeline;
import io.switchboard.core.pipeline.Slot;
import io.switchboard.core.result.DisconnectReason;
import io.switchboard.core.result.Notice;
import io.switchboard.core.session.Principal;
import io.switchboard.core.session.Session;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * The security model (SPEC section 6): users, groups, tokens, sessions, tenants. Create it after
 * the engine, {@link #start()} it after {@code engine.start()}, and {@link #install} its stages
 * into the pipeline; doors never call it to authenticate — the pipeline's stages do:
 * authentication ({@link AuthenticateStage}, credentials of every kind on {@code connect},
 * admission on every later op), authorization ({@link AuthorizeStage}, permissions on the
 * client's paths) and tenant mapping ({@link TenantStage}). Fan-out is checked per delivery by
 * {@link SecurityEventFilter}.
 *
 * <p>What remains here for the HTTP routes: token refresh and logout, nonces, the admin API
 * for an authenticated admin session ({@link #admin(Session)}), and the {@code /@HTTP}
 * permission check of custom HTTP routes ({@link #authorizeHttp}).
 *
 * <p>Sessions end without per-session timers: one sweep every {@code sweepIntervalMs} over the
 * engine's stateful sessions, plus a check on every op. Rolling keys: a login or refresh raises
 * the user's generation; the session that refreshed gets {@link Notice.TokenRolled} and lives on,
 * every other session of that user on an older generation ends with {@code token-revoked}.
 */
public final class SecurityService implements AutoCloseable {
    private final Engine engine;
    private final SecurityConfig config;
    private final SecurityDirectory dir;
    private final Authenticator auth;
    private final SecurityEventFilter filter;
    private final SecurityAdmin admin;
    private final SessionExpiry expiry;
    private final SessionAuthenticator sessions;
    private final ScheduledExecutorService sweeper;
    private final ExecutorService work;
    private volatile ChannelMemberships memberships = ChannelMemberships.NONE;

    public SecurityService(Engine engine, SecurityConfig config) {
        this.engine = engine;
        this.config = config;
        this.dir = new SecurityDirectory(engine.store(), engine::write, engine::now);
        this.work = Executors.newFixedThreadPool(Math.max(2, Runtime.getRuntime().availableProcessors()), r -> {
            Thread t = new Thread(r, "sb-security");
            t.setDaemon(true);
            return t;
        });
        this.auth = config.enabled() ? new Authenticator(config, dir, new TokenService(config), engine::now, work) : null;
        this.filter = new SecurityEventFilter(this::version, this::permissionsOf);
        this.admin = new SecurityAdmin(dir, this);
        this.expiry = new SessionExpiry(engine, config, dir);
        this.sessions = new SessionAuthenticator(config, dir, auth, expiry, engine::now, work);
        this.sweeper = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "sb-session-sweep");
            t.setDaemon(true);
            return t;
        });
    }

    /** Loads users and groups, installs the delivery filter and starts the sweep. No-op when disabled. */
    public void start() {
        if (!config.enabled()) {
            return;
        }
        engine.observeCommits(SecurityDirectory.ROOT + "/", dir::apply);
        dir.onChange(expiry::onChange);
        dir.load();
        engine.addDeliveryFilter(filter);
        long every = config.sweepIntervalMs();
        sweeper.scheduleWithFixedDelay(expiry::sweep, every, every, TimeUnit.MILLISECONDS);
    }

    /**
     * Adds the security stages to the pipeline: authentication, authorization and tenant
     * mapping. In insecure mode nothing is added: every session connects as the anonymous
     * principal and may do anything.
     */
    public Pipeline.Builder install(Pipeline.Builder b) {
        if (config.enabled()) {
            b.add(Slot.AUTHENTICATE, new AuthenticateStage(sessions))
                    .add(Slot.AUTHORIZE, new AuthorizeStage(this::permissionsOf, engine.options().maxQueryLimit()))
                    .add(Slot.TENANT, new TenantStage());
        }
        return b;
    }

    /**
     * Where channel membership comes from: it decides alone on the channel area
     * ({@link ChannelMemberships#ROOT}); until set, that area is closed to everyone.
     */
    public void memberships(ChannelMemberships m) {
        this.memberships = m == null ? ChannelMemberships.NONE : m;
    }

    /** Grows whenever users, groups or channel memberships change: compiled permissions older than this are stale. */
    long version() {
        return dir.version() + memberships.version();
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

    /** True when a global user of group {@code admin} exists. */
    public boolean hasGlobalAdmin() {
        return dir.users().stream().anyMatch(u -> u.tenant() == null && u.inGroup(Group.ADMIN));
    }

    /**
     * Sets user {@code admin}'s password to {@code wanted} if it still is {@code current} (the
     * generated one); returns whether it did. Slow (password hashing): start-up only.
     */
    public boolean replaceAdminPassword(String current, String wanted) {
        User u = dir.byUsername("admin", null);
        if (u == null) {
            return false;
        }
        String hash = dir.credential(u.id()).join();
        if (hash == null || !Passwords.verify(current, hash)) {
            return false;
        }
        admin.setPassword(u.id(), wanted).join();
        return true;
    }

    // ---------------------------------------------------------------- tokens

    /** {@code POST /api/auth/nonce}: a single-use nonce to sign with a registered key. */
    public String nonce(String username, String tenant) {
        requireEnabled();
        return auth.nonce(username, tenant);
    }

    /** How long a nonce may be signed and used (60 s). */
    public static final long NONCE_TTL_MS = Authenticator.NONCE_TTL_MS;

    /**
     * A single-use nonce bound to {@code publicKey} (for doors whose clients ask by key, as
     * happn-3's {@code request-nonce}); log in with {@link io.switchboard.core.op.Credentials.SignedNonce}
     * naming that key.
     */
    public String nonceForKey(String publicKey) {
        requireEnabled();
        return auth.nonceForKey(publicKey);
    }

    /**
     * {@code POST /api/auth/refresh}: a valid token of this server for a new one (same login
     * session). Live sessions of that login receive {@link Notice.TokenRolled} with the new token.
     */
    public CompletableFuture<TokenGrant> refresh(String token) {
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
                    s.sink().notice(new Notice.TokenRolled(i.token()));
                }
            }
            return auth.commitGen(i).thenApply(x -> new TokenGrant(i.token(),
                    SessionAuthenticator.principalOf(i.user(), i.verified())));
        });
    }

    /** {@code POST /api/auth/logout}: revokes the token's login session on every node, at once. */
    public CompletableFuture<Void> logout(String token) {
        requireEnabled();
        return CompletableFuture.supplyAsync(() -> auth.verify(token), work)
                .thenCompose(vt -> dir.revoke(vt.sid(), vt.expiresAt()));
    }

    /**
     * The user of {@code s} changes its own password: {@code current} must be its password now
     * (else UNAUTHENTICATED, as a failed login); {@code wanted} follows {@code auth.minPasswordLength}.
     * Sessions and tokens already issued stay valid.
     */
    public CompletableFuture<Void> changePassword(Session s, String current, String wanted) {
        requireEnabled();
        SessionAuth a = SessionAuth.of(s);
        Principal p = a == null ? null : a.principal();
        User u = p == null || p.userId() == null ? null : dir.user(p.userId());
        if (u == null) {
            return CompletableFuture.failedFuture(Authenticator.unauthenticated("not logged in as a user"));
        }
        if (wanted == null || wanted.isEmpty()) {
            return CompletableFuture.failedFuture(SwitchboardException.badRequest("newPassword", "is required"));
        }
        return dir.credential(u.id()).thenApplyAsync(hash -> {
            if (hash == null || current == null || !Passwords.verify(current, hash)) {
                throw Authenticator.unauthenticated(Authenticator.BAD_CREDENTIALS);
            }
            return u.id();
        }, work).thenCompose(id -> admin.setPassword(id, wanted));
    }

    /**
     * Accepts {@code key} as an admin API key besides {@code auth.adminToken} (an adapter's own
     * admin token). Blank keys are ignored.
     */
    public void addAdminKey(String key) {
        if (auth != null && key != null && !key.isBlank()) {
            auth.addAdminKey(key);
        }
    }

    /**
     * Self-registration, for a door that offers it (broker generation 1's {@code POST /users}):
     * creates {@code spec} with {@code password} under the same checks as the admin API. The
     * user may belong to no group, so signing up never grants more than the door's own
     * {@code permissions} in {@code spec}. CONFLICT when the username is taken in its tenant.
     */
    public CompletableFuture<com.fasterxml.jackson.databind.node.ObjectNode> signUp(User spec, String password) {
        requireEnabled();
        if (!spec.groups().isEmpty()) {
            throw SwitchboardException.badRequest("groups", "a user who signs up joins no group");
        }
        if (password == null || password.isEmpty()) {
            throw SwitchboardException.badRequest("password", "is required");
        }
        return admin.createUser(spec, password, null);
    }

    /** True when {@code candidate} is the configured admin API key (constant-time). */
    public boolean isAdminKey(String candidate) {
        return auth != null && auth.isAdminToken(candidate);
    }

    /**
     * Checks a request on a custom HTTP route (static files) for a session the pipeline
     * authenticated: the lowercase {@code method} on {@code /@HTTP<urlPath>} (see
     * {@link HttpRouteAccess}). UNAUTHENTICATED without an identity, FORBIDDEN when not
     * permitted; in insecure mode everything is allowed.
     */
    public void authorizeHttp(Session s, String method, String urlPath) {
        if (!config.enabled()) {
            return;
        }
        SessionAuth a = s == null ? null : SessionAuth.of(s);
        if (a == null) {
            throw Authenticator.unauthenticated("credentials required");
        }
        HttpRouteAccess.check(permissionsOf(a), method, urlPath);
    }

    /**
     * The admin API for a session the pipeline authenticated: a global {@code admin} group
     * member, or the admin API key. UNAUTHENTICATED without an identity, FORBIDDEN otherwise.
     */
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

    /**
     * The admin API without a session, for a door that registers users itself (an adapter's open
     * sign-up, such as Hatch@'s {@code POST /users}); the door decides what a request may change.
     */
    public SecurityAdmin systemAdmin() {
        requireEnabled();
        return admin;
    }

    /** The session's compiled permissions, rebuilt when users or groups changed. */
    Permissions permissionsOf(SessionAuth a) {
        long v = version();
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
                pr = SessionAuthenticator.principalOf(u, a.token);
            }
            perms = PermissionCompiler.compile(pr, u == null ? null : u.permissions(),
                    u == null ? null : u.pathSyntax(), dir::group);
            if (a.profile != null && a.profile.permissions() != null) {
                perms = perms.narrowedTo(PermissionCompiler.compile(a.profile.permissions(), pr));
            }
        }
        perms = perms.withArea(ChannelGrants.AREA, pr.userId() == null ? Permissions.NONE
                : ChannelGrants.of(memberships.channelsOf(pr.tenant(), pr.userId())));
        a.permissions(pr, perms, v);
        return perms;
    }

    private void requireEnabled() {
        if (!config.enabled()) {
            throw new SwitchboardException(ErrorCode.BAD_REQUEST, "security is disabled");
        }
    }

    /** For tests and the admin API: the auth state of a session, if any. */
    public static SessionAuth authOf(Session s) {
        return SessionAuth.of(s);
    }

    /** Tells the client why, then closes the session. */
    void end(Session s, DisconnectReason reason) {
        expiry.end(s, reason);
    }

    /**
     * Ends {@code parent}'s child sessions on this node with {@code reason}: the other sessions
     * of its login session that authenticated with one of its tokens rather than logging in
     * themselves (happn-3's {@code disconnect-child-sessions}). Their token stays valid. A
     * session that did not begin its login (it came in with a token) has no children.
     *
     * @return how many sessions were ended
     */
    public int endChildSessions(Session parent, DisconnectReason reason) {
        SessionAuth p = SessionAuth.of(parent);
        if (p == null || !p.beganLogin || p.sid == null) {
            return 0;
        }
        int n = 0;
        for (Session s : engine.sessions()) {
            SessionAuth a = SessionAuth.of(s);
            if (s != parent && a != null && !a.beganLogin && p.sid.equals(a.sid)) {
                expiry.end(s, reason);
                n++;
            }
        }
        return n;
    }

    /** Closes the sessions of a user now (admin revoke). */
    void endSessionsOf(String userId, DisconnectReason reason) {
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
