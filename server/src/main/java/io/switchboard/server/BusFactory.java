package io.switchboard.server;

import io.switchboard.core.bus.Bus;
import io.switchboard.bus.nats.NatsBus;
import io.switchboard.bus.redis.RedisBus;
import io.switchboard.core.bus.LocalBus;
import io.switchboard.server.config.ConfigException;
import io.switchboard.server.config.ServerConfig;

/**
 * The {@link Bus} that {@code bus.type} names. A bus this build cannot run stops start-up: a
 * node that silently ran alone while its peers expect a cluster would lose their events.
 */
final class BusFactory {
    private BusFactory() {
    }

    /** The bus of node {@code nodeId}; a remote bus connects when the engine starts it. */
    static Bus create(ServerConfig config, String nodeId) {
        switch (config.busType()) {
            case "local":
                return new LocalBus();
            case "redis":
                return new RedisBus(config.busRedisUrl(), config.busChannel(), nodeId, config.busHeartbeatMs());
            case "nats":
                return new NatsBus(config.busNatsUrl(), config.busChannel(), nodeId, config.busHeartbeatMs());
            default:
                throw new ConfigException("bus.type: '" + config.busType() + "' is not available in this build"
                        + " (use local, redis or nats)");
        }
    }
}
