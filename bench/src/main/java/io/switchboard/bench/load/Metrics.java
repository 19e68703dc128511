package io.switchboard.bench.load;

import com.fasterxml.jackson.databind.node.ObjectNode;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;

import java.nio.ByteBuffer;
import java.util.Base64;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

/**
 * What a worker measures in one window: a latency histogram (nanoseconds, thread-safe recorder),
 * how many deliveries or replies arrived, errors, and the time of the last arrival (System.nanoTime,
 * which on Linux is CLOCK_MONOTONIC and so comparable between processes on one machine).
 */
public final class Metrics {
    public static final long MAX_NANOS = 600_000_000_000L;

    private final Recorder latency = new Recorder(MAX_NANOS, 2);
    public final LongAdder count = new LongAdder();
    public final LongAdder errors = new LongAdder();
    public final LongAdder sent = new LongAdder();
    public final LongAdder replies = new LongAdder();
    public final LongAdder skipped = new LongAdder();
    public final LongAdder closed = new LongAdder();
    public final AtomicLong lastNanos = new AtomicLong();
    private volatile long windowStart = System.nanoTime();

    /** One arrival with its latency. */
    public void arrived(long latencyNanos) {
        long now = System.nanoTime();
        latency.recordValue(Math.max(0, Math.min(MAX_NANOS, latencyNanos)));
        count.increment();
        lastNanos.lazySet(now);
    }

    public void startWindow() {
        latency.reset();
        count.reset();
        errors.reset();
        sent.reset();
        replies.reset();
        skipped.reset();
        windowStart = System.nanoTime();
    }

    /** Closes the window: counts and the encoded histogram. */
    public ObjectNode endWindow(String name) {
        Histogram h = latency.getIntervalHistogram();
        ObjectNode o = Jsons.object();
        o.put("event", "window");
        o.put("name", name);
        o.put("startNanos", windowStart);
        o.put("endNanos", System.nanoTime());
        o.put("count", count.sumThenReset());
        o.put("errors", errors.sumThenReset());
        o.put("sent", sent.sumThenReset());
        o.put("replies", replies.sumThenReset());
        o.put("skipped", skipped.sumThenReset());
        o.put("closed", closed.sum());
        o.put("lastNanos", lastNanos.get());
        o.put("hist", encode(h));
        return o;
    }

    public static String encode(Histogram h) {
        ByteBuffer buf = ByteBuffer.allocate(h.getNeededByteBufferCapacity());
        int n = h.encodeIntoCompressedByteBuffer(buf);
        return Base64.getEncoder().encodeToString(java.util.Arrays.copyOf(buf.array(), n));
    }

    public static Histogram decode(String b64) {
        try {
            return Histogram.decodeFromCompressedByteBuffer(ByteBuffer.wrap(Base64.getDecoder().decode(b64)), 0);
        } catch (java.util.zip.DataFormatException e) {
            throw new IllegalArgumentException("bad histogram", e);
        }
    }
}
