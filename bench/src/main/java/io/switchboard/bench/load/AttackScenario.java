package io.switchboard.bench.load;

import com.fasterxml.jackson.databind.node.ArrayNode;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/**
 * {@code attacks}: the capacity attacks of the hardening work, against a server with its
 * production limits, each while a well-behaved {@link Probe} keeps reading: stalled connections
 * (idle sockets from eleven addresses past the per-address and total caps, slowloris headers,
 * WebSockets that never send {@code connect}) — how many are held, refused, and when the server
 * closes them — and load attacks (catastrophic regexes, a pipelining flood, concurrent history
 * reads of megabyte events) — how long the probe waits meanwhile.
 */
final class AttackScenario implements Scenario {
    private static final String HOST = "127.0.0.1";
    /** Production defaults, set explicitly: the other scenarios raise them for their load. */
    private static final Map<String, String> LIMITS = Map.of(
            "SWITCHBOARD_LIMITS_MAX_CONNECTIONS", "10000", "SWITCHBOARD_LIMITS_MAX_CONNECTIONS_PER_IP", "1000");

    private int port;

    @Override
    public String name() {
        return "attacks";
    }

    @Override
    public Result run(Ctx ctx) throws Exception {
        Result r = new Result(name(), ctx);
        int perAddress = ctx.scale(1000, 100);
        int addresses = ctx.scale(11, 2);
        r.params().put("idleSockets", perAddress * addresses).put("sourceAddresses", addresses)
                .put("maxConnections", 10000).put("maxConnectionsPerIp", 1000);
        try (ServerProc server = ServerProc.switchboard(ctx, false, List.of(), LIMITS)) {
            port = server.port;
            seed();
            ArrayNode waits = r.table("Second client's GET while each attack runs", "attack", "probe requests",
                    "p50 ms", "p99 ms", "max ms", "probe failures");
            ArrayNode stalls = r.table("Stalled connections", "kind", "opened", "held", "refused at once",
                    "closed by the server after (median s)", "fresh connection meanwhile");
            try (Probe probe = new Probe(HOST, port, "/api/data/probe")) {
                Thread.sleep(1000);
                probe.reset();
                Thread.sleep(ctx.scale(5000, 2000));
                row(waits, "none (baseline)", probe);

                probe.reset();
                stalled(stalls, "idle TCP", addresses, perAddress, null);
                row(waits, "idle TCP sockets", probe);

                probe.reset();
                stalled(stalls, "slowloris head", 1, perAddress, "GET / HTTP/1.1\r\nHost: x\r\nX-Slow: ");
                row(waits, "slowloris", probe);

                probe.reset();
                stalled(stalls, "silent WebSocket", 1, perAddress, "ws");
                row(waits, "silent WebSockets", probe);

                probe.reset();
                long regexReplies = regex(ctx.scale(10_000, 3000));
                row(waits, "4 clients looping $regex (.*a){12}$ (" + regexReplies + " answered)", probe);

                probe.reset();
                long flooded = flood(ctx.scale(10_000, 3000));
                row(waits, "one WebSocket pipelining sets (" + flooded + " frames written)", probe);

                probe.reset();
                long pages = history(ctx.scale(300, 30), ctx.scale(10_000, 3000));
                row(waits, "4 clients reading history of 900 KB events (" + pages + " pages)", probe);
            }
            r.note("server answers /health after all attacks: " + freshConnection());
        }
        return r;
    }

    private static void row(ArrayNode rows, String attack, Probe p) {
        double[] w = p.window();
        Result.row(rows, attack, (long) w[0], w[1], w[2], w[3], (long) w[4]);
    }

    private void seed() throws IOException {
        put("/api/data/probe", "{\"ok\":true}");
        for (int i = 0; i < 26; i++) {
            put("/api/data/re/" + i, "{\"s\":\"" + "a".repeat(25) + "b\"}");
        }
    }

    private void put(String path, String body) throws IOException {
        try (Socket s = RawHttp.open(null, HOST, port)) {
            request(s, "PUT", path, body);
        }
    }

