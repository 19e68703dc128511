package io.switchboard.bus.nats;

import io.switchboard.core.bus.Bus;
import io.switchboard.core.bus.BusContract;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;

import java.net.InetSocketAddress;
import java.net.Socket;

/** The bus contract on the real NATS server at 127.0.0.1:4222 (skipped, naming it, when it is not running). */
class NatsBusTest extends BusContract {
    static final String URL = "nats://127.0.0.1:4222";

    @BeforeAll
    static void natsIsRunning() {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress("127.0.0.1", 4222), 1000);
        } catch (Exception e) {
            Assumptions.abort("NATS is not running on 127.0.0.1:4222: " + e.getMessage());
        }
    }

    @Override
    protected Bus newBus(String channel, String node, long heartbeatMs) {
        return new NatsBus(URL, channel, node, heartbeatMs);
    }

    @Override
    protected Bus unreachableBus(String channel, String node) {
        return new NatsBus("nats://127.0.0.1:1", channel, node, 1000);
    }

    /** Drops the node's connection the way a network cut would; jnats reconnects by itself. */
    @Override
    protected void cut(Bus bus) throws Exception {
        ((NatsBus) bus).connection().forceReconnect();
    }
}
