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
 *
 * <p>Replies ({@link #offerReply}) are counted apart: the bound is for pushes that pile up, and a
 * client reading promptly must get a large reply (already bounded by {@code limits.maxReplyBytes})
 * even while pushes are queued. A reply is refused — the client is a slow consumer — only when
 * {@code maxReplyBytes} of earlier replies are still unread.
 */
public abstract class OutboundQueue {
    /** Frames are joined up to this size; one bigger message still goes alone. */
    private static final int MAX_BATCH_BYTES = 64 * 1024;

    protected final Channel channel;
    private final long maxBytes;
    private final long maxReplyBytes;
    /**
     * Many producers (dispatch, replies), one consumer (the event loop). Not Netty's MPSC array
     * queue: it pre-allocates a 1024-slot chunk per connection, which more than doubled the heap
     * of an idle WebSocket (3.6 KB to 8.3 KB measured).
     */
    private final Queue<Object> queue = new ConcurrentLinkedQueue<>();
    private final AtomicLong pending = new AtomicLong();
    private final AtomicLong replyPending = new AtomicLong();
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
        this(channel, maxBytes, maxBytes, separator);
    }

    protected OutboundQueue(Channel channel, long maxBytes, long maxReplyBytes, byte[] separator) {
        this.channel = channel;
        this.maxBytes = maxBytes;
        this.maxReplyBytes = maxReplyBytes;
        this.separator = separator;
    }

    /** A queued reply: its bytes count against the reply bound, not the push bound. */
    private record Reply(ByteBuf buf) { }

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
        enqueue(msg);
        return true;
    }

    /**
     * Queues the reply to a request; takes ownership of {@code msg}. Accepted whatever its size
     * while fewer than {@code maxReplyBytes} of replies are unread.
     *
     * @return false when dropped (connection closed, or the client does not read its replies)
     */
    public boolean offerReply(ByteBuf msg) {
        if (!channel.isActive() || overflowed.get()) {
            msg.release();
            return false;
        }
        if (replyPending.get() >= maxReplyBytes) {
            msg.release();
            if (overflowed.compareAndSet(false, true)) {
                onOverflow();
            }
            return false;
        }
        replyPending.addAndGet(msg.readableBytes());
        enqueue(new Reply(msg));
        return true;
    }

    private void enqueue(Object entry) {
        queue.add(entry);
        if (flushScheduled.compareAndSet(false, true)) {
            channel.eventLoop().execute(flushTask);
        }
    }

    private static ByteBuf buf(Object entry) {
        return entry instanceof Reply r ? r.buf() : (ByteBuf) entry;
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
        return pending.get() + replyPending.get();
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
        Object first;
        while ((first = queue.poll()) != null) {
            // Copy the batch into one flat buffer: a composite of hundreds of small parts cost
            // more to write (nioBuffers) than copying them (measured in the fan-out profile).
            int size = buf(first).readableBytes();
            int count = 1;
            ByteBuf[] parts = BATCH_PARTS.get();
            long replyBytes = first instanceof Reply ? size : 0;
            parts[0] = buf(first);
            Object next;
            while (batches() && count < parts.length && (next = queue.peek()) != null
                    && size + buf(next).readableBytes() + 1 < MAX_BATCH_BYTES) {
                queue.poll();
                ByteBuf b = buf(next);
                parts[count++] = b;
                if (next instanceof Reply) {
                    replyBytes += b.readableBytes();
                }
                size += b.readableBytes() + (separator == null ? 0 : separator.length);
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
            long pushCounted = messageBytes - replyBytes;
            long replyCounted = replyBytes;
            // The counts drop only once the bytes left Netty's outbound buffer for the socket.
            channel.write(frame(batch)).addListener((ChannelFutureListener) f -> {
                pending.addAndGet(-pushCounted);
                replyPending.addAndGet(-replyCounted);
            });
            wrote = true;
        }
        if (wrote) {
            channel.flush();
        }
    }

    /** Releases everything still queued (after close). */
    public void drop() {
        Object e;
        while ((e = queue.poll()) != null) {
            ByteBuf b = buf(e);
            (e instanceof Reply ? replyPending : pending).addAndGet(-b.readableBytes());
            b.release();
        }
    }
}
