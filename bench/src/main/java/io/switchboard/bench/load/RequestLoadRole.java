package io.switchboard.bench.load;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

/**
 * Closed-loop pipelined requests: each WebSocket keeps {@code window} set or get requests in flight
 * and sends a new one per reply; latency is request to reply. Gets read {@code keys} hot documents
 * that this role writes first.
 */
public final class RequestLoadRole implements Role {
    private final Net net;
    private final Target target;
    private final Metrics metrics;
    private final String op;
    private final int window;
    private final int keys;
    private final String pad;
    private final Opener opener = new Opener(64);
    private final List<Client> ready = new ArrayList<>();
    private volatile boolean running;
    private boolean seeded;

    public RequestLoadRole(Net net, Target target, Metrics metrics, String op, int window, int keys, int padBytes) {
        this.net = net;
        this.target = target;
        this.metrics = metrics;
        this.op = op;
        this.window = window;
        this.keys = keys;
        this.pad = "x".repeat(padBytes);
    }

    @Override
    public int[] add(int n) throws InterruptedException {
        for (int i = 0; i < n; i++) {
            int idx = target.base() + ready.size() + i;
            opener.open(idx, 1, j -> WsConn.connect(net, target.host(), target.port(), "/ws", new Client(j)), 60);
        }
        synchronized (this) {
            return new int[] {ready.size(), 0};
        }
    }

    private String path(int client, long n) {
        return "get".equals(op) ? "/bench/hot/k" + (n % keys) : "/bench/w/c" + client + "/k" + (n % 1000);
    }

    @Override
    public void rate(double perSecond) {
        boolean start = perSecond > 0;
        if (start && "get".equals(op) && !seeded) {
            seed();
        }
        running = start;
        if (start) {
            List<Client> cs;
            synchronized (this) {
                cs = new ArrayList<>(ready);
            }
            for (Client c : cs) {
                c.conn.channel().eventLoop().execute(c::fill);
            }
        }
    }

    /** Writes the hot documents once (from the first connection) and waits for the replies. */
    private void seed() {
        Client c;
        synchronized (this) {
            c = ready.get(0);
        }
        CountDownLatch done = new CountDownLatch(keys);
        c.seedLatch = done;
        for (int k = 0; k < keys; k++) {
            c.conn.send(Proto.set(1_000_000_000L + k, "/bench/hot/k" + k, 0, pad), k == keys - 1);
        }
        try {
            if (!done.await(60, TimeUnit.SECONDS)) {
                System.err.println("seeding timed out");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        seeded = true;
    }

    @Override
    public synchronized int open() {
        return ready.size();
    }

    @Override
    public void quit() {
        running = false;
        synchronized (this) {
            ready.forEach(c -> c.conn.close());
        }
    }

    private final class Client implements Conn.Listener {
        private final int index;
        private final Map<Long, Long> inFlight = new HashMap<>();
        private WsConn conn;
        private boolean isReady;
        private boolean reported;
        private long nextId = 10;
        volatile CountDownLatch seedLatch;

        Client(int index) {
            this.index = index;
        }

        void fill() {
            if (!running) {
                return;
            }
            boolean any = false;
            while (inFlight.size() < window) {
                long id = nextId++;
                long now = System.nanoTime();
                inFlight.put(id, now);
                long k = "get".equals(op) ? ThreadLocalRandom.current().nextInt(keys) : id;
                conn.send("get".equals(op) ? Proto.get(id, path(index, k)) : Proto.set(id, path(index, k), now, pad), false);
                metrics.sent.increment();
                any = true;
            }
            if (any) {
                conn.flush();
            }
        }

        private void report(boolean ok) {
            if (!reported) {
                reported = true;
                opener.done(ok);
            }
        }

        @Override
        public void onOpen(Conn c) {
            conn = (WsConn) c;
            c.send(Proto.connect(1, target.token()), true);
        }

        @Override
        public void onMessage(Conn c, String msg) {
            long id = Proto.replyId(msg);
            if (id == Long.MIN_VALUE) {
                return;
            }
            if (!isReady) {
                if (id == 1 && Proto.ok(msg)) {
                    isReady = true;
                    synchronized (RequestLoadRole.this) {
                        ready.add(this);
                    }
                    report(true);
                } else if (id == 1) {
                    System.err.println("connect failed: " + msg);
                    c.close();
                }
                return;
            }
            if (id >= 1_000_000_000L) {
                CountDownLatch l = seedLatch;
                if (l != null) {
                    l.countDown();
                }
                return;
            }
            Long sentAt = inFlight.remove(id);
            if (sentAt == null) {
                return;
            }
            if (Proto.ok(msg)) {
                metrics.arrived(System.nanoTime() - sentAt);
            } else {
                metrics.errors.increment();
                if (metrics.errors.sum() < 5) {
                    System.err.println(op + " error: " + msg);
                }
            }
            fill();
        }

        @Override
        public void onClose(Conn c, Throwable cause) {
            if (isReady) {
                metrics.closed.increment();
            }
            report(false);
        }
    }
}
