package io.switchboard.core.security;

import io.switchboard.core.store.memory.MemoryData;
import io.switchboard.core.store.memory.MemoryStore;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.password4j.BcryptFunction;
import com.password4j.types.Bcrypt;
import io.switchboard.core.engine.Engine;
import io.switchboard.core.engine.EngineOptions;
import io.switchboard.core.pipeline.Pipeline;
import io.switchboard.core.error.ErrorCode;
import io.switchboard.core.error.SwitchboardException;
import io.switchboard.core.json.Json;
import io.switchboard.core.model.Event;
import io.switchboard.core.op.Credentials;
import io.switchboard.core.result.DisconnectReason;
import io.switchboard.core.result.Notice;
import io.switchboard.core.result.Result;
import io.switchboard.core.router.Subscription;
import io.switchboard.core.testing.RecordingSink;
import io.switchboard.core.wire.NativeEncoder;
import io.switchboard.core.security.SecurityAdmin;
import io.switchboard.core.security.SecurityConfig;
import io.switchboard.core.security.SecurityService;
import io.switchboard.core.security.SessionProfile;
import io.switchboard.core.security.User;
import io.switchboard.core.session.Session;
import io.switchboard.core.session.SessionSink;
import io.switchboard.core.session.SessionType;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** The security model end to end through the pipeline, on the in-memory store. */
class SecurityPipelineTest {
    /** What a restart keeps (a new store on the same data). */
    private final MemoryData data = new MemoryData();
    static final byte[] SECRET = "0123456789abcdef0123456789abcdef".getBytes(StandardCharsets.UTF_8);
    Engine engine;
    SecurityService security;
    Pipeline pipeline;
    SecurityAdmin admin;

    /** A recording client over the pipeline (stateful session). */
    final class Client implements SessionSink {
        final Session session;
        final Map<Long, Object> replies = new ConcurrentHashMap<>();
        final List<Event> events = new CopyOnWriteArrayList<>();
        final List<ObjectNode> system = new CopyOnWriteArrayList<>();
        volatile String closedWith;

        Client() {
            session = pipeline.openStateful(this, "10.0.0.1", 0);
        }

        JsonNode call(String json) {
            ObjectNode msg = j(json);
            try {
                return NativeEncoder.result(pipeline.call(session, io.switchboard.core.op.RequestParser.parse(msg)).join());
            } catch (CompletionException e) {
                throw (SwitchboardException) e.getCause();
            }
        }

        ErrorCode fails(String json) {
            try {
                call(json);
            } catch (SwitchboardException e) {
                assertThat(e.getMessage()).doesNotContain("$argon2", "secret", "password");
                return e.code();
            }
            return null;
        }

        @Override public void reply(long id, Result r) { replies.put(id, r); }
        @Override public void error(long id, SwitchboardException e) { replies.put(id, e); }
        @Override public boolean push(Subscription sub, Event e, boolean ack) { events.add(e); return true; }
        @Override public void notice(Notice n) { system.add(NativeEncoder.notice(n)); }
        @Override public void close(DisconnectReason reason) {
            system.add(NativeEncoder.disconnect(reason));
            closedWith = reason.wire();
        }
    }

    /** A password login through the pipeline, as {@code POST /api/auth/login} does it. */
    String token(String username, String password) {
        return pipeline.connect(pipeline.openStateless(new RecordingSink(), "10.0.0.9"),
                new Credentials.Password(username, null, password)).join().token();
    }

    static List<String> paths(JsonNode page) {
        List<String> out = new java.util.ArrayList<>();
        page.path("items").forEach(i -> out.add(i.path("path").asText()));
        return out;
    }

    static ObjectNode j(String s) {
        try {
            return (ObjectNode) Json.parse(s.replace('\'', '"'));
        } catch (Exception e) {
            throw new IllegalArgumentException(e);
        }
    }

