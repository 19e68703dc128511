package io.switchboard.server;

import io.switchboard.core.bus.Bus;
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

    static Bus create(ServerConfig config) {
        switch (config.busType()) {
            case "local":
                return new LocalBus();
            default:
                throw new ConfigException("bus.type: '" + config.busType() + "' is not available in this build (use local)");
        }
    }
}
