package io.switchboard.server;

import io.switchboard.server.config.ServerConfig;

import java.nio.file.Path;

/** Real servers on ephemeral ports for tests. */
final class TestServers {
    private TestServers() {
    }

    /** Insecure mode: the protocol and transport tests are about the wire, not about credentials. */
    static ServerConfig config(Path dataDir) {
        return secureConfig(dataDir).withSecurityEnabled(false);
    }

    /** Security on (the default), with a fixed admin password and admin API key. */
    static ServerConfig secureConfig(Path dataDir) {
        // NORMAL keeps tests fast; durability across a process crash is the store's own test.
        return ServerConfig.defaults().withPort(0).withHost("127.0.0.1").withDataDir(dataDir)
                .withSqliteSynchronous("NORMAL");
    }

    static SwitchboardServer start(Path dataDir) {
        return SwitchboardServer.start(config(dataDir));
    }
}
