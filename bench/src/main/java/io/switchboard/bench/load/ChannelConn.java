package io.switchboard.bench.load;

import io.netty.channel.Channel;

/** What every {@link Conn} over one Netty channel shares: the channel once usable, and whether it is open. */
abstract class ChannelConn implements Conn {
    /** Set when the handshake is done; null before. */
    protected volatile Channel channel;
    protected volatile boolean open;

    @Override
    public void close() {
        Channel ch = channel;
        if (ch != null) {
            ch.close();
        }
    }

    @Override
    public boolean isOpen() {
        return open;
    }
}