    void open(SecurityConfig config) {
        engine = new Engine(new MemoryStore(data), EngineOptions.defaults());
        engine.start();
        security = new SecurityService(engine, config);
        security.start();
        pipeline = security.install(Pipeline.builder(engine)).build();
        security.bootstrap("admin-pw");
        admin = security.admin(pipeline.authenticate(new Credentials.ApiKey(config.adminToken() == null ? "k" : config.adminToken()),
                "127.0.0.1", new RecordingSink()).join());
        admin.putGroup("readers", j("{'/news/**': {'actions': ['get','subscribe']}}")).join();
        admin.putGroup("writers", j("{'/news/**': {'actions': ['*'], 'prohibit': []}, '/news/secret/**': {'prohibit': ['*']},"
                + "'/home/{{user.username}}/**': {'actions': ['*']}}")).join();
        admin.putGroup("all", j("{'*': {'actions': ['*']}}")).join();
        user("reader", null, List.of("readers"), List.of());
        user("writer", null, List.of("writers"), List.of());
        user("scoped", null, List.of(), List.of("news:get"));
        user("ann", "acme", List.of("all"), List.of());
        user("bob", "globex", List.of("all"), List.of());
    }

    void user(String name, String tenant, List<String> groups, List<String> scopes) {
        admin.createUser(new User(name + "-id", name, null, tenant, scopes, groups, null, false, List.of(), null), "password-" + name, null).join();
    }

    Client login(String username) {
        Client c = new Client();
        c.call("{'op':'connect','username':'" + username + "','password':'password-" + username.substring(username.indexOf('/') + 1) + "'}");
        return c;
    }

    @AfterEach
    void stop() {
        if (security != null) {
            security.close();
        }
        if (engine != null) {
            engine.close();
        }
    }

    SecurityConfig config() {
        return SecurityConfig.secure(SECRET).withAdminToken("k").withSweepIntervalMs(50);
    }

    @Test
    void aUserChangesItsOwnPassword() {
        open(config());
        Client reader = login("reader");
        Throwable wrong = org.assertj.core.api.Assertions.catchThrowable(
                () -> security.changePassword(reader.session, "not-it", "new-password-1").join());
        assertThat(SwitchboardException.of(wrong).code()).isEqualTo(ErrorCode.UNAUTHENTICATED);
        Throwable tooShort = org.assertj.core.api.Assertions.catchThrowable(
                () -> security.changePassword(reader.session, "password-reader", "x").join());
        assertThat(SwitchboardException.of(tooShort).code()).isEqualTo(ErrorCode.BAD_REQUEST);
        security.changePassword(reader.session, "password-reader", "new-password-1").join();
        assertThat(new Client().fails("{'op':'connect','username':'reader','password':'password-reader'}"))
                .isEqualTo(ErrorCode.UNAUTHENTICATED);
        new Client().call("{'op':'connect','username':'reader','password':'new-password-1'}");
        Client anon = new Client();
        Throwable none = org.assertj.core.api.Assertions.catchThrowable(
                () -> security.changePassword(anon.session, "a", "new-password-2").join());
        assertThat(SwitchboardException.of(none).code()).isEqualTo(ErrorCode.UNAUTHENTICATED);
    }

