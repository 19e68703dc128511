package io.switchboard.server.transport;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.util.concurrent.FastThreadLocal;

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
    /**
     * Many producers (dispatch, replies), one consumer (the event loop). Not Netty's MPSC array
     * queue: it pre-allocates a 1024-slot chunk per connection, which more than doubled the heap
     * of an idle WebSocket (3.6 KB to 8.3 KB measured).
     */
    private final Queue<ByteBuf> queue = new ConcurrentLinkedQueue<>();
    private final AtomicLong pending = new AtomicLong();
    private final AtomicBoolean flushScheduled = new AtomicBoolean();
    private final AtomicBoolean overflowed = new AtomicBoolean();
    private final Runnable flushTask = this::flush;
    /** While held, messages queue up but nothing is written (an SSE stream before its headers). */
    private volatile boolean held;

    /** Bytes between two messages of one batch ({@code \n} for WebSocket), or null for none. */
    private final byte[] separator;
    /**
     * Scratch space of the flush task, one per event loop thread (flushes run only there): a
     * field would add a kilobyte to every idle connection.
     */
    private static final FastThreadLocal<ByteBuf[]> BATCH_PARTS = new FastThreadLocal<>() {
        @Override
        protected ByteBuf[] initialValue() {
            return new ByteBuf[256];
        }
    };

    protected OutboundQueue(Channel channel, long maxBytes, byte[] separator) {
        this.channel = channel;
        this.maxBytes = maxBytes;
        this.separator = separator;
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

    /** Queues without writing until {@link #release()}: for a stream whose head is not decided yet. */
    public void hold() {
        held = true;
    }

    /** Writes what was queued while held, and everything after. */
    public void release() {
        held = false;
        flushScheduled.set(true);
        channel.eventLoop().execute(flushTask);
    }

    /** The event loop this connection's writes run on (fan-out delivers there). */
    public java.util.concurrent.Executor executor() {
        return channel.eventLoop();
    }

    /** Bytes queued or written but not yet on the wire. */
    public long pendingBytes() {
        return pending.get();
    }

    /** Called once, from the offering thread, when the bound is exceeded. */
    protected abstract void onOverflow();

    /**
     * True when several messages may share one frame (joined by the separator); false for wire
     * formats that need one frame per message (Primus JSON frames), which are then written one
     * by one and flushed together.
     */
    protected boolean batches() {
        return true;
    }

    /** Wraps a batch of joined messages in the transport's frame. */
    protected abstract Object frame(ByteBuf joined);

    /** Copies {@code parts} into one heap buffer: one object per message instead of a composite. */
    public static ByteBuf concat(byte[]... parts) {
        int n = 0;
        for (byte[] p : parts) {
            n += p.length;
        }
        byte[] out = new byte[n];
        int at = 0;
        for (byte[] p : parts) {
            System.arraycopy(p, 0, out, at, p.length);
            at += p.length;
        }
        return Unpooled.wrappedBuffer(out);
    }

    private void flush() {
        // Cleared before draining: an offer racing with the drain schedules a new flush.
        flushScheduled.set(false);
        if (!channel.isActive()) {
            drop();
            return;
        }
        if (held) {
            return;
        }
        boolean wrote = false;
        ByteBuf first;
        while ((first = queue.poll()) != null) {
            // Copy the batch into one flat buffer: a composite of hundreds of small parts cost
            // more to write (nioBuffers) than copying them (measured in the fan-out profile).
            int size = first.readableBytes();
            int count = 1;
            ByteBuf[] parts = BATCH_PARTS.get();
            parts[0] = first;
            ByteBuf next;
            while (batches() && count < parts.length && (next = queue.peek()) != null
                    && size + next.readableBytes() + 1 < MAX_BATCH_BYTES) {
                queue.poll();
                parts[count++] = next;
                size += next.readableBytes() + (separator == null ? 0 : separator.length);
            }
            ByteBuf batch = channel.alloc().ioBuffer(size);
            long messageBytes = 0;
            for (int i = 0; i < count; i++) {
                if (i > 0 && separator != null) {
                    batch.writeBytes(separator);
                }
                messageBytes += parts[i].readableBytes();
                batch.writeBytes(parts[i]);
                parts[i].release();
                parts[i] = null;
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
