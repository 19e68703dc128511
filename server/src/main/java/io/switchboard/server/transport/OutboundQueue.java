package io.switchboard.server.transport;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.CompositeByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;

import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The outbound side of one streaming connection (WebSocket or SSE). Any thread may
 * {@link #offer} a message; messages go into a lock-free MPSC queue and one flush task on the
 * channel's event loop joins everything queued into as few frames as possible and flushes
 * once, so a burst of pushes costs one syscall instead of one per message.
 *
 * <p>Backpressure: {@code pending} counts bytes queued here plus bytes handed to Netty and not
 * yet written to the socket. When an offer would push it over {@code maxBytes} the connection
 * is a slow consumer: it is closed, never waited for, so one stuck client cannot slow a
 * publisher or other subscribers.
 */
public abstract class OutboundQueue {
    /** Frames are joined up to this size; one bigger message still goes alone. */
    private static final int MAX_BATCH_BYTES = 64 * 1024;

    protected final Channel channel;
    private final long maxBytes;
    private final Queue<ByteBuf> queue = new ConcurrentLinkedQueue<>();
    private final AtomicLong pending = new AtomicLong();
    private final AtomicBoolean flushScheduled = new AtomicBoolean();
    private final AtomicBoolean overflowed = new AtomicBoolean();
    private final Runnable flushTask = this::flush;

    protected OutboundQueue(Channel channel, long maxBytes) {
        this.channel = channel;
        this.maxBytes = maxBytes;
    }

    /**
     * Queues one message; takes ownership of {@code msg}.
     *
     * @return false when the message was dropped (connection closed or overflowing)
     */
    public boolean offer(ByteBuf msg) {
        int size = msg.readableBytes();
        if (!channel.isActive() || overflowed.get()) {
            msg.release();
            return false;
        }
        if (pending.addAndGet(size) > maxBytes) {
            pending.addAndGet(-size);
            msg.release();
            if (overflowed.compareAndSet(false, true)) {
                onOverflow();
            }
            return false;
        }
        queue.add(msg);
        if (flushScheduled.compareAndSet(false, true)) {
            channel.eventLoop().execute(flushTask);
        }
        return true;
    }

    /** Bytes queued or written but not yet on the wire. */
    public long pendingBytes() {
        return pending.get();
    }

    /** Called once, from the offering thread, when the bound is exceeded. */
    protected abstract void onOverflow();

    /** Wraps a batch of joined messages in the transport's frame. */
    protected abstract Object frame(ByteBuf joined);

    /** The separator between two messages of one batch, or null for none. */
    protected abstract ByteBuf separator();

    private void flush() {
        // Cleared before draining: an offer racing with the drain schedules a new flush.
        flushScheduled.set(false);
        if (!channel.isActive()) {
            drop();
            return;
        }
        boolean wrote = false;
        ByteBuf first;
        while ((first = queue.poll()) != null) {
            CompositeByteBuf batch = channel.alloc().compositeBuffer(Integer.MAX_VALUE);
            long messageBytes = first.readableBytes();
            batch.addComponent(true, first);
            ByteBuf next;
            while ((next = queue.peek()) != null && batch.readableBytes() + next.readableBytes() < MAX_BATCH_BYTES) {
                queue.poll();
                ByteBuf sep = separator();
                if (sep != null) {
                    batch.addComponent(true, sep);
                }
                messageBytes += next.readableBytes();
                batch.addComponent(true, next);
            }
            long counted = messageBytes;
            // pending drops only once the bytes left Netty's outbound buffer for the socket.
            channel.write(frame(batch)).addListener((ChannelFutureListener) f -> pending.addAndGet(-counted));
            wrote = true;
        }
        if (wrote) {
            channel.flush();
        }
    }

    /** Releases everything still queued (after close). */
    public void drop() {
        ByteBuf b;
        while ((b = queue.poll()) != null) {
            pending.addAndGet(-b.readableBytes());
            b.release();
        }
    }
}
