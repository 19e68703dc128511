package io.switchboard.client;

import java.net.URI;
import java.util.Objects;

/** One server the client may connect to; the WebSocket endpoint is {@code ws://host:port/ws}. */
public record ServerAddress(String host, int port) {
    public ServerAddress {
        Objects.requireNonNull(host, "host");
        if (port <= 0 || port > 65535) {
            throw new IllegalArgumentException("port out of range: " + port);
        }
    }

    /** Parses {@code host:port}. */
    public static ServerAddress parse(String hostPort) {
        int colon = hostPort.lastIndexOf(':');
        if (colon <= 0) {
            throw new IllegalArgumentException("expected host:port, got " + hostPort);
        }
        return new ServerAddress(hostPort.substring(0, colon), Integer.parseInt(hostPort.substring(colon + 1)));
    }

    /** The native protocol's endpoint on this server. */
    public URI webSocketUri() {
        return URI.create("ws://" + host + ":" + port + "/ws");
    }

    @Override
    public String toString() {
        return host + ":" + port;
    }
}
