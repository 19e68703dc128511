package io.switchboard.bench.load;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * What the gateway pipeline costs and gains, each in one run against the same jar:
 * <ol>
 *   <li>pipelined sets and gets with CEL rules (write, validate and read on every path used) and
 *   per-op rate limits (one bucket per session, never exhausted) on, against both off;</li>
 *   <li>hot gets with the cache, without it and against happn-3, with the share of store reads
 *   the cache avoided (from {@code /metrics});</li>
 *   <li>fan-out deliveries/s with a read rule on the subscribers: one that does not look at the
 *   event (decided once per subscription) and one that does (evaluated per delivery), against none.</li>
 * </ol>
 * Rounds alternate off and on so that drift on a shared machine hits both; each server is warmed
 * up with a few seconds of each op first.
 */
public final class GatewayScenario implements Scenario {
    /** Rules on everything the request steps touch: a write rule, a validate rule and a read rule that reads the document. */
    static final String REQUEST_RULES = "[{\"name\":\"bench-write\",\"pattern\":\"/bench/**\","
            + "\"write\":\"newData == null || newData.pad.size() <= 4096\",\"validate\":\"has(newData.sbt) && newData.sbt >= 0\"},"
            + "{\"name\":\"bench-read\",\"pattern\":\"/bench/**\",\"read\":\"data == null || data.pad.size() <= 4096\"}]";
    /** A read rule on the fan-out path that does not depend on the event: decided once per subscription. */
    static final String FANOUT_CACHED_RULE = "[{\"name\":\"fan-read\",\"pattern\":\"/fan/**\","
            + "\"read\":\"auth == null || auth.id != ''\"}]";
    /** A read rule that reads the event's data: evaluated for every delivery. */
    static final String FANOUT_EVENT_RULE = "[{\"name\":\"fan-read\",\"pattern\":\"/fan/**\",\"read\":\"data.sbt >= 0\"}]";
    static final Map<String, String> GATEWAY_ON = Map.of("SWITCHBOARD_RULES", REQUEST_RULES,
            "SWITCHBOARD_RATE_LIMITS_OPS", "{\"default\":{\"limit\":100000000,\"every\":1000}}",
            "SWITCHBOARD_RATE_LIMITS_KEY_BY", "session");

    @Override
    public String name() {
        return "gateway";
    }

    @Override
    public Result run(Ctx ctx) throws Exception {
        Result r = new Result(name(), ctx);
        int seconds = ctx.scale(10, 4);
        int clients = 16;
        int window = 64;
        r.params().put("clients", clients).put("window_per_client", window).put("seconds_per_step", seconds)
                .put("request_rules", REQUEST_RULES).put("rate_limits", GATEWAY_ON.get("SWITCHBOARD_RATE_LIMITS_OPS")
                        + " per session").put("fanout_cached_rule", FANOUT_CACHED_RULE).put("fanout_event_rule", FANOUT_EVENT_RULE);
        // SB_GATEWAY_PARTS (comma list of cost, cache, fanout) narrows a run, e.g. to re-measure one part.
        java.util.Set<String> parts = java.util.Set.of(System.getenv().getOrDefault("SB_GATEWAY_PARTS", "cost,cache,fanout")
                .replace(" ", "").split(","));
        if (parts.contains("cost")) {
            gatewayCost(ctx, r, clients, window, seconds);
        }
        if (parts.contains("cache")) {
            cache(ctx, r, window, seconds);
        }
        if (parts.contains("fanout")) {
            fanout(ctx, r);
        }
        return r;
    }

    private static void gatewayCost(Ctx ctx, Result r, int clients, int window, int seconds) throws Exception {
        ArrayNode rows = r.table("Requests with rules + rate limits off and on", "round", "gateway", "op", "ops", "ops/s",
                "errors", "p50 ms", "p99 ms");
        int rounds = ctx.scale(3, 1); // sets vary ±20% from one server to the next here (disk): best of three each
        double[][] best = new double[2][2]; // [off|on][set|get] best ops/s
        double[][] p99 = {{Double.NaN, Double.NaN}, {Double.NaN, Double.NaN}};
        for (int round = 1; round <= rounds; round++) {
            for (int on = 0; on < 2; on++) {
                try (Peers.Running srv = Peers.switchboard(ctx, on == 1 ? GATEWAY_ON : Map.of())) {
                    String[] kinds = {"set", "get"};
                    for (String k : kinds) { // warm-up (JIT, CEL classes), not reported
                        RequestScenario.step(ctx, srv, k, clients, window, ctx.scale(4, 2));
                    }
                    for (int o = 0; o < 2; o++) {
                        Window w = RequestScenario.step(ctx, srv, kinds[o], clients, window, seconds);
                        double ops = RequestScenario.opsPerSecond(w);
                        Result.row(rows, round, on == 1 ? "on" : "off", kinds[o], w.count(), ops, w.errors(), w.ms(50), w.ms(99));
                        if (ops > best[on][o]) {
                            best[on][o] = ops;
                            p99[on][o] = w.ms(99);
                        }
                    }
                }
            }
        }
        String[] names = {"sets", "gets"};
        for (int o = 0; o < 2; o++) {
            r.headline(names[o] + "/s with rules + rate limits on / off", best[1][o] / best[0][o], "x", 0.9, true);
            r.headline(names[o] + " p99 with rules + rate limits on / off", p99[1][o] / p99[0][o], "x", Double.NaN, false);
        }
    }