    @Test
    void permissionMatrix() {
        open(config());
        Client adm = new Client();
        JsonNode r = adm.call("{'op':'connect','username':'admin','password':'admin-pw'}");
        assertThat(r.path("user").path("groups").toString()).contains("admin");
        assertThat(r.path("token").asText()).isNotEmpty();
        adm.call("{'op':'set','path':'/news/a','data':{'x':1}}");
        adm.call("{'op':'set','path':'/news/secret/s','data':{'x':2}}");
        adm.call("{'op':'set','path':'/private/p','data':{'x':3}}");

        Client anon = new Client();
        assertThat(anon.fails("{'op':'get','path':'/news/a'}")).isEqualTo(ErrorCode.UNAUTHENTICATED);
        assertThat(anon.fails("{'op':'connect'}")).isEqualTo(ErrorCode.UNAUTHENTICATED);
        assertThat(new Client().fails("{'op':'connect','username':'reader','password':'nope'}")).isEqualTo(ErrorCode.UNAUTHENTICATED);
        assertThat(new Client().fails("{'op':'connect','username':'nobody','password':'nope'}")).isEqualTo(ErrorCode.UNAUTHENTICATED);

        Client reader = login("reader");
        assertThat(reader.call("{'op':'get','path':'/news/a'}").path("data").path("x").asInt()).isEqualTo(1);
        assertThat(reader.call("{'op':'get','path':'/news/**'}").path("total").asInt()).isEqualTo(2);
        assertThat(reader.fails("{'op':'set','path':'/news/a','data':1}")).isEqualTo(ErrorCode.FORBIDDEN);
        assertThat(reader.fails("{'op':'remove','path':'/news/a'}")).isEqualTo(ErrorCode.FORBIDDEN);
        assertThat(reader.fails("{'op':'publish','path':'/news/a','data':1}")).isEqualTo(ErrorCode.FORBIDDEN);
        assertThat(reader.fails("{'op':'get','path':'/private/p'}")).isEqualTo(ErrorCode.FORBIDDEN);
        // a partly readable pattern is filtered, never refused: /private is left out
        assertThat(paths(reader.call("{'op':'get','path':'*'}"))).containsExactly("/news/a", "/news/secret/s");
        assertThat(reader.call("{'op':'get','path':'*'}").path("total").asInt()).isEqualTo(2);
        assertThat(reader.fails("{'op':'subscribe','pattern':'/private/**'}")).isEqualTo(ErrorCode.FORBIDDEN);
        reader.call("{'op':'history','pattern':'/news/**'}");
        assertThat(reader.fails("{'op':'history','pattern':'/private/**'}")).isEqualTo(ErrorCode.FORBIDDEN);

        Client writer = login("writer");
        writer.call("{'op':'set','path':'/news/b','data':{'y':1}}");
        writer.call("{'op':'publish','path':'/news/b','data':1}");
        writer.call("{'op':'set','path':'/home/writer/n','data':1}");
        assertThat(writer.fails("{'op':'set','path':'/home/reader/n','data':1}")).isEqualTo(ErrorCode.FORBIDDEN);
        assertThat(writer.fails("{'op':'get','path':'/news/secret/s'}")).isEqualTo(ErrorCode.FORBIDDEN);
        // the prohibition on /news/secret/** filters it out of every read of /news/**
        JsonNode page = writer.call("{'op':'get','path':'/news/**','limit':1}");
        assertThat(paths(page)).containsExactly("/news/a");
        assertThat(page.path("total").asInt()).isEqualTo(2);
        assertThat(paths(writer.call("{'op':'get','path':'/news/**','skip':1}"))).containsExactly("/news/b");
        assertThat(writer.call("{'op':'count','path':'/news/**'}").path("count").asInt()).isEqualTo(2);
        assertThat(writer.call("{'op':'history','pattern':'/news/**'}").path("events").toString())
                .contains("/news/a").doesNotContain("/news/secret");
        assertThat(writer.fails("{'op':'get','path':'/news/secret/**'}")).isEqualTo(ErrorCode.FORBIDDEN);
        assertThat(writer.call("{'op':'count','path':'/news/*'}").path("count").asInt()).isEqualTo(2);
        assertThat(writer.call("{'op':'remove','path':'/news/b'}").path("removed").asInt()).isEqualTo(1);

        Client scoped = login("scoped");
        scoped.call("{'op':'get','path':'/news/a'}");
        assertThat(scoped.fails("{'op':'set','path':'/news/a','data':1}")).isEqualTo(ErrorCode.FORBIDDEN);
        assertThat(scoped.fails("{'op':'subscribe','pattern':'/news/**'}")).isEqualTo(ErrorCode.FORBIDDEN);

        // /_system is out of bounds for everyone, admins included
        assertThat(adm.fails("{'op':'get','path':'/_system/users/admin'}")).isEqualTo(ErrorCode.FORBIDDEN);
        assertThat(adm.fails("{'op':'get','path':'/_system/**'}")).isEqualTo(ErrorCode.FORBIDDEN);
        assertThat(adm.fails("{'op':'history','pattern':'/_system/**'}")).isEqualTo(ErrorCode.FORBIDDEN);
        // the admin reads everything else: /** minus /_system
        assertThat(paths(adm.call("{'op':'get','path':'*'}"))).containsExactly("/home/writer/n", "/news/a", "/news/secret/s", "/private/p");
        assertThat(adm.call("{'op':'count','path':'*'}").path("count").asInt()).isEqualTo(4);
        assertThat(adm.call("{'op':'history','pattern':'*','limit':1000}").path("events").toString())
                .contains("/private/p").doesNotContain("/_system");
        assertThat(adm.fails("{'op':'set','path':'/_system/groups/x','data':{}}")).isEqualTo(ErrorCode.FORBIDDEN);
        assertThat(adm.fails("{'op':'remove','path':'/_system/**'}")).isEqualTo(ErrorCode.FORBIDDEN);
        // path tricks
        assertThat(reader.fails("{'op':'get','path':'/news/../private/p'}")).isEqualTo(ErrorCode.BAD_REQUEST);
        assertThat(reader.fails("{'op':'get','path':'/news/a%2F..%2Fprivate'}")).isEqualTo(ErrorCode.BAD_REQUEST);
        // another user's session id in a message is an unknown field: refused, never honoured
        assertThat(reader.fails("{'op':'set','path':'/news/a','data':1,'session':'" + writer.session.id() + "'}"))
                .isEqualTo(ErrorCode.BAD_REQUEST);
    }

