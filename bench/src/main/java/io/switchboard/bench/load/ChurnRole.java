package io.switchboard.bench.load;

import java.util.concurrent.atomic.AtomicInteger;

/**
 * Connection churn: {@code concurrency} loops, each opening a WebSocket, sending {@code connect}
 * (with the token when one is given), waiting for the reply, closing, and starting over. One
 * completion = open + connect + close; latency = TCP connect start to connect reply.
 */
public final class ChurnRole implements Role {
    private final Net net;
    private final Target target;
    private final Metrics metrics;
    private final int concurrency;
    private final AtomicInteger active = new AtomicInteger();
    private volatile boolean running;

    public ChurnRole(Net net, Target target, Metrics metrics, int concurrency) {
        this.net = net;
        this.target = target;
        this.metrics = metrics;
        this.concurrency = concurrency;
    }

    @Override
    public int[] add(int n) {
        return new int[] {0, 0};
    }

    @Override
    public void rate(double perSecond) {
        boolean start = perSecond > 0 && !running;
        running = perSecond > 0;
        if (start) {
            for (int i = 0; i < concurrency; i++) {
                next();
            }
        }
    }

    private void next() {
        if (!running) {
            return;
        }
        active.incrementAndGet();
        long t0 = System.nanoTime();
        WsConn.connect(net, target.host(), target.port(), "/ws", new Conn.Listener() {
            private boolean finished;

            @Override
            public void onOpen(Conn conn) {
                conn.send(Proto.connect(1, target.token()), true);
            }

            @Override
            public void onMessage(Conn conn, String msg) {
                if (Proto.replyId(msg) == 1) {
                    if (Proto.ok(msg)) {
                        metrics.arrived(System.nanoTime() - t0);
                    } else {
                        metrics.errors.increment();
                        if (metrics.errors.sum() < 5) {
                            System.err.println("connect error: " + msg);
                        }
                    }
                    finished = true;
                    conn.close();
                }
            }

            @Override
            public void onClose(Conn conn, Throwable cause) {
                if (!finished) {
                    metrics.errors.increment();
                }
                active.decrementAndGet();
                next();
            }
        });
    }

    @Override
    public int open() {
        return active.get();
    }

    @Override
    public void quit() {
        running = false;
    }
}
