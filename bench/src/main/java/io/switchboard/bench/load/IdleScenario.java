package io.switchboard.bench.load;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.List;

/**
 * Server memory per idle connection: heap in use after a forced full GC (jcmd GC.run, GC.heap_info)
 * and RSS, at growing connection counts, each connection holding one subscription (its own
 * pattern), for WebSocket and for SSE. Per-connection figures are (value - value with no
 * connections) / connections.
 */
public final class IdleScenario implements Scenario {
    @Override
    public String name() {
        return "idle";
    }

    @Override
    public Result run(Ctx ctx) throws Exception {
        Result r = new Result(name(), ctx);
        List<Integer> levels = ctx.small() ? List.of(200, 1000) : List.of(1000, 5000, 19_000);
        r.params().put("connections", levels.toString()).put("subscription", "one per connection, pattern /idle/c<i>/*");
        ArrayNode rows = r.table("Server memory per idle connection", "transport", "connections", "heap MB",
                "heap B/conn", "RSS MB", "RSS B/conn");
        ObjectNode chart = r.chart("Heap per idle connection", "connections", "bytes per connection", "bar");
        double wsHeapPerConn = Double.NaN;
        for (String transport : List.of("ws", "sse")) {
            try (ServerProc srv = ServerProc.switchboard(ctx, false, List.of());
                 Workers subs = new Workers()) {
                Thread.sleep(2000);
                long heap0 = srv.heapUsedAfterGc(ctx.javaBin());
                long rss0 = srv.rss();
                int max = levels.get(levels.size() - 1);
                for (int w = 0; w < Ctx.workersFor(max); w++) {
                    subs.add(WorkerProc.java(ctx, Jsons.object().put("role", "sub").put("transport", transport)
                            .put("port", srv.port).put("pattern", "/idle/c{i}/*").put("base", w * Ctx.PER_WORKER)
                            .put("maxSeconds", 1200)));
                }
                int have = 0;
                for (int level : levels) {
                    have += subs.addConnections(level - have, 600);
                    Thread.sleep(2000);
                    long heap = srv.heapUsedAfterGc(ctx.javaBin());
                    long rss = srv.rss();
                    double hpc = (heap - heap0) / (double) have;
                    double rpc = (rss - rss0) / (double) have;
                    Result.row(rows, transport, have, heap / 1e6, hpc, rss / 1e6, rpc);
                    Result.point(chart, transport, Integer.toString(level), hpc);
                    if (transport.equals("ws")) {
                        wsHeapPerConn = hpc;
                    }
                    if (have < level) {
                        r.note(transport + ": only " + have + " of " + level + " connections opened");
                        break;
                    }
                }
            }
        }
        r.headline("heap per idle WebSocket with one subscription (largest level)", wsHeapPerConn, "B", 4096, false);
        r.note("RSS includes heap growth the JVM had committed before; heap after full GC is the figure to compare");
        return r;
    }
}