    private static String request(Socket s, String method, String path, String body) throws IOException {
        byte[] b = body == null ? new byte[0] : body.getBytes(StandardCharsets.UTF_8);
        OutputStream out = s.getOutputStream();
        out.write((method + " " + path + " HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: " + b.length
                + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
        out.write(b);
        out.flush();
        String head = RawHttp.readHead(s.getInputStream());
        RawHttp.skipBody(s.getInputStream(), head);
        return head;
    }

    /**
     * Opens {@code perAddress} connections from each of {@code addresses} loopback addresses;
     * {@code mode} null = say nothing, "ws" = upgrade and stay silent, else send that head
     * prefix and then one byte every 2 s. Counts what is held and refused, then waits (at most
     * 90 s) for the server to close the held ones, sampling 50 of them.
     */
    private void stalled(ArrayNode rows, String kind, int addresses, int perAddress, String mode) throws Exception {
        List<Socket> socks = new ArrayList<>();
        List<Long> openedAt = new ArrayList<>();
        int refused = 0;
        try {
            for (int a = 0; a < addresses; a++) {
                String src = "127.0.0." + (2 + a);
                for (int i = 0; i < perAddress; i++) {
                    Socket s = RawHttp.open(src, HOST, port);
                    socks.add(s);
                    if ("ws".equals(mode)) {
                        try {
                            RawHttp.upgrade(s, HOST);
                        } catch (IOException e) {
                            refused++;
                            s.close();
                            continue;
                        }
                    } else if (mode != null) {
                        RawHttp.write(s.getOutputStream(), mode);
                    }
                    openedAt.add(System.nanoTime());
                }
            }
            Thread.sleep(1000);
            List<Socket> held = new ArrayList<>();
            List<Long> heldAt = new ArrayList<>();
            int k = 0;
            for (Socket s : socks) {
                if (s.isClosed()) {
                    continue;
                }
                if (quiet(s)) {
                    held.add(s);
                    heldAt.add(openedAt.get(k));
                } else {
                    refused++;
                }
                k++;
            }
            String fresh = freshConnection();
            Thread dripper = mode != null && !"ws".equals(mode) ? drip(held) : null;
            List<Double> closedAfter = new ArrayList<>();
            long deadline = System.nanoTime() + 90_000_000_000L;
            for (int i = 0; i < held.size() && System.nanoTime() < deadline; i += Math.max(1, held.size() / 50)) {
                Socket s = held.get(i);
                s.setSoTimeout((int) Math.max(1, (deadline - System.nanoTime()) / 1_000_000));
                try {
                    InputStream in = s.getInputStream();
                    while (in.read() >= 0) {
                        // an answer (408, a close frame) before the close
                    }
                    closedAfter.add((System.nanoTime() - heldAt.get(i)) / 1e9);
                } catch (SocketTimeoutException stillOpen) {
                    break;
                } catch (IOException reset) {
                    closedAfter.add((System.nanoTime() - heldAt.get(i)) / 1e9);
                }
            }
            if (dripper != null) {
                dripper.interrupt();
            }
            Collections.sort(closedAfter);
            Result.row(rows, kind, (long) addresses * perAddress, (long) held.size(), (long) refused,
                    closedAfter.isEmpty() ? Double.NaN : closedAfter.get(closedAfter.size() / 2), fresh);
        } finally {
            for (Socket s : socks) {
                s.close();
            }
        }
    }

    /** True when nothing (no answer, no close) arrives within 5 ms. */
    private static boolean quiet(Socket s) throws IOException {
        s.setSoTimeout(5);
        try {
            s.getInputStream().read();
            return false;
        } catch (SocketTimeoutException nothing) {
            return true;
        } catch (IOException reset) {
            return false;
        }
    }

    /** What a new connection from the probe's address gets while the stalled ones are held. */
    private String freshConnection() {
        try (Socket s = RawHttp.open(null, HOST, port)) {
            s.setSoTimeout(10_000);
            String head = request(s, "GET", "/health", null);
            return head.lines().findFirst().orElse("?");
        } catch (IOException e) {
            return "failed: " + e.getMessage();
        }
    }

    private static Thread drip(List<Socket> socks) {
        Thread t = new Thread(() -> {
            try {
                while (!Thread.currentThread().isInterrupted()) {
                    for (Socket s : socks) {
                        try {
                            s.getOutputStream().write('a');
                        } catch (IOException closed) {
                            // the server closed it
                        }
                    }
                    Thread.sleep(2000);
                }
            } catch (InterruptedException done) {
                // stop
            }
        }, "slowloris");
        t.setDaemon(true);
        t.start();
        return t;
    }

    private long regex(long ms) throws InterruptedException {
        String q = "/api/data/re/*?criteria=" + URLEncoder.encode("{\"s\":{\"$regex\":\"(.*a){12}$\"}}", StandardCharsets.UTF_8);
        return parallel(4, ms, sock -> request(sock, "GET", q, null));
    }

    private long history(int events, long ms) throws Exception {
        String big = "x".repeat(900_000);
        for (int i = 0; i < events; i++) {
            try (Socket sock = RawHttp.open(null, HOST, port)) {
                request(sock, "POST", "/api/publish/big/" + (i % 10), "{\"data\":\"" + big + "\"}");
            }
        }
        return parallel(4, ms, sock -> request(sock, "GET", "/api/history?pattern=/big/*&limit=1000", null));
    }

    /** One WebSocket that sends {@code set}s as fast as the socket takes them, reading nothing back; frames sent. */
    private long flood(long ms) throws Exception {
        try (Socket s = RawHttp.open(null, HOST, port)) {
            RawHttp.upgrade(s, HOST);
            OutputStream out = s.getOutputStream();
            out.write(RawHttp.textFrame("{\"id\":0,\"op\":\"connect\"}"));
            long end = System.nanoTime() + ms * 1_000_000;
            long n = 0;
            java.io.ByteArrayOutputStream batch = new java.io.ByteArrayOutputStream();
            while (System.nanoTime() < end) {
                batch.reset();
                for (int i = 0; i < 100; i++, n++) {
                    batch.write(RawHttp.textFrame("{\"id\":" + (n + 1) + ",\"op\":\"set\",\"path\":\"/flood/" + (n % 1000)
                            + "\",\"data\":{\"n\":" + n + "}}"));
                }
                try {
                    out.write(batch.toByteArray());
                } catch (IOException closedByServer) {
                    // The server may end a flooding connection; the flood is over then.
                    break;
                }
            }
            return n;
        }
    }

    private interface SocketCall {
        void call(Socket s) throws IOException;
    }

    /** {@code n} threads, each on its own connection, repeating {@code call} for {@code ms}; the calls answered. */
    private long parallel(int n, long ms, SocketCall call) throws InterruptedException {
        AtomicLong done = new AtomicLong();
        long end = System.nanoTime() + ms * 1_000_000;
        List<Thread> ts = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            Thread t = new Thread(() -> {
                Socket s = null;
                while (System.nanoTime() < end) {
                    try {
                        if (s == null) {
                            s = RawHttp.open(null, HOST, port);
                            s.setSoTimeout(60_000);
                        }
                        call.call(s);
                        done.incrementAndGet();
                    } catch (IOException e) {
                        s = null;
                    }
                }
            });
            t.start();
            ts.add(t);
        }
        for (Thread t : ts) {
            t.join();
        }
        return done.get();
    }
}
