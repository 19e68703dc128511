package io.switchboard.bench.load;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.ArrayList;
import java.util.List;

/**
 * Pipelined request throughput: durable sets ({@code writes}) or gets of hot documents
 * ({@code reads}) with 1, 16 and 64 clients, each keeping a window of requests in flight.
 * Also run against happn-3 through its own client.
 */
public final class RequestScenario implements Scenario {
    private final String op;

    public RequestScenario(String op) {
        this.op = op;
    }

    @Override
    public String name() {
        return op.equals("set") ? "writes" : "reads";
    }

    @Override
    public Result run(Ctx ctx) throws Exception {
        Result r = new Result(name(), ctx);
        List<Integer> clients = List.of(1, 16, 64);
        int window = 64;
        int seconds = ctx.scale(10, 5);
        r.params().put("op", op).put("clients", clients.toString()).put("window_per_client", window)
                .put("seconds_per_step", seconds).put("hot_documents", 100).put("pad_bytes", 64);
        ArrayNode rows = r.table(name(), "system", "clients", "ops", "ops/s", "errors", "p50 ms", "p99 ms", "p99.9 ms");
        ObjectNode chart = r.chart(name() + ": ops/s by clients", "clients", "ops/s", "bar");
        List<String> systems = new ArrayList<>(List.of("switchboard"));
        if (op.equals("set") && Peers.postgresReachable()) {
            systems.add(Peers.POSTGRES); // the same durable sets on the PostgreSQL store
        }
        if (ctx.peersInstalled()) {
            systems.add("happn");
        }
        double sbBest = 0;
        double sbP99 = Double.NaN;
        double pgBest = Double.NaN;
        List<double[]> peerBest = new ArrayList<>();
        for (String system : systems) {
            double best = 0;
            for (int c : clients) {
                try (Peers.Running srv = Peers.start(ctx, system)) {
                    Window w = step(ctx, srv, op, c, window, seconds);
                    double ops = opsPerSecond(w);
                    Result.row(rows, system, c, w.count(), ops, w.errors(), w.ms(50), w.ms(99), w.ms(99.9));
                    Result.point(chart, system, Integer.toString(c), ops);
                    if (ops > best) {
                        best = ops;
                        if (system.equals("switchboard")) {
                            sbP99 = w.ms(99);
                        }
                    }
                } catch (Exception e) {
                    r.note(system + " with " + c + " clients failed: " + e.getMessage());
                }
            }
            if (system.equals("switchboard")) {
                sbBest = best;
            } else if (system.equals(Peers.POSTGRES)) {
                pgBest = best;
            } else {
                peerBest.add(new double[] {best});
                r.headline("Switchboard/" + system + " " + name() + " ratio", best == 0 ? Double.NaN : sbBest / best, "x",
                        Double.NaN, true);
            }
        }
        if (op.equals("set")) {
            r.headline("pipelined durable sets/s (best)", sbBest, "/s", 100_000, true);
            r.headline("p99 at the best sets/s", sbP99, "ms", Double.NaN, false);
            if (!Double.isNaN(pgBest)) {
                r.headline("pipelined durable sets/s on PostgreSQL (best)", pgBest, "/s", Double.NaN, true);
            }
        } else {
            r.headline("gets/s of hot documents (best)", sbBest, "/s", Double.NaN, true);
        }
        return r;
    }

    /**
     * One closed-loop step against a running system: {@code clients} WebSockets each keeping
     * {@code window} requests of {@code op} in flight for {@code seconds} (100 hot keys, 64-byte pad).
     */
    static Window step(Ctx ctx, Peers.Running srv, String op, int clients, int window, int seconds) throws Exception {
        try (Workers ws = new Workers()) {
            ws.add(srv.worker(ctx, "load", Jsons.object().put("op", op).put("window", window).put("keys", 100)
                    .put("padBytes", 64)));
            ws.addConnections(clients, 120);
            ws.step(op + clients);
            ws.sendAll("rate 1");
            Thread.sleep(seconds * 1000L);
            ws.sendAll("rate 0");
            return ws.end();
        }
    }

    static double opsPerSecond(Window w) {
        return w.count() / ((w.endNanos() - w.startNanos()) / 1e9);
    }
}
