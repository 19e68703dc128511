package io.switchboard.server.transport;

import io.netty.channel.Channel;

import java.net.InetSocketAddress;

/** The client's IP address as text, for sessions, profiles and logs. */
public final class RemoteAddress {
    private RemoteAddress() {
    }

    public static String of(Channel ch) {
        return ch.remoteAddress() instanceof InetSocketAddress a
                ? a.getAddress().getHostAddress() : String.valueOf(ch.remoteAddress());
    }
}