    private static void cache(Ctx ctx, Result r, int window, int seconds) throws Exception {
        ArrayNode rows = r.table("Hot gets: cache on, cache off, happn-3", "system", "clients", "gets", "gets/s", "errors",
                "p50 ms", "p99 ms", "store reads avoided %");
        List<String> systems = new ArrayList<>(List.of("cache on", "cache off"));
        if (ctx.peersInstalled()) {
            systems.add("happn");
        }
        Map<String, Double> best = new java.util.HashMap<>();
        double avoided = Double.NaN;
        for (String system : systems) {
            for (int c : List.of(16, 64)) {
                try (Peers.Running srv = system.equals("happn") ? Peers.start(ctx, "happn")
                        : Peers.switchboard(ctx, Map.of("SWITCHBOARD_CACHE_ENABLED", Boolean.toString(system.equals("cache on"))))) {
                    RequestScenario.step(ctx, srv, "get", c, window, ctx.scale(4, 2)); // warm-up (JIT), every system alike
                    Window w = RequestScenario.step(ctx, srv, "get", c, window, seconds);
                    double ops = RequestScenario.opsPerSecond(w);
                    double share = Double.NaN;
                    if (!system.equals("happn")) {
                        Map<String, Double> m = PromScrape.scrape("127.0.0.1", srv.server().port);
                        double hits = PromScrape.sum(m, "switchboard_cache_hits_total");
                        double misses = PromScrape.sum(m, "switchboard_cache_misses_total");
                        share = hits + misses == 0 ? 0 : 100.0 * hits / (hits + misses);
                    }
                    Result.row(rows, system, c, w.count(), ops, w.errors(), w.ms(50), w.ms(99), share);
                    if (ops > best.getOrDefault(system, 0.0)) {
                        best.put(system, ops);
                        if (system.equals("cache on")) {
                            avoided = share;
                        }
                    }
                }
            }
        }
        double on = best.getOrDefault("cache on", Double.NaN);
        if (best.containsKey("happn")) {
            r.headline("hot gets/s with the cache / happn-3", on / best.get("happn"), "x", 3.0, true);
        }
        r.headline("hot gets/s with the cache / without", on / best.getOrDefault("cache off", Double.NaN), "x", Double.NaN, true);
        r.headline("hot gets/s with the cache (best)", on, "/s", Double.NaN, true);
        r.headline("store reads avoided by the cache at the best step", avoided, "%", Double.NaN, true);
        r.note("store reads avoided = switchboard_cache_hits_total / (hits + misses) scraped from /metrics after the step,"
                + " including the seeding writes' first reads");
    }

    private static void fanout(Ctx ctx, Result r) throws Exception {
        int level = 1000;
        List<Integer> offered = ctx.small() ? List.of(50_000, 100_000) : List.of(100_000, 200_000, 400_000, 800_000);
        int stepSec = ctx.scale(7, 4);
        ArrayNode rows = r.table("Fan-out with and without a read rule", "system", "subscribers", "offered/s", "publishes/s",
                "published", "delivered", "delivered %", "deliveries/s", "p50 ms", "p99 ms", "p99.9 ms", "max ms", "closed");
        ObjectNode rateChart = r.chart("Fan-out with read rules: deliveries/s vs offered", "offered deliveries/s",
                "deliveries/s", "line");
        ObjectNode p99Chart = r.chart("Fan-out with read rules: p99 vs offered", "offered deliveries/s", "p99 ms", "line");
        String[][] configs = {{"no rule", null}, {"rule per subscription", FANOUT_CACHED_RULE},
            {"rule per delivery", FANOUT_EVENT_RULE}};
        double[] max = new double[configs.length];
        for (int i = 0; i < configs.length; i++) {
            Map<String, String> env = configs[i][1] == null ? Map.of() : Map.of("SWITCHBOARD_RULES", configs[i][1]);
            try (Peers.Running srv = Peers.switchboard(ctx, env)) {
                max[i] = FanoutScenario.measure(ctx, r, srv, configs[i][0], level, offered, stepSec, rows, rateChart,
                        p99Chart).maxAny();
            } catch (Exception e) {
                r.note(configs[i][0] + ": failed: " + e.getMessage());
            }
        }
        r.headline("fan-out deliveries/s with a per-subscription read rule / none", max[1] / max[0], "x", Double.NaN, true);
        r.headline("fan-out deliveries/s with a per-delivery read rule / none", max[2] / max[0], "x", Double.NaN, true);
        r.headline("fan-out max deliveries/s without a rule (" + level + " subscribers)", max[0], "/s", Double.NaN, true);
    }
}