    @Test
    void wildcardSubscribersSeeOnlyWhatTheyMayReadAndStopOnRevoke() {
        open(config());
        Client adm = new Client();
        adm.call("{'op':'connect','username':'admin','password':'admin-pw'}");
        Client reader = new Client();
        reader.call("{'op':'connect','username':'reader','password':'password-reader'}");
        reader.call("{'op':'subscribe','pattern':'*'}");
        adm.call("{'op':'set','path':'/private/p','data':1}");
        adm.call("{'op':'set','path':'/news/a','data':1}");
        await().atMost(Duration.ofSeconds(5)).until(() -> reader.events.size() == 1);
        assertThat(reader.events.get(0).path()).isEqualTo("/news/a");
        admin.putGroup("readers", j("{'/sports/**': {'actions': ['get','subscribe']}}")).join();
        adm.call("{'op':'set','path':'/news/b','data':1}");
        adm.call("{'op':'set','path':'/sports/x','data':1}");
        await().atMost(Duration.ofSeconds(5)).until(() -> reader.events.size() == 2);
        assertThat(reader.events).extracting(Event::path).containsExactly("/news/a", "/sports/x");
        assertThat(reader.events).extracting(Event::path).noneMatch(p -> p.startsWith("/_system"));
    }

    @Test
    void tenantsAreIsolated() {
        open(config());
        Client ann = login("acme/ann");
        Client bob = login("globex/bob");
        Client adm = new Client();
        adm.call("{'op':'connect','username':'admin','password':'admin-pw'}");
        ann.call("{'op':'subscribe','pattern':'*'}");
        JsonNode set = ann.call("{'op':'set','path':'/doc','data':{'v':'ann'}}");
        assertThat(set.path("path").asText()).isEqualTo("/doc");
        bob.call("{'op':'set','path':'/doc','data':{'v':'bob'}}");
        adm.call("{'op':'set','path':'/global','data':1}");
        assertThat(ann.call("{'op':'get','path':'/doc'}").path("data").path("v").asText()).isEqualTo("ann");
        assertThat(ann.call("{'op':'get','path':'/doc'}").path("path").asText()).isEqualTo("/doc");
        assertThat(ann.call("{'op':'get','path':'*'}").path("total").asInt()).isEqualTo(1);
        assertThat(ann.fails("{'op':'get','path':'/global'}")).isEqualTo(ErrorCode.NOT_FOUND);
        assertThat(adm.call("{'op':'get','path':'/t/acme/doc'}").path("data").path("v").asText()).isEqualTo("ann");
        assertThat(adm.call("{'op':'get','path':'/t/globex/doc'}").path("data").path("v").asText()).isEqualTo("bob");
        await().atMost(Duration.ofSeconds(5)).until(() -> ann.events.size() == 1);
        assertThat(ann.events.get(0).path()).isEqualTo("/doc");
        assertThat(ann.events.get(0).data().path("v").asText()).isEqualTo("ann");
        assertThat(ann.call("{'op':'history','pattern':'*'}").path("events").toString()).doesNotContain("bob", "/t/");
    }

    @Test
    void passwordsAreHashedAndNeverReturned() {
        open(config());
        JsonNode users = admin.listUsers(null);
        assertThat(users.toString()).doesNotContain("$argon2", "password-", "hash");
        JsonNode cred = engine.store().get("/_system/credentials/reader-id").join().orElseThrow().data();
        assertThat(cred.path("hash").asText()).startsWith("$argon2id$").doesNotContain("password-reader");
        JsonNode userDoc = engine.store().get("/_system/users/reader-id").join().orElseThrow().data();
        assertThat(userDoc.toString()).doesNotContain("$argon2", "password-reader");
        // bcrypt import, then rehash to argon2id on login
        String bcrypt = BcryptFunction.getInstance(Bcrypt.B, 6).hash("legacy").getResult();
        admin.createUser(new User("old-id", "old", null, null, null, null, null, false, null, null), null, bcrypt).join();
        Client c = new Client();
        c.call("{'op':'connect','username':'OLD','password':'legacy'}");
        assertThat(engine.store().get("/_system/credentials/old-id").join().orElseThrow().data().path("hash").asText())
                .startsWith("$argon2id$");
        // duplicate username (case-insensitive) in the same tenant
        try {
            admin.createUser(new User(null, "Reader", null, null, null, null, null, false, null, null), "long-enough-password", null).join();
            throw new AssertionError("expected CONFLICT");
        } catch (CompletionException e) {
            assertThat(SwitchboardException.of(e).code()).isEqualTo(ErrorCode.CONFLICT);
        }
    }

