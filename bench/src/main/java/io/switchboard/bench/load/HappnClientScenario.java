package io.switchboard.bench.load;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The stock happn-3 client (bench/peers/happn-client-bench.js) against a real happn-3 server and
 * against Switchboard's happn door, one after the other in one run, both secure with the same
 * {@code _ADMIN} login: sequential and pipelined sets/s and gets/s, and events/s to 100 {@code on}
 * subscribers. Each server gets a whole warm-up pass first (a cold JVM measured 3x slower
 * sequential gets than a warm one). happn-3 keeps its data in memory; Switchboard commits every
 * set to SQLite first, so a sequential set waits for its commit.
 */
public final class HappnClientScenario implements Scenario {
    private static final String PASSWORD = "happn-bench-pw";
    private static final String[] METRICS = {"sequentialSets", "pipelinedSets", "sequentialGets", "pipelinedGets",
        "eventsDeliveredPerSec"};

    @Override
    public String name() {
        return "happn";
    }

    @Override
    public Result run(Ctx ctx) throws Exception {
        Result r = new Result(name(), ctx);
        if (!ctx.peersInstalled()) {
            r.note("bench/peers/node_modules is missing (npm ci there, or run without --no-peers): nothing measured");
            return r;
        }
        int n = ctx.scale(2000, 500);
        int subs = 100;
        int events = ctx.scale(200, 50);
        r.params().put("passes", "one warm-up pass, then the measured one, per server").put("requests_per_step", n).put("subscribers", subs).put("events", events)
                .put("client", "happn-3 13.12.1 (bench/peers)");
        Map<String, JsonNode> by = new LinkedHashMap<>();
        try (ServerProc happn = ServerProc.command(ctx, "happn", List.of("node", ctx.peersDir() + "/server.js",
                "happn-secure", "{port}", PASSWORD))) {
            drive(ctx, happn.port, "happn-3", n, subs, events); // warm-up pass, every server alike (JIT)
            by.put("happn-3", drive(ctx, happn.port, "happn-3", n, subs, events));
        }
        try (ServerProc sb = ServerProc.switchboard(ctx, true, List.of(), Map.of("SWITCHBOARD_COMPAT_HAPPN_ENABLED", "true",
                "SWITCHBOARD_AUTH_ADMIN_PASSWORD", PASSWORD))) {
            drive(ctx, sb.port, "switchboard", n, subs, events);
            by.put("switchboard", drive(ctx, sb.port, "switchboard", n, subs, events));
        }
        ArrayNode rows = r.table("happn-3 client: happn-3 server vs Switchboard", "figure", "happn-3", "switchboard",
                "Switchboard/happn-3");
        JsonNode h = by.get("happn-3");
        JsonNode s = by.get("switchboard");
        for (String m : METRICS) {
            double hv = h.path(m).asDouble(Double.NaN);
            double sv = s.path(m).asDouble(Double.NaN);
            Result.row(rows, m, hv, sv, sv / hv);
            r.headline("happn client " + m + " Switchboard/happn-3", sv / hv, "x", Double.NaN, true);
        }
        return r;
    }

    /** Runs the client script against {@code port}; its one JSON line of figures. */
    private static JsonNode drive(Ctx ctx, int port, String label, int n, int subs, int events) throws Exception {
        Path out = Files.createTempFile("happn-bench", ".jsonl");
        File log = ctx.log("happn-client-" + label);
        ProcessBuilder pb = new ProcessBuilder("node", ctx.peersDir() + "/happn-client-bench.js", Integer.toString(port),
                PASSWORD, label, out.toString()).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(log));
        pb.environment().put("BENCH_N", Integer.toString(n));
        pb.environment().put("BENCH_SUBS", Integer.toString(subs));
        pb.environment().put("BENCH_EVENTS", Integer.toString(events));
        Process p = pb.start();
        if (!p.waitFor(600, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new IllegalStateException("the happn client bench against " + label + " did not finish in 600 s (see "
                    + log + ")");
        }
        List<String> lines = Files.readAllLines(out, StandardCharsets.UTF_8);
        Files.deleteIfExists(out);
        if (p.exitValue() != 0 || lines.isEmpty()) {
            throw new IllegalStateException("the happn client bench against " + label + " failed (exit " + p.exitValue()
                    + ", see " + log + ")");
        }
        return Jsons.M.readTree(lines.get(lines.size() - 1));
    }
}
