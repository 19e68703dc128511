package io.switchboard.bench.load;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.ArrayList;
import java.util.List;

/**
 * One publisher, N subscribers on one pattern, publish rate stepped up so that the offered
 * deliveries/s grow; measures deliveries/s and publish-to-receipt latency. Run against Switchboard
 * (native WebSocket), nats-server (the near-limit reference) and the Node peers.
 */
public final class FanoutScenario implements Scenario {
    @Override
    public String name() {
        return "fanout";
    }

    @Override
    public Result run(Ctx ctx) throws Exception {
        Result r = new Result(name(), ctx);
        // SB_FANOUT_LEVELS / SB_FANOUT_RATES (comma lists) narrow a run, e.g. for a before/after check.
        List<Integer> levels = override("SB_FANOUT_LEVELS",
                ctx.small() ? List.of(1000) : List.of(1000, 10_000, 19_000));
        List<Integer> offered = override("SB_FANOUT_RATES",
                ctx.small() ? List.of(25_000, 50_000, 100_000) : List.of(50_000, 100_000, 200_000, 400_000, 800_000));
        int stepSec = ctx.scale(7, 4);
        int peerLevel = 1000;
        r.params().put("subscribers", levels.toString()).put("offered_deliveries_per_s", offered.toString())
                .put("step_seconds", stepSec).put("drain", "until 1 s without arrivals, at most 20 s").put("pattern", "/fan/*").put("path", "/fan/room")
                .put("peer_subscribers", peerLevel);
        ArrayNode rows = r.table("Fan-out steps", "system", "subscribers", "offered/s", "publishes/s", "published",
                "delivered", "delivered %", "deliveries/s", "p50 ms", "p99 ms", "p99.9 ms", "max ms", "closed");
        ObjectNode rateChart = r.chart("Fan-out: deliveries/s achieved vs offered", "offered deliveries/s", "deliveries/s", "line");
        ObjectNode p99Chart = r.chart("Fan-out: p99 latency vs offered load", "offered deliveries/s", "p99 ms", "line");
        List<String[]> best = new ArrayList<>();
        double sbBest = 0;
        double sbBestAtPeer = 0;
        double sbBestAny = 0;
        for (String system : systems(ctx)) {
            for (int level : levels) {
                if (!system.equals("switchboard") && level != peerLevel && (!system.equals("nats") || level == 10_000)) {
                    continue; // Node peers at 1k only; nats at 1k and 19k
                }
                Steps st = new Steps(0, 0, 0, Double.NaN);
                try (Peers.Running srv = Peers.start(ctx, system)) {
                    st = measure(ctx, r, srv, system, level, offered, stepSec, rows, rateChart, p99Chart);
                } catch (Exception e) {
                    r.note(system + " at " + level + ": failed: " + e.getMessage());
                }
                double bestOk = st.bestOk();
                double bestAny = st.bestAny();
                double maxAny = st.maxAny();
                double p99AtBest = st.p99AtBest();
                best.add(new String[] {system, Integer.toString(level), Double.toString(bestAny), Double.toString(p99AtBest),
                        Double.toString(bestOk), Double.toString(maxAny)});
                if (system.equals("switchboard")) {
                    sbBest = Math.max(sbBest, bestOk);
                    sbBestAny = Math.max(sbBestAny, bestAny);
                    if (level == peerLevel) {
                        sbBestAtPeer = bestAny;
                    }
                }
            }
        }
        ArrayNode ratio = r.table("Best step per system (≥95% of offered deliveries arrived)", "system", "subscribers",
                "deliveries/s", "p99 ms there", "best with p99 < 50 ms", "max deliveries/s (any step)",
                "Switchboard/peer (max deliveries/s)");
        for (String[] b : best) {
            double v = Double.parseDouble(b[2]);
            double max = Double.parseDouble(b[5]);
            double sbSame = best.stream().filter(x -> x[0].equals("switchboard") && x[1].equals(b[1]))
                    .mapToDouble(x -> Double.parseDouble(x[5])).findFirst().orElse(Double.NaN);
            Result.row(ratio, b[0], Integer.parseInt(b[1]), v, Double.parseDouble(b[3]), Double.parseDouble(b[4]), max,
                    b[0].equals("switchboard") || max == 0 ? Double.NaN : sbSame / max);
            if (!b[0].equals("switchboard") && max > 0) {
                r.headline("fan-out Switchboard/" + b[0] + " at " + b[1] + " subscribers (max deliveries/s)", sbSame / max,
                        "x", Double.NaN, true);
            }
        }
        r.headline("fan-out deliveries/s with p99 < 50 ms (Switchboard)", sbBest, "/s", 400_000, true);
        r.headline("fan-out best deliveries/s, ≥95% delivered, any latency (Switchboard)", sbBestAny, "/s", Double.NaN, true);
        r.note("offered rates above what the step reached are capped by the publisher's in-flight limit (20,000)"
                + " and show as fewer publishes/s; latency counts from the intended send time");
        r.note("Switchboard at " + peerLevel + " subscribers: " + Math.round(sbBestAtPeer) + " deliveries/s (best step, any latency)");
        return r;
    }

