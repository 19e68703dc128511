package io.switchboard.bench.load;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.ArrayList;
import java.util.List;

/** A group of worker processes driven together. */
public final class Workers implements AutoCloseable {
    private final List<WorkerProc> procs = new ArrayList<>();

    public Workers add(WorkerProc p) throws InterruptedException {
        p.await("started", 60);
        procs.add(p);
        return this;
    }

    public int size() {
        return procs.size();
    }

    public WorkerProc get(int i) {
        return procs.get(i);
    }

    public void sendAll(String cmd) {
        procs.forEach(p -> p.send(cmd));
    }

    public List<JsonNode> awaitAll(String event, int timeoutSec) throws InterruptedException {
        List<JsonNode> out = new ArrayList<>();
        for (WorkerProc p : procs) {
            out.add(p.await(event, timeoutSec));
        }
        return out;
    }

    /** Adds {@code total} connections spread evenly; returns how many are ready. */
    public int addConnections(int total, int timeoutSec) throws InterruptedException {
        int n = procs.size();
        for (int i = 0; i < n; i++) {
            int share = total / n + (i < total % n ? 1 : 0);
            procs.get(i).send("add " + share);
        }
        int ready = 0;
        for (JsonNode r : awaitAll("ready", timeoutSec)) {
            ready += r.path("ready").asInt();
        }
        return ready;
    }

    /** step + (caller acts) + end: returns the merged window. */
    public void step(String name) throws InterruptedException {
        sendAll("step " + name);
        awaitAll("stepped", 30);
    }

    /** Waits until no worker received anything for {@code quietMs} (at most {@code maxSec}): the backlog has drained. */
    public void drain(int quietMs, int maxSec) throws InterruptedException {
        long deadline = System.nanoTime() + maxSec * 1_000_000_000L;
        long last = -1;
        while (System.nanoTime() < deadline) {
            sendAll("peek");
            long sum = 0;
            for (JsonNode n : awaitAll("peek", 30)) {
                sum += n.path("count").asLong();
            }
            if (sum == last) {
                return;
            }
            last = sum;
            Thread.sleep(quietMs);
        }
    }

    public Window end() throws InterruptedException {
        sendAll("end");
        return Window.merge(awaitAll("window", 60));
    }

    @Override
    public void close() {
        procs.parallelStream().forEach(WorkerProc::close);
        procs.clear();
    }
}
