package io.switchboard.core.security;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.switchboard.core.error.SwitchboardException;
import io.switchboard.core.json.Json;
import io.switchboard.core.model.Document;
import io.switchboard.core.model.Event;
import io.switchboard.core.model.EventType;
import io.switchboard.core.path.Pattern;
import io.switchboard.core.query.Query;
import io.switchboard.core.store.Store;
import io.switchboard.core.store.WriteOp;
import io.switchboard.core.store.WriteResult;

import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.function.LongSupplier;

/**
 * Users, groups, key generations and revocations, persisted as ordinary documents under
 * {@code /_system/**} through {@link Store#write} (so every store keeps them) and cached in
 * memory. The cache follows committed events under {@code /_system/} ({@link #apply}), so a change
 * made on any node takes effect at once and before the writer's reply. Credentials
 * ({@code /_system/credentials/{id}}) are written without an event and never cached or returned.
 *
 * <p>Layout: {@code users/{id}}, {@code groups/{name}}, {@code credentials/{id}} {hash},
 * {@code gens/{id}} {gen}, {@code revoked/{tokenId|sid}} {exp}, {@code usernames/{tenant|_}/{lowercase name}}
 * {userId} (a uniqueness index written with {@code ifVersion: 0}, so duplicates are CONFLICT
 * even across nodes).
 */
public final class SecurityDirectory {
    public static final String ROOT = "/_system";
    static final String USERS = ROOT + "/users/";
    static final String GROUPS = ROOT + "/groups/";
    static final String CREDENTIALS = ROOT + "/credentials/";
    static final String GENS = ROOT + "/gens/";
    static final String REVOKED = ROOT + "/revoked/";
    static final String NAMES = ROOT + "/usernames/";
    private static final String BY = "_security";

    /** A change seen in the log, for the service to react (close sessions, drop caches). */
    public record Change(String kind, String id) { }

    private final Store store;
    private final java.util.function.Function<WriteOp, CompletableFuture<WriteResult>> writer;
    private final LongSupplier clock;
    private final Map<String, User> users = new ConcurrentHashMap<>();
    private final Map<String, Group> groups = new ConcurrentHashMap<>();
    private final Map<String, Long> gens = new ConcurrentHashMap<>();
    private final Map<String, Long> revoked = new ConcurrentHashMap<>();
    private final Map<String, String> names = new ConcurrentHashMap<>();
    private final AtomicLong version = new AtomicLong();
    private final List<Consumer<Change>> listeners = new CopyOnWriteArrayList<>();

    /**
     * @param writer writes through the engine, completing once the commit observers ran, so
     *               the caches here are current when a write returns
     */
    public SecurityDirectory(Store store, java.util.function.Function<WriteOp, CompletableFuture<WriteResult>> writer,
                             LongSupplier clock) {
        this.store = store;
        this.writer = writer;
        this.clock = clock;
    }

    /** Reads everything but credentials into memory; call after the store is open. */
    public void load() {
        for (String prefix : List.of(USERS, GROUPS, GENS, REVOKED, NAMES)) {
            Pattern p = Pattern.compile(prefix + "**", "pattern");
            List<Document> docs = store.query(new Query(p, null, null, null, 1_000_000, 0, false)).join().items();
            for (Document d : docs) {
                put(d.path(), d.data());
            }
        }
        version.incrementAndGet();
    }

    /** Applies one committed event under {@code /_system/}, from any node (called on the dispatch thread). */
    public void apply(Event e) {
        if (e.type() == EventType.REMOVE) {
            put(e.path(), null);
        } else if (e.type() == EventType.SET || e.type() == EventType.MERGE) {
            put(e.path(), e.data());
        }
    }

    private void put(String path, JsonNode data) {
        Change change = null;
        if (path.startsWith(USERS)) {
            String id = path.substring(USERS.length());
            if (data == null) {
                users.remove(id);
            } else {
                users.put(id, User.fromJson(data));
            }
            change = new Change("user", id);
        } else if (path.startsWith(GROUPS)) {
            String name = path.substring(GROUPS.length());
            if (data == null) {
                groups.remove(name);
            } else {
                groups.put(name, Group.fromJson(data));
            }
            change = new Change("group", name);
        } else if (path.startsWith(GENS)) {
            String id = path.substring(GENS.length());
            if (data == null) {
                gens.remove(id);
            } else {
                gens.put(id, data.path("gen").asLong());
            }
            change = new Change("gen", id);
        } else if (path.startsWith(REVOKED)) {
            String id = path.substring(REVOKED.length());
            if (data == null) {
                revoked.remove(id);
            } else {
                revoked.put(id, data.path("exp").asLong(Long.MAX_VALUE));
            }
            change = new Change("revoked", id);
        } else if (path.startsWith(NAMES)) {
            String key = path.substring(NAMES.length());
            if (data == null) {
                names.remove(key);
            } else {
                names.put(key, data.path("userId").asText());
            }
        }
        if (change != null) {
            if (!change.kind().equals("revoked") && !change.kind().equals("gen")) {
                version.incrementAndGet();
            }
            for (Consumer<Change> l : listeners) {
                l.accept(change);
            }
        }
    }

