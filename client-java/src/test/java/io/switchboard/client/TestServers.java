package io.switchboard.client;

import io.switchboard.server.SwitchboardServer;
import io.switchboard.server.config.ServerConfig;

import java.nio.file.Path;

/** Starts real servers for end-to-end tests. */
final class TestServers {
    private TestServers() {
    }

    /** A server on an ephemeral port (port 0) or a given one, in insecure mode. */
    static SwitchboardServer start(Path dataDir, int port) {
        return SwitchboardServer.start(ServerConfig.defaults().withPort(port).withDataDir(dataDir).withSecurityEnabled(false));
    }

    static SwitchboardNetworkClient connect(SwitchboardServer... servers) {
        ClientOptions.Builder b = SwitchboardNetworkClient.builder();
        for (SwitchboardServer s : servers) {
            b.address("127.0.0.1", s.port());
        }
        return b.build().connect();
    }
}
