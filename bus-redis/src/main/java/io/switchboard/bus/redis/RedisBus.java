package io.switchboard.bus.redis;

import io.lettuce.core.ClientOptions;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.codec.ByteArrayCodec;
import io.lettuce.core.pubsub.RedisPubSubAdapter;
import io.lettuce.core.pubsub.StatefulRedisPubSubConnection;
import io.lettuce.core.resource.ClientResources;
import io.lettuce.core.resource.DefaultClientResources;
import io.lettuce.core.resource.Delay;
import io.switchboard.core.bus.RemoteBus;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * The bus over Redis pub/sub (Lettuce): every node publishes its commits on one channel and
 * subscribes to it. Pub/sub is at-most-once — a node that is disconnected misses what was sent
 * meanwhile — which is all a bus needs here, since each node's ordered feed fills holes from the
 * store. Lettuce reconnects and resubscribes by itself; while it is disconnected, sends are
 * refused at once instead of queued, so a Redis outage costs no memory and no writer time.
 */
public final class RedisBus extends RemoteBus {
    private final String url;
    private final byte[] channel;
    private ClientResources resources;
    private RedisClient client;
    private StatefulRedisConnection<byte[], byte[]> pub;
    private StatefulRedisPubSubConnection<byte[], byte[]> sub;

    /**
     * @param url         {@code redis://host:port[/db]}
     * @param channel     the pub/sub channel the cluster's nodes share
     * @param node        this node's id
     * @param heartbeatMs how often the node's head offset is sent
     */
    public RedisBus(String url, String channel, String node, long heartbeatMs) {
        super(node, heartbeatMs);
        this.url = url;
        this.channel = channel.getBytes(StandardCharsets.UTF_8);
    }

    @Override
    public String name() {
        return "redis";
    }

    @Override
    protected void connect(Consumer<byte[]> onMessage) {
        try {
            RedisURI uri = RedisURI.create(url);
            uri.setTimeout(Duration.ofSeconds(5));
            uri.setClientName(clientName()); // names the node in CLIENT LIST
            // No CLIENT SETINFO in the handshake: servers before Redis 7.2 answer it with
            // "ERR unknown subcommand", which Lettuce logs on every (re)connect.
            uri.setLibraryName("");
            uri.setLibraryVersion("");
            // Lettuce's default backs off to 30 s between tries; a bus should be back within a
            // couple of seconds of Redis, so the node's /ready and its peers' events are too.
            resources = DefaultClientResources.builder()
                    .reconnectDelay(Delay.exponential(Duration.ofMillis(100), Duration.ofSeconds(2), 2, TimeUnit.MILLISECONDS))
                    .build();
            client = RedisClient.create(resources, uri);
            client.setOptions(ClientOptions.builder()
                    .autoReconnect(true)
                    .disconnectedBehavior(ClientOptions.DisconnectedBehavior.REJECT_COMMANDS)
                    .requestQueueSize(10_000)
                    .build());
            pub = client.connect(ByteArrayCodec.INSTANCE);
            sub = client.connectPubSub(ByteArrayCodec.INSTANCE);
            sub.addListener(new RedisPubSubAdapter<>() {
                @Override
                public void message(byte[] ch, byte[] message) {
                    onMessage.accept(message);
                }
            });
            sub.sync().subscribe(channel);
        } catch (RuntimeException e) {
            disconnect();
            throw unreachable("bus.type redis: cannot connect to " + url + ": " + e.getMessage(), e);
        }
    }

    /** How this node's connections are named in Redis's {@code CLIENT LIST}. */
    String clientName() {
        return "switchboard:" + node();
    }

    @Override
    protected void send(byte[] message) {
        pub.async().publish(channel, message);
    }

    @Override
    public boolean isHealthy() {
        return pub != null && pub.isOpen() && sub != null && sub.isOpen();
    }

    @Override
    protected void disconnect() {
        if (sub != null) {
            sub.close();
        }
        if (pub != null) {
            pub.close();
        }
        if (client != null) {
            client.shutdown(Duration.ZERO, Duration.ofSeconds(2));
        }
        if (resources != null) {
            resources.shutdown(0, 2, TimeUnit.SECONDS);
        }
    }
}
