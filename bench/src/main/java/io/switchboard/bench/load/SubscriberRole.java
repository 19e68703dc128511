package io.switchboard.bench.load;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Holds many connections, each with one subscription (WebSocket: connect then subscribe; SSE: one
 * stream per pattern; NATS: SUB), and records publish-to-receipt latency of every event that
 * carries an {@code sbt} timestamp.
 */
public final class SubscriberRole implements Role {
    private final Net net;
    private final Target target;
    private final Metrics metrics;
    private final Opener opener = new Opener(256);
    private final Set<Conn> conns = ConcurrentHashMap.newKeySet();
    private int nextIndex;

    public SubscriberRole(Net net, Target target, Metrics metrics) {
        this.net = net;
        this.target = target;
        this.metrics = metrics;
    }

    @Override
    public int[] add(int n) throws InterruptedException {
        int from = target.base() + nextIndex;
        nextIndex += n;
        return opener.open(from, n, this::start, 300);
    }

    private void start(int i) {
        String pattern = target.patternFor(i);
        Sub l = new Sub(pattern);
        switch (target.transport()) {
            case "ws" -> WsConn.connect(net, target.host(), target.port(), "/ws", l);
            case "sse" -> SseConn.connect(net, target.host(), target.port(), target.ssePath(pattern), l);
            case "nats" -> NatsConn.connect(net, target.host(), target.port(), Target.natsSubject(pattern), l);
            default -> throw new IllegalArgumentException("transport " + target.transport());
        }
    }

    @Override
    public void rate(double perSecond) {
    }

    @Override
    public int open() {
        return conns.size();
    }

    @Override
    public void quit() {
        conns.forEach(Conn::close);
    }

    private final class Sub implements Conn.Listener {
        private final String pattern;
        private boolean ready;
        private boolean reported;

        Sub(String pattern) {
            this.pattern = pattern;
        }

        private void report(boolean ok) {
            if (!reported) {
                reported = true;
                opener.done(ok);
            }
        }

        @Override
        public void onOpen(Conn conn) {
            if (conn instanceof WsConn) {
                conn.send(Proto.connect(1, target.token()), true);
            } else {
                ready = true;
                conns.add(conn);
                report(true);
            }
        }

        @Override
        public boolean onRawFrame(Conn conn, io.netty.buffer.ByteBuf content) {
            if (!ready) {
                return false;
            }
            long now = System.nanoTime();
            if (RawScan.sbts(content, sbt -> metrics.arrived(now - sbt)) == 0) {
                return false; // not a delivery: decode and look at it
            }
            return true;
        }

        @Override
        public void onMessage(Conn conn, String msg) {
            if (ready) {
                long sbt = Scan.longAfter(msg, "\"sbt\":");
                if (sbt != Long.MIN_VALUE) {
                    metrics.arrived(System.nanoTime() - sbt);
                } else if (msg.contains("\"ok\":false")) {
                    metrics.errors.increment();
                }
                return;
            }
            long id = Proto.replyId(msg);
            if (id == 1) {
                if (Proto.ok(msg)) {
                    conn.send(Proto.subscribe(2, pattern), true);
                } else {
                    System.err.println("connect failed: " + msg);
                    conn.close();
                }
            } else if (id == 2) {
                if (Proto.ok(msg)) {
                    ready = true;
                    conns.add(conn);
                    report(true);
                } else {
                    System.err.println("subscribe failed: " + msg);
                    conn.close();
                }
            }
        }

        @Override
        public void onClose(Conn conn, Throwable cause) {
            if (ready) {
                metrics.closed.increment();
            }
            conns.remove(conn);
            report(false);
        }
    }
}
