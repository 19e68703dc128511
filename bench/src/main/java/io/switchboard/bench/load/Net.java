package io.switchboard.bench.load;

import io.netty.bootstrap.Bootstrap;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioSocketChannel;

import java.net.InetSocketAddress;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Client-side Netty plumbing shared by every connection of a worker: one event-loop group (epoll on
 * Linux, no thread per connection) and round-robin source addresses 127.0.0.2..127.0.0.9 so that
 * many connections to one server port do not run out of ephemeral ports on a single address.
 */
public final class Net {
    public static final String[] SOURCES = {"127.0.0.2", "127.0.0.3", "127.0.0.4", "127.0.0.5",
            "127.0.0.6", "127.0.0.7", "127.0.0.8", "127.0.0.9"};

    private final EventLoopGroup group;
    private final AtomicInteger next = new AtomicInteger();

    public Net(int threads) {
        group = Epoll.isAvailable()
                ? new MultiThreadIoEventLoopGroup(threads, EpollIoHandler.newFactory())
                : new MultiThreadIoEventLoopGroup(threads, NioIoHandler.newFactory());
    }

    public EventLoopGroup group() {
        return group;
    }

    /** A bootstrap bound to the next source address (port chosen by the kernel). */
    public Bootstrap bootstrap() {
        Bootstrap b = new Bootstrap().group(group)
                .channel(Epoll.isAvailable() ? EpollSocketChannel.class : NioSocketChannel.class)
                .option(ChannelOption.TCP_NODELAY, true)
                .option(ChannelOption.SO_REUSEADDR, true)
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, 15_000);
        String src = SOURCES[Math.floorMod(next.getAndIncrement(), SOURCES.length)];
        b.localAddress(new InetSocketAddress(src, 0));
        return b;
    }

    public static String transportName() {
        return Epoll.isAvailable() ? "epoll" : "nio";
    }

    public void close() {
        group.shutdownGracefully(0, 1, java.util.concurrent.TimeUnit.SECONDS);
    }
}
