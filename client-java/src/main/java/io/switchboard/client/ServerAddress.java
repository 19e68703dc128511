package io.switchboard.client;

import java.net.URI;
import java.util.Locale;
import java.util.Objects;

/**
 * One server the client may connect to; the WebSocket endpoint is {@code ws://host:port/ws}, or
 * {@code wss://host:port/ws} when {@code tls} is true (the server runs with {@code http.tls.*}).
 */
public record ServerAddress(String host, int port, boolean tls) {
    public ServerAddress {
        Objects.requireNonNull(host, "host");
        if (port <= 0 || port > 65535) {
            throw new IllegalArgumentException("port out of range: " + port);
        }
    }

    /** A plain ({@code ws://}) address. */
    public ServerAddress(String host, int port) {
        this(host, port, false);
    }

    /**
     * Parses {@code host:port} (plain), or a URL {@code ws://host:port} / {@code wss://host:port}
     * (the path, if any, must be {@code /ws}; a URL without a port means 80 or 443).
     */
    public static ServerAddress parse(String address) {
        if (address.contains("://")) {
            URI u = URI.create(address);
            String scheme = u.getScheme() == null ? "" : u.getScheme().toLowerCase(Locale.ROOT);
            if (!scheme.equals("ws") && !scheme.equals("wss")) {
                throw new IllegalArgumentException("expected a ws:// or wss:// URL, got " + address);
            }
            if (u.getHost() == null) {
                throw new IllegalArgumentException("no host in " + address);
            }
            String path = u.getPath() == null ? "" : u.getPath();
            if (!path.isEmpty() && !path.equals("/") && !path.equals("/ws")) {
                throw new IllegalArgumentException("the native endpoint is /ws, got " + path + " in " + address);
            }
            boolean tls = scheme.equals("wss");
            String host = u.getHost().startsWith("[") ? u.getHost().substring(1, u.getHost().length() - 1) : u.getHost();
            return new ServerAddress(host, u.getPort() > 0 ? u.getPort() : tls ? 443 : 80, tls);
        }
        int colon = address.lastIndexOf(':');
        if (colon <= 0) {
            throw new IllegalArgumentException("expected host:port, got " + address);
        }
        return new ServerAddress(address.substring(0, colon), Integer.parseInt(address.substring(colon + 1)));
    }

    /** The native protocol's endpoint on this server. */
    public URI webSocketUri() {
        String h = host.contains(":") ? "[" + host + "]" : host;
        return URI.create((tls ? "wss://" : "ws://") + h + ":" + port + "/ws");
    }

    @Override
    public String toString() {
        return (tls ? "wss://" : "") + host + ":" + port;
    }
}
