package io.switchboard.core.bus;

import io.switchboard.core.error.SwitchboardException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

/**
 * What every bus between nodes does, whatever carries the bytes. A node's own commits reach its
 * receiver at once, on the writer thread, exactly as on the {@link LocalBus} (so "transactional"
 * replies and single-node latency are unchanged), and go out to the others encoded once by
 * {@link EnvelopeCodec}; messages that come back from this node are ignored. Every
 * {@code heartbeatMs} the node also sends its newest committed offset, so a peer whose copy of
 * the last message was lost notices the hole within a heartbeat and fills it from the log.
 * Sending never blocks and never fails a write: what the bus loses, the log has.
 */
public abstract class RemoteBus implements Bus {
    private static final Logger LOG = LoggerFactory.getLogger(RemoteBus.class);
    /** At most one warning per this many ms about sends or messages that failed. */
    private static final long WARN_EVERY_MS = 10_000;

    private final String node;
    private final long heartbeatMs;
    private final AtomicLong head = new AtomicLong();
    private final AtomicLong lastWarn = new AtomicLong();
    private volatile Receiver receiver;
    private volatile Consumer<DeliveryReport> reports = r -> { };
    /** Other nodes by id: when each was last heard from (any message, heartbeats included). */
    private final Map<String, Long> lastHeard = new ConcurrentHashMap<>();
    private ScheduledExecutorService timer;

    /**
     * @param node        this node's id (messages carrying it are this node's own)
     * @param heartbeatMs how often the node's head offset is sent
     */
    protected RemoteBus(String node, long heartbeatMs) {
        this.node = node;
        this.heartbeatMs = heartbeatMs;
    }

    /** Connects (blocking, bounded) and subscribes; throws {@code UNAVAILABLE} naming the server when it cannot. */
    protected abstract void connect(Consumer<byte[]> onMessage);

    /** Hands one message to the transport without blocking; may throw when it cannot. */
    protected abstract void send(byte[] message);

    /** Closes the transport's connections. */
    protected abstract void disconnect();

    @Override
    public final void start(Receiver receiver) {
        this.receiver = receiver;
        connect(this::onMessage);
        timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, name() + "-bus-heartbeat");
            t.setDaemon(true);
            return t;
        });
        timer.scheduleWithFixedDelay(this::heartbeat, heartbeatMs, heartbeatMs, TimeUnit.MILLISECONDS);
    }

    @Override
    public final void publish(List<Envelope> batch) {
        receiver.accept(batch);
        long last = batch.get(batch.size() - 1).lastOffset();
        long now = head.accumulateAndGet(last, Math::max);
        try {
            send(EnvelopeCodec.encode(node, now, batch));
        } catch (RuntimeException e) {
            warn("cannot send to the " + name() + " bus; other nodes will read these events from the log", e);
        }
    }

    @Override
    public final void report(DeliveryReport report) {
        try {
            send(EnvelopeCodec.encodeReport(head.get(), report));
        } catch (RuntimeException e) {
            warn("cannot send a delivery report on the " + name() + " bus", e);
        }
    }

    @Override
    public final void onReport(Consumer<DeliveryReport> listener) {
        this.reports = listener;
    }

    /** Nodes heard from within three heartbeats (a node that died drops out of it). */
    @Override
    public final Set<String> peers() {
        long since = System.nanoTime() - TimeUnit.MILLISECONDS.toNanos(3 * heartbeatMs);
        lastHeard.values().removeIf(t -> t - since < 0);
        return Set.copyOf(lastHeard.keySet());
    }

    /** This node's id. */
    protected final String node() {
        return node;
    }

    /** The newest offset this node has committed, as sent in its heartbeats. */
    public long head() {
        return head.get();
    }

    private void heartbeat() {
        try {
            send(EnvelopeCodec.encode(node, head.get(), List.of()));
        } catch (RuntimeException e) {
            warn("cannot send a heartbeat on the " + name() + " bus", e);
        }
    }

    private void onMessage(byte[] bytes) {
        EnvelopeCodec.Message m;
        try {
            m = EnvelopeCodec.decode(bytes);
        } catch (RuntimeException e) {
            warn("ignoring a message on the " + name() + " bus that is not a Switchboard envelope", e);
            return;
        }
        if (m.node().equals(node)) {
            return;
        }
        lastHeard.put(m.node(), System.nanoTime());
        if (m.report() != null) {
            if (m.report().to().equals(node)) {
                reports.accept(m.report());
            }
            return;
        }
        if (!m.envelopes().isEmpty()) {
            receiver.accept(m.envelopes());
        }
        receiver.hint(m.head());
    }

    private void warn(String what, RuntimeException e) {
        long now = System.currentTimeMillis();
        long prev = lastWarn.get();
        if (now - prev >= WARN_EVERY_MS && lastWarn.compareAndSet(prev, now)) {
            LOG.warn("{}: {}", what, e.toString());
        }
    }

    @Override
    public void close() {
        if (timer != null) {
            timer.shutdownNow();
        }
        disconnect();
    }

    /** The error a bus throws from {@link #connect} when its server cannot be reached. */
    protected static SwitchboardException unreachable(String what, Throwable cause) {
        return SwitchboardException.unavailable(what, cause);
    }
}
