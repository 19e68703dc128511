package io.switchboard.core.channel;

import io.switchboard.core.model.Document;
import io.switchboard.core.model.Event;
import io.switchboard.core.model.EventType;
import io.switchboard.core.path.Pattern;
import io.switchboard.core.query.Query;
import io.switchboard.core.security.ChannelMemberships;
import io.switchboard.core.security.SecurityDirectory;
import io.switchboard.core.store.Store;

import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Every channel's state, cached from the documents under {@code /_system/channels/} and kept
 * current from committed events of every node (the engine's commit observers run before an
 * event is fanned out), with an index from user to channels. It is the security model's source
 * of channel membership ({@link ChannelMemberships}): each change raises {@link #version}, so
 * permissions recompile and the next delivered event is already checked against it.
 */
public final class ChannelDirectory implements ChannelMemberships {
    /** Where channel state lives: hidden from every client like the rest of {@code /_system}. */
    public static final String ROOT = SecurityDirectory.ROOT + "/channels/";

    private final Map<String, Channel> channels = new ConcurrentHashMap<>();
    private final Map<String, Set<String>> byUser = new ConcurrentHashMap<>();
    private final AtomicLong version = new AtomicLong();

    /** The stored path of channel {@code id} of {@code tenant} (null = global). */
    public static String path(String tenant, String id) {
        return ROOT + tenantKey(tenant) + "/" + id;
    }

    private static String tenantKey(String tenant) {
        return tenant == null ? "_" : tenant;
    }

    private static String userKey(String tenant, String userId) {
        return tenantKey(tenant) + "\u0000" + userId;
    }

    /** Reads every channel into memory; call after the store is open. */
    public void load(Store store) {
        Pattern p = Pattern.compile(ROOT + "**", "pattern");
        List<Document> docs = store.query(new Query(p, null, null, null, 1_000_000, 0, false)).join().items();
        for (Document d : docs) {
            put(d.path(), Channel.fromJson(d.data()));
        }
        version.incrementAndGet();
    }

    /** Applies one committed event under {@link #ROOT}, from any node (dispatch thread). */
    public void apply(Event e) {
        if (e.type() == EventType.REMOVE) {
            put(e.path(), null);
        } else if (e.type() == EventType.SET) {
            put(e.path(), Channel.fromJson(e.data()));
        }
    }

    private synchronized void put(String path, Channel next) {
        Channel prev = next == null ? channels.remove(path) : channels.put(path, next);
        if (prev != null) {
            for (String u : prev.members()) {
                Set<String> ids = byUser.get(userKey(prev.tenant(), u));
                if (ids != null) {
                    ids.remove(prev.id());
                    if (ids.isEmpty()) {
                        byUser.remove(userKey(prev.tenant(), u));
                    }
                }
            }
        }
        if (next != null) {
            for (String u : next.members()) {
                byUser.computeIfAbsent(userKey(next.tenant(), u), k -> ConcurrentHashMap.newKeySet()).add(next.id());
            }
        }
        version.incrementAndGet();
    }

    /** The channel, or null when there is none (a deleted one is returned as its tombstone). */
    public Channel get(String tenant, String id) {
        return channels.get(path(tenant, id));
    }

    @Override
    public long version() {
        return version.get();
    }

    @Override
    public Collection<String> channelsOf(String tenant, String userId) {
        Set<String> ids = byUser.get(userKey(tenant, userId));
        return ids == null ? List.of() : List.copyOf(ids);
    }
}
