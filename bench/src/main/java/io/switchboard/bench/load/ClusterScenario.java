package io.switchboard.bench.load;

import com.fasterxml.jackson.databind.node.ArrayNode;

import java.net.InetSocketAddress;
import java.net.Socket;
import java.util.ArrayList;
import java.util.List;

/**
 * Three nodes on one PostgreSQL schema and a bus, once with Redis and once with NATS:
 * <ol>
 *   <li>publish→delivery latency for subscribers on the publisher's node beside subscribers on
 *       another node (the bus hop), at a moderate rate;</li>
 *   <li>{@code SB_CLUSTER_CONNECTIONS} (default 50,000) WebSockets spread over the three nodes,
 *       each with one subscription on {@code /fan/*}: heap per connection after a full GC on every
 *       node, then one publisher on node 1 stepped up in offered deliveries/s, with latency per
 *       node (node 1 same-node, nodes 2 and 3 across the bus).</li>
 * </ol>
 * The bus carries one message per group commit of the publishing node (at most one per publish),
 * whatever the number of subscribers; the report states the bus messages/s of each step.
 */
public final class ClusterScenario implements Scenario {
    @Override
    public String name() {
        return "cluster";
    }

    @Override
    public Result run(Ctx ctx) throws Exception {
        Result r = new Result(name(), ctx);
        int latencySubs = ctx.scale(200, 50);
        double latencyRate = ctx.scale(200, 100);
        int total = Integer.parseInt(System.getenv().getOrDefault("SB_CLUSTER_CONNECTIONS",
                Integer.toString(ctx.small() ? 3000 : 50_000)));
        List<Integer> offered = ctx.small() ? List.of(50_000, 100_000) : List.of(100_000, 200_000, 400_000);
        int stepSec = ctx.scale(8, 4);
        r.params().put("nodes", Cluster.NODES).put("store", "postgres (one schema)").put("latency_subscribers_per_group", latencySubs)
                .put("latency_publishes_per_s", latencyRate).put("connections_total", total)
                .put("fanout_offered_deliveries_per_s", offered.toString()).put("step_seconds", stepSec);
        ArrayNode lat = r.table("Publish→delivery, same node vs across the bus", "bus", "subscribers on", "subscribers",
                "publishes/s", "delivered", "p50 ms", "p99 ms", "p99.9 ms");
        ArrayNode mem = r.table("Connections held by three nodes", "bus", "node", "connections", "heap MB after GC",
                "heap B/conn", "RSS MB");
        ArrayNode fan = r.table("Fan-out across three nodes", "bus", "offered/s", "publishes/s", "bus messages/s (sent, at most)",
                "deliveries/s", "delivered %", "p50 ms node 1 (same)", "p99 ms node 1 (same)", "p50 ms nodes 2-3 (bus)",
                "p99 ms nodes 2-3 (bus)");
        if (!Peers.postgresReachable()) {
            r.note("PostgreSQL is not reachable: the cluster scenario needs it");
            return r;
        }
        for (String bus : List.of("redis", "nats")) {
            int port = bus.equals("redis") ? 6379 : 4222;
            if (!reachable(port)) {
                r.note(bus + " is not running on 127.0.0.1:" + port + ": skipped");
                continue;
            }
            try (Cluster c = Cluster.start(ctx, bus)) {
                latency(ctx, c, latencySubs, latencyRate, stepSec, lat, r);
                fanout(ctx, c, total, offered, stepSec, mem, fan, r);
            } catch (Exception e) {
                r.note(bus + ": failed: " + e);
            }
        }
        r.note("the machine has 2 cores shared by the three nodes, every load generator and PostgreSQL, Redis and NATS"
                + " (and by other people's builds while this ran): figures are comparative");
        return r;
    }