    /** Called for every change applied (on the writer thread; must not block). */
    public void onChange(Consumer<Change> l) {
        listeners.add(l);
    }

    /** Grows whenever users or groups change: compiled permissions older than this are stale. */
    public long version() {
        return version.get();
    }

    public User user(String id) {
        return id == null ? null : users.get(id);
    }

    public Collection<User> users() {
        return users.values();
    }

    public Group group(String name) {
        return groups.get(name);
    }

    public Collection<Group> groups() {
        return groups.values();
    }

    public long gen(String userId) {
        return gens.getOrDefault(userId, 0L);
    }

    public boolean isRevoked(String tokenIdOrSid) {
        return tokenIdOrSid != null && revoked.containsKey(tokenIdOrSid);
    }

    /** The user with this username in {@code tenant} (null = global), case-insensitively. */
    public User byUsername(String username, String tenant) {
        if (username == null) {
            return null;
        }
        return user(names.get(nameKey(username, tenant)));
    }

    static String nameKey(String username, String tenant) {
        return (tenant == null ? "_" : tenant) + "/" + username.toLowerCase(Locale.ROOT);
    }

    // ---- writes: each completes after commit, when the cache already reflects it ----

    CompletableFuture<Void> reserveName(String username, String tenant, String userId) {
        return set(NAMES + nameKey(username, tenant), Json.object().put("userId", userId), 0L, false)
                .exceptionally(err -> {
                    SwitchboardException se = SwitchboardException.of(err);
                    throw se.code() == io.switchboard.core.error.ErrorCode.CONFLICT
                            ? SwitchboardException.conflict("username is taken") : se;
                });
    }

    CompletableFuture<Void> releaseName(String username, String tenant) {
        return remove(NAMES + nameKey(username, tenant));
    }

    CompletableFuture<Void> putUser(User u) {
        return set(USERS + u.id(), u.toJson(), null, false);
    }

    CompletableFuture<Void> deleteUser(String id) {
        return remove(USERS + id).thenCompose(x -> remove(CREDENTIALS + id)).thenCompose(x -> remove(GENS + id));
    }

    CompletableFuture<Void> putGroup(Group g) {
        return set(GROUPS + g.name(), g.toJson(), null, false);
    }

    CompletableFuture<Void> deleteGroup(String name) {
        return remove(GROUPS + name);
    }

    /** Stores a hash without an event, so it never enters the event log. */
    CompletableFuture<Void> putCredential(String userId, String hash) {
        return set(CREDENTIALS + userId, Json.object().put("hash", hash), null, true);
    }

    /** The stored hash, read from the store (hashes are not kept in memory). */
    CompletableFuture<String> credential(String userId) {
        return store.get(CREDENTIALS + userId).thenApply((Optional<Document> d) ->
                d.map(doc -> doc.data().path("hash").asText(null)).orElse(null));
    }

    CompletableFuture<Void> putGen(String userId, long gen) {
        return set(GENS + userId, Json.object().put("gen", gen), null, false);
    }

    /** Revokes a token id or login session id until {@code exp} (kept for pruning later). */
    CompletableFuture<Void> revoke(String tokenIdOrSid, long exp) {
        return set(REVOKED + tokenIdOrSid, Json.object().put("exp", exp).put("at", clock.getAsLong()), null, false);
    }

    private CompletableFuture<Void> set(String path, ObjectNode data, Long ifVersion, boolean noPublish) {
        WriteOp op = new WriteOp.Set(path, data, false, ifVersion, null, BY, false, noPublish, clock.getAsLong());
        return writer.apply(op).thenApply((WriteResult r) -> null);
    }

    private CompletableFuture<Void> remove(String path) {
        WriteOp op = new WriteOp.Remove(Pattern.compile(path, "path"), null, BY, false, clock.getAsLong());
        return writer.apply(op).thenApply(r -> null);
    }
}
