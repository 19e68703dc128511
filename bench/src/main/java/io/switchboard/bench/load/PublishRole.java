package io.switchboard.bench.load;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Open-loop publishing at a set total rate over this worker's connections (round robin). Each
 * message embeds its intended send time, so a stalled server shows up as latency rather than as a
 * lower send rate (no coordinated omission). With {@code subscribe} each connection also subscribes
 * (the chat scenario: connection i publishes to and listens on its group's channel).
 */
public final class PublishRole implements Role {
    private final Net net;
    private final Target target;
    private final Metrics metrics;
    private final String pathTemplate;
    private final boolean subscribe;
    private final int maxInFlight;
    private final Opener opener = new Opener(256);
    private final List<Pub> ready = new ArrayList<>();
    private final ScheduledExecutorService ticker = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "publish-ticker");
        t.setDaemon(true);
        return t;
    });
    private final AtomicLong ids = new AtomicLong(10);
    private int nextIndex;
    private volatile double rate;
    private long origin;
    private long issued;
    private int rr;

    public PublishRole(Net net, Target target, Metrics metrics, String pathTemplate, boolean subscribe, int maxInFlight) {
        this.net = net;
        this.target = target;
        this.metrics = metrics;
        this.pathTemplate = pathTemplate;
        this.subscribe = subscribe;
        this.maxInFlight = maxInFlight;
        ticker.scheduleAtFixedRate(this::tick, 1, 1, TimeUnit.MILLISECONDS);
    }

    @Override
    public int[] add(int n) throws InterruptedException {
        int from = target.base() + nextIndex;
        nextIndex += n;
        return opener.open(from, n, this::start, 300);
    }

    private void start(int i) {
        String path = new Target(null, null, 0, null, pathTemplate, 0).patternFor(i);
        Pub p = new Pub(target.patternFor(i), path);
        switch (target.transport()) {
            case "ws" -> WsConn.connect(net, target.host(), target.port(), "/ws", p);
            case "nats" -> NatsConn.connect(net, target.host(), target.port(),
                    subscribe ? Target.natsSubject(p.pattern) : null, p);
            default -> throw new IllegalArgumentException("cannot publish over " + target.transport());
        }
    }

    @Override
    public synchronized void rate(double perSecond) {
        rate = perSecond;
        origin = System.nanoTime();
        issued = 0;
    }

    @Override
    public synchronized int open() {
        return ready.size();
    }

    private synchronized void tick() {
        double r = rate;
        if (r <= 0 || ready.isEmpty()) {
            return;
        }
        long now = System.nanoTime();
        long due = (long) ((now - origin) * r / 1e9);
        boolean nats = "nats".equals(target.transport());
        List<Pub> touched = new ArrayList<>();
        while (issued < due) {
            long intended = origin + (long) (issued * 1e9 / r);
            issued++;
            long inFlight = metrics.sent.sum() - metrics.replies.sum() - metrics.errors.sum();
            if (!nats && inFlight >= maxInFlight) {
                metrics.skipped.increment();
                continue;
            }
            Pub p = ready.get(rr++ % ready.size());
            if (nats) {
                p.conn.send(NatsConn.pub(Target.natsSubject(p.path), "{\"sbt\":" + intended + "}"), false);
            } else {
                p.conn.send(Proto.publish(ids.getAndIncrement(), p.path, intended), false);
            }
            metrics.sent.increment();
            if (!p.touched) {
                p.touched = true;
                touched.add(p);
            }
        }
        for (Pub p : touched) {
            p.touched = false;
            if (p.conn instanceof WsConn w) {
                w.flush();
            } else if (p.conn instanceof NatsConn n) {
                n.flush();
            }
        }
    }

    @Override
    public void quit() {
        ticker.shutdownNow();
        synchronized (this) {
            ready.forEach(p -> p.conn.close());
        }
    }

    private final class Pub implements Conn.Listener {
        final String pattern;
        final String path;
        Conn conn;
        boolean isReady;
        boolean reported;
        boolean touched;

        Pub(String pattern, String path) {
            this.pattern = pattern;
            this.path = path;
        }

        private void becomeReady(Conn c) {
            isReady = true;
            conn = c;
            synchronized (PublishRole.this) {
                ready.add(this);
            }
            report(true);
        }

        private void report(boolean ok) {
            if (!reported) {
                reported = true;
                opener.done(ok);
            }
        }

        @Override
        public void onOpen(Conn c) {
            if (c instanceof WsConn) {
                c.send(Proto.connect(1, target.token()), true);
            } else {
                becomeReady(c);
            }
        }

        @Override
        public void onMessage(Conn c, String msg) {
            if (isReady) {
                long sbt = Scan.longAfter(msg, "\"sbt\":");
                if (sbt != Long.MIN_VALUE && !msg.contains("\"ok\":")) {
                    metrics.arrived(System.nanoTime() - sbt);
                } else if (msg.contains("\"ok\":true")) {
                    metrics.replies.increment();
                } else if (msg.contains("\"ok\":false")) {
                    metrics.errors.increment();
                    if (metrics.errors.sum() < 5) {
                        System.err.println("publish error: " + msg);
                    }
                }
                return;
            }
            long id = Proto.replyId(msg);
            if (id == 1 && Proto.ok(msg)) {
                if (subscribe) {
                    c.send(Proto.subscribe(2, pattern), true);
                } else {
                    becomeReady(c);
                }
            } else if (id == 2 && Proto.ok(msg)) {
                becomeReady(c);
            } else if (id == 1 || id == 2) {
                System.err.println("setup failed: " + msg);
                c.close();
            }
        }

        @Override
        public void onClose(Conn c, Throwable cause) {
            if (isReady) {
                metrics.closed.increment();
                synchronized (PublishRole.this) {
                    ready.remove(this);
                }
            }
            report(false);
        }
    }
}
