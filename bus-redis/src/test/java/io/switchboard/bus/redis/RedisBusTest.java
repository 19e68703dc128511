package io.switchboard.bus.redis;

import io.lettuce.core.KillArgs;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import io.switchboard.core.bus.Bus;
import io.switchboard.core.bus.BusContract;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;

import java.net.InetSocketAddress;
import java.net.Socket;

/** The bus contract on the real Redis at 127.0.0.1:6379 (skipped, naming it, when it is not running). */
class RedisBusTest extends BusContract {
    static final String URL = "redis://127.0.0.1:6379";

    @BeforeAll
    static void redisIsRunning() {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress("127.0.0.1", 6379), 1000);
        } catch (Exception e) {
            Assumptions.abort("Redis is not running on 127.0.0.1:6379: " + e.getMessage());
        }
    }

    @Override
    protected Bus newBus(String channel, String node, long heartbeatMs) {
        return new RedisBus(URL, channel, node, heartbeatMs);
    }

    @Override
    protected Bus unreachableBus(String channel, String node) {
        return new RedisBus("redis://127.0.0.1:1", channel, node, 1000);
    }

    /** Kills the node's connections the way a network cut or a Redis restart would. */
    @Override
    protected void cut(Bus bus) {
        RedisClient admin = RedisClient.create(URL);
        try (StatefulRedisConnection<String, String> c = admin.connect()) {
            String name = ((RedisBus) bus).clientName();
            for (String line : c.sync().clientList().split("\n")) {
                if (line.contains(" name=" + name + " ")) {
                    String id = line.substring(line.indexOf("id=") + 3, line.indexOf(' ', line.indexOf("id=")));
                    c.sync().clientKill(KillArgs.Builder.id(Long.parseLong(id)));
                }
            }
        } finally {
            admin.shutdown();
        }
    }
}