    /** What {@link #measure} found at one subscriber level. */
    record Steps(double bestOk, double bestAny, double maxAny, double p99AtBest) {
    }

    /**
     * Steps the offered deliveries/s up against a running system with {@code level} subscribers on
     * {@code /fan/*} and one publisher on {@code /fan/room}, adding a row and chart points per step
     * under {@code label}; stops after the step that saturates it.
     */
    static Steps measure(Ctx ctx, Result r, Peers.Running srv, String label, int level, List<Integer> offered, int stepSec,
                         ArrayNode rows, ObjectNode rateChart, ObjectNode p99Chart) throws Exception {
        double bestOk = 0;
        double bestAny = 0;
        double maxAny = 0;
        double p99AtBest = Double.NaN;
        String system = label;
        try (Workers subs = new Workers(); Workers pub = new Workers()) {
            for (int w = 0; w < Ctx.workersFor(level); w++) {
                subs.add(srv.worker(ctx, "sub", Jsons.object().put("pattern", "/fan/*").put("base", w * Ctx.PER_WORKER)));
            }
            pub.add(srv.worker(ctx, "pub", Jsons.object().put("path", "/fan/room")));
            int ready = subs.addConnections(level, 600);
            pub.addConnections(1, 60);
            if (ready < level) {
                r.note(system + ": only " + ready + " of " + level + " subscribers connected");
            }
            // Warm-up (JIT of server and workers), not reported.
            subs.step("warmup");
            pub.step("warmup");
            pub.sendAll("rate " + (double) offered.get(0) / Math.max(1, ready));
            Thread.sleep(3000);
            pub.sendAll("rate 0");
            subs.drain(1000, 20);
            pub.end();
            subs.end();
            for (int off : offered) {
                double rate = (double) off / Math.max(1, ready);
                subs.step(off + "");
                pub.step(off + "");
                pub.sendAll("rate " + rate);
                Thread.sleep(stepSec * 1000L);
                pub.sendAll("rate 0");
                subs.drain(1000, 20);
                Window p = pub.end();
                Window w = subs.end();
                long expected = p.sent() * (long) ready;
                double pct = expected == 0 ? 0 : 100.0 * w.count() / expected;
                double dps = w.ratePerSecond();
                Result.row(rows, system, ready, off, p.sent() / (double) stepSec, p.sent(), w.count(), pct, dps,
                        w.ms(50), w.ms(99), w.ms(99.9), w.hist().getTotalCount() == 0 ? Double.NaN : w.hist().getMaxValue() / 1e6, w.closed());
                String series = system + " " + ready;
                Result.point(rateChart, series, off, dps);
                Result.point(p99Chart, series, off, w.ms(99));
                if (pct >= 95 && w.ms(99) < 50) {
                    bestOk = Math.max(bestOk, dps);
                }
                maxAny = Math.max(maxAny, dps);
                if (pct >= 95 && dps > bestAny) {
                    bestAny = dps;
                    p99AtBest = w.ms(99);
                }
                if (pct < 50 || w.ms(99) > 5000 || w.closed() > 0) {
                    r.note(system + " at " + ready + " subscribers saturated at offered " + off + "/s; higher steps skipped");
                    break;
                }
            }
        }
        return new Steps(bestOk, bestAny, maxAny, p99AtBest);
    }

    private static List<String> systems(Ctx ctx) {
        List<String> s = new ArrayList<>(List.of("switchboard"));
        if (ctx.peers()) {
            s.add("nats");
            if (ctx.peersInstalled()) {
                s.addAll(List.of("happn", "deepstream", "socketio"));
            }
        }
        return s;
    }

    private static List<Integer> override(String env, List<Integer> defaults) {
        String v = System.getenv(env);
        if (v == null || v.isBlank()) {
            return defaults;
        }
        return java.util.Arrays.stream(v.split(",")).map(String::trim).map(Integer::valueOf).toList();
    }
}