    @Test
    void tokensLogoutRevocationAndRollingKeys() {
        open(config().withRollingKeys(true));
        String t1 = token("reader", "password-reader");
        Client ws = new Client();
        ws.call("{'op':'connect','token':'" + t1 + "'}");
        ws.call("{'op':'get','path':'/news/**'}");
        // HTTP with the same token
        Session http = pipeline.authenticate(new Credentials.Token(t1), "1.2.3.4", ws).join();
        assertThat(((Result.Counted) pipeline.call(http, io.switchboard.core.op.RequestParser.parse(j("{'op':'count','path':'/news/*'}")))
                .join()).count()).isZero();
        // refresh rolls the generation: the refreshing session gets the new token, the old one dies
        String t2 = security.refresh(t1).join().token();
        assertThat(ws.system).anyMatch(m -> m.path("sys").asText().equals("token") && m.path("token").asText().equals(t2));
        ws.call("{'op':'get','path':'/news/**'}");
        assertThat(new Client().fails("{'op':'connect','token':'" + t1 + "'}")).isEqualTo(ErrorCode.UNAUTHENTICATED);
        // a newer login on another connection ends this older-generation session
        Client other = login("reader");
        await().atMost(Duration.ofSeconds(5)).until(() -> "token-revoked".equals(ws.closedWith));
        assertThat(ws.system).anyMatch(m -> "disconnect".equals(m.path("sys").asText()));
        // logout revokes at once
        String t3 = other.call("{'op':'ping'}").isNull() ? null : token("writer", "password-writer");
        Client w = new Client();
        w.call("{'op':'connect','token':'" + t3 + "'}");
        security.logout(t3).join();
        assertThat(w.closedWith).isEqualTo("token-revoked");
        assertThat(new Client().fails("{'op':'connect','token':'" + t3 + "'}")).isEqualTo(ErrorCode.UNAUTHENTICATED);
        // revoked user: sessions closed, no login
        admin.revokeUser("reader-id", true).join();
        assertThat(other.closedWith).isEqualTo("user-revoked");
        assertThat(new Client().fails("{'op':'connect','username':'reader','password':'password-reader'}")).isEqualTo(ErrorCode.UNAUTHENTICATED);
        // oversized token
        assertThat(new Client().fails("{'op':'connect','token':'" + "a".repeat(9000) + "'}")).isEqualTo(ErrorCode.UNAUTHENTICATED);
        try {
            pipeline.authenticate(new Credentials.Basic("writer", null, "bad"), "ip", ws).join();
            throw new AssertionError("expected 401");
        } catch (CompletionException e) {
            assertThat(SwitchboardException.of(e).code()).isEqualTo(ErrorCode.UNAUTHENTICATED);
        }
    }

    @Test
    void sessionProfilesEndSessionsWithTheRightReason() {
        open(config().withProfiles(List.of(
                new SessionProfile("limited", List.of("reader"), null, SessionType.STATEFUL, null, 0, 0, 3, null),
                new SessionProfile("idle", List.of("writer"), null, null, null, 0, 200, 0, null),
                new SessionProfile("short", List.of("scoped"), null, null, List.of("10.0."), 300, 0, 0, null))));
        Client reader = login("reader");
        // connect counts as the first operation
        reader.call("{'op':'ping'}");
        reader.call("{'op':'ping'}");
        assertThat(reader.fails("{'op':'ping'}")).isEqualTo(ErrorCode.UNAUTHENTICATED);
        assertThat(reader.closedWith).isEqualTo("usage-limit");
        Client writer = login("writer");
        Client scoped = login("scoped");
        await().atMost(Duration.ofSeconds(5)).until(() -> "inactivity-threshold".equals(writer.closedWith));
        await().atMost(Duration.ofSeconds(5)).until(() -> "token-expired".equals(scoped.closedWith));
        assertThat(scoped.system).anyMatch(m -> "token-expired".equals(m.path("reason").asText()));
    }
}
