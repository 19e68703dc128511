package io.switchboard.server;

import io.switchboard.core.store.memory.MemoryData;
import io.switchboard.core.store.memory.MemoryStore;
import io.switchboard.server.config.ConfigKeys;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Secure nodes of one test on a shared in-memory log and a real bus; everything tracked closes in reverse order. */
final class SecureCluster implements AutoCloseable {
    private final Path dir;
    private final List<AutoCloseable> open = new ArrayList<>();

    SecureCluster(Path dir) {
        this.dir = dir;
    }

    /** Node {@code id} on {@code bus} ("redis"/"nats") and {@code channel}, heartbeats every 200 ms. */
    SecureWire node(String bus, String channel, String id, MemoryData log) {
        SwitchboardServer s = SwitchboardServer.start(SecureWire.config(dir.resolve(id))
                .with(ConfigKeys.BUS_TYPE, bus).with(ConfigKeys.BUS_CHANNEL, channel)
                .with(ConfigKeys.BUS_HEARTBEAT_MS, 200L).with(ConfigKeys.CLUSTER_NODE_ID, id), b -> { }, new MemoryStore(log));
        return track(new SecureWire(s));
    }

    <T extends AutoCloseable> T track(T c) {
        open.add(c);
        return c;
    }

    @Override
    public void close() throws Exception {
        for (int i = open.size() - 1; i >= 0; i--) {
            open.get(i).close();
        }
    }
}
