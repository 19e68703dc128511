package io.switchboard.bench.load;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The well-behaved second client of the attack scenario: one keep-alive HTTP connection, opened
 * before an attack starts, that sends {@code GET path} one after the other and records how long
 * each answer took. A request that fails or takes over 30 s counts as failed.
 */
final class Probe implements AutoCloseable {
    private final String host;
    private final int port;
    private final String path;
    private final List<Long> micros = Collections.synchronizedList(new ArrayList<>());
    private final AtomicBoolean running = new AtomicBoolean(true);
    private final Thread thread;
    private volatile int failures;

    Probe(String host, int port, String path) {
        this.host = host;
        this.port = port;
        this.path = path;
        thread = new Thread(this::loop, "probe");
        thread.setDaemon(true);
        thread.start();
    }

    private void loop() {
        Socket s = null;
        while (running.get()) {
            try {
                if (s == null || s.isClosed()) {
                    s = new Socket();
                    s.setSoTimeout(30_000);
                    s.connect(new InetSocketAddress(host, port), 5_000);
                }
                long t0 = System.nanoTime();
                request(s);
                micros.add((System.nanoTime() - t0) / 1000);
                Thread.sleep(20);
            } catch (IOException e) {
                failures++;
                close(s);
                s = null;
            } catch (InterruptedException e) {
                break;
            }
        }
        close(s);
    }

    private void request(Socket s) throws IOException {
        OutputStream out = s.getOutputStream();
        out.write(("GET " + path + " HTTP/1.1\r\nHost: " + host + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
        out.flush();
        InputStream in = s.getInputStream();
        String head = RawHttp.readHead(in);
        if (!head.startsWith("HTTP/1.1 2") && !head.startsWith("HTTP/1.1 404")) {
            throw new IOException("probe answered " + head.lines().findFirst().orElse(""));
        }
        RawHttp.skipBody(in, head);
    }

    /** Forgets what was measured so far (the next window starts now). */
    void reset() {
        micros.clear();
        failures = 0;
    }

    /** {count, p50 ms, p99 ms, max ms, failures} of the window so far. */
    double[] window() {
        List<Long> copy;
        synchronized (micros) {
            copy = new ArrayList<>(micros);
        }
        Collections.sort(copy);
        if (copy.isEmpty()) {
            return new double[] {0, Double.NaN, Double.NaN, Double.NaN, failures};
        }
        return new double[] {copy.size(), pct(copy, 0.50), pct(copy, 0.99), copy.get(copy.size() - 1) / 1000.0, failures};
    }

    private static double pct(List<Long> sorted, double q) {
        return sorted.get((int) Math.min(sorted.size() - 1, Math.floor(q * sorted.size()))) / 1000.0;
    }

    private static void close(Socket s) {
        try {
            if (s != null) {
                s.close();
            }
        } catch (IOException ignored) {
            // closing
        }
    }

    @Override
    public void close() throws InterruptedException {
        running.set(false);
        thread.interrupt();
        thread.join(5_000);
    }
}
