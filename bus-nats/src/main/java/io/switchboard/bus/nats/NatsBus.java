package io.switchboard.bus.nats;

import io.nats.client.Connection;
import io.nats.client.Dispatcher;
import io.nats.client.Nats;
import io.nats.client.Options;
import io.switchboard.core.bus.RemoteBus;

import java.time.Duration;
import java.util.function.Consumer;

/**
 * The bus over plain NATS subjects (jnats): every node publishes its commits on one subject and
 * subscribes to it. Core NATS is at-most-once, like Redis pub/sub; JetStream is not used because
 * it would keep a second durable copy of what the store's log already holds, and the ordered
 * feed fills every hole from that log anyway. jnats reconnects by itself and keeps the
 * subscription; while it is disconnected it buffers at most {@link #RECONNECT_BUFFER} bytes of
 * sends and refuses the rest.
 */
public final class NatsBus extends RemoteBus {
    /** Bytes of sends kept while reconnecting; older envelopes are cheaper to read from the log. */
    static final long RECONNECT_BUFFER = 1 << 20;

    private final String url;
    private final String subject;
    private Connection connection;

    /**
     * @param url         {@code nats://host:port}
     * @param subject     the subject the cluster's nodes share
     * @param node        this node's id
     * @param heartbeatMs how often the node's head offset is sent
     */
    public NatsBus(String url, String subject, String node, long heartbeatMs) {
        super(node, heartbeatMs);
        this.url = url;
        this.subject = subject;
    }

    @Override
    public String name() {
        return "nats";
    }

    @Override
    protected void connect(Consumer<byte[]> onMessage) {
        try {
            Options options = new Options.Builder()
                    .server(url)
                    .connectionTimeout(Duration.ofSeconds(5))
                    .maxReconnects(-1)
                    .reconnectWait(Duration.ofMillis(500))
                    .reconnectBufferSize(RECONNECT_BUFFER)
                    .connectionName("switchboard")
                    .build();
            connection = Nats.connect(options);
            Dispatcher d = connection.createDispatcher(msg -> onMessage.accept(msg.getData()));
            d.subscribe(subject);
            connection.flush(Duration.ofSeconds(5));
        } catch (Exception e) {
            disconnect();
            if (e instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
            throw unreachable("bus.type nats: cannot connect to " + url + ": " + e.getMessage(), e);
        }
    }

    /** The live jnats connection, for diagnostics (and tests that cut it). */
    public Connection connection() {
        return connection;
    }

    @Override
    protected void send(byte[] message) {
        connection.publish(subject, message);
    }

    @Override
    public boolean isHealthy() {
        return connection != null && connection.getStatus() == Connection.Status.CONNECTED;
    }

    @Override
    protected void disconnect() {
        if (connection != null) {
            try {
                connection.close();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