    private static boolean reachable(int port) {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress("127.0.0.1", port), 1000);
            return true;
        } catch (java.io.IOException e) {
            return false;
        }
    }

    private static WorkerProc worker(Ctx ctx, ServerProc node, String role, com.fasterxml.jackson.databind.node.ObjectNode extra)
            throws java.io.IOException {
        com.fasterxml.jackson.databind.node.ObjectNode cfg = Jsons.object().put("role", role).put("host", "127.0.0.1")
                .put("port", node.port).put("transport", "ws").put("maxSeconds", 1500);
        cfg.setAll(extra);
        return WorkerProc.java(ctx, cfg);
    }

    private static void latency(Ctx ctx, Cluster c, int subs, double rate, int stepSec, ArrayNode rows, Result r)
            throws Exception {
        try (Workers same = new Workers(); Workers cross = new Workers(); Workers pub = new Workers()) {
            same.add(worker(ctx, c.node(0), "sub", Jsons.object().put("pattern", "/lat/*")));
            cross.add(worker(ctx, c.node(1), "sub", Jsons.object().put("pattern", "/lat/*")));
            pub.add(worker(ctx, c.node(0), "pub", Jsons.object().put("path", "/lat/room")));
            same.addConnections(subs, 300);
            cross.addConnections(subs, 300);
            pub.addConnections(1, 60);
            for (String step : List.of("warmup", "measure")) {
                same.step(step);
                cross.step(step);
                pub.step(step);
                pub.sendAll("rate " + rate);
                Thread.sleep((step.equals("warmup") ? 3 : stepSec) * 1000L);
                pub.sendAll("rate 0");
                same.drain(1000, 20);
                cross.drain(1000, 20);
                Window p = pub.end();
                Window s = same.end();
                Window x = cross.end();
                if (step.equals("measure")) {
                    double pps = p.sent() / (double) stepSec;
                    Result.row(rows, c.bus, "node 1 (the publisher's)", subs, pps, s.count(), s.ms(50), s.ms(99), s.ms(99.9));
                    Result.row(rows, c.bus, "node 2 (across the bus)", subs, pps, x.count(), x.ms(50), x.ms(99), x.ms(99.9));
                    r.headline("cross-node p99 over " + c.bus + " (same-node p99 " + String.format("%.2f", s.ms(99)) + " ms)",
                            x.ms(99), "ms", Double.NaN, false);
                }
            }
        }
    }

    private static void fanout(Ctx ctx, Cluster c, int total, List<Integer> offered, int stepSec, ArrayNode mem,
                               ArrayNode rows, Result r) throws Exception {
        long[] heap0 = new long[Cluster.NODES];
        for (int i = 0; i < Cluster.NODES; i++) {
            heap0[i] = c.node(i).heapUsedAfterGc(ctx.javaBin());
        }
        List<Workers> perNode = new ArrayList<>();
        try (Workers pub = new Workers()) {
            int[] have = new int[Cluster.NODES];
            int base = 0;
            for (int i = 0; i < Cluster.NODES; i++) {
                int share = total / Cluster.NODES + (i < total % Cluster.NODES ? 1 : 0);
                Workers ws = new Workers();
                perNode.add(ws);
                for (int w = 0; w < Ctx.workersFor(share); w++) {
                    ws.add(worker(ctx, c.node(i), "sub", Jsons.object().put("pattern", "/fan/*").put("base", base)));
                    base += Ctx.PER_WORKER;
                }
                have[i] = ws.addConnections(share, 900);
            }
            Thread.sleep(2000);
            long heapSum = 0;
            int connSum = 0;
            for (int i = 0; i < Cluster.NODES; i++) {
                long heap = c.node(i).heapUsedAfterGc(ctx.javaBin());
                heapSum += heap - heap0[i];
                connSum += have[i];
                Result.row(mem, c.bus, "node " + (i + 1), have[i], heap / 1e6, (heap - heap0[i]) / (double) Math.max(1, have[i]),
                        c.node(i).rss() / 1e6);
            }
            r.headline("connections held by 3 nodes (" + c.bus + ")", connSum, "", 50_000, true);
            r.headline("heap per WebSocket with one subscription, 3 nodes (" + c.bus + ")", heapSum / (double) Math.max(1, connSum),
                    "B", 4096, false);
            pub.add(worker(ctx, c.node(0), "pub", Jsons.object().put("path", "/fan/room")));
            pub.addConnections(1, 60);
            double best = 0;
            for (int off : offered) {
                double rate = (double) off / Math.max(1, connSum);
                for (Workers ws : perNode) {
                    ws.step(off + "");
                }
                pub.step(off + "");
                pub.sendAll("rate " + rate);
                Thread.sleep(stepSec * 1000L);
                pub.sendAll("rate 0");
                for (Workers ws : perNode) {
                    ws.drain(1000, 20);
                }
                Window p = pub.end();
                Window same = perNode.get(0).end();
                List<Window> remote = new ArrayList<>();
                for (int i = 1; i < Cluster.NODES; i++) {
                    remote.add(perNode.get(i).end());
                }
                Window bus = merge(remote);
                List<Window> all = new ArrayList<>(remote);
                all.add(same);
                Window every = merge(all);
                long delivered = every.count();
                double dps = every.ratePerSecond();
                double pct = p.sent() == 0 ? 0 : 100.0 * delivered / (p.sent() * (double) connSum);
                double pps = p.sent() / (double) stepSec;
                Result.row(rows, c.bus, off, pps, pps, dps, pct, same.ms(50), same.ms(99), bus.ms(50), bus.ms(99));
                if (pct >= 95) {
                    best = Math.max(best, dps);
                }
                if (pct < 50) {
                    r.note(c.bus + ": saturated at offered " + off + "/s; higher steps skipped");
                    break;
                }
            }
            r.headline("fan-out deliveries/s across 3 nodes, ≥95% delivered (" + c.bus + ")", best, "/s", Double.NaN, true);
        } finally {
            perNode.forEach(Workers::close);
        }
    }

    /** Windows of several worker groups as one (counts summed, histograms merged). */
    private static Window merge(List<Window> ws) {
        org.HdrHistogram.Histogram h = new org.HdrHistogram.Histogram(Metrics.MAX_NANOS, 2);
        long count = 0;
        long start = Long.MAX_VALUE;
        long end = Long.MIN_VALUE;
        long last = Long.MIN_VALUE;
        for (Window w : ws) {
            h.add(w.hist());
            count += w.count();
            start = Math.min(start, w.startNanos());
            end = Math.max(end, w.endNanos());
            last = Math.max(last, w.lastNanos());
        }
        return new Window(count, 0, 0, 0, 0, 0, 0, start, end, last, h);
    }
}
