package io.switchboard.bench.load;

import java.nio.file.Path;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;

/**
 * Coordinator: {@code LoadBench <idle|fanout|chat|writes|reads|churn|attacks|streams|cluster|gateway|happn|all|summary> [--small] [--no-peers]
 * [--out DIR] [--server-jar JAR] [--peers-dir DIR]}. Starts the servers under test and the worker
 * JVMs, writes each result as JSON + Markdown + PNG, then refreshes SUMMARY.md.
 */
public final class LoadBench {
    private LoadBench() {
    }

    public static void main(String[] args) throws Exception {
        System.setProperty("java.awt.headless", "true");
        String what = args.length > 0 ? args[0] : "all";
        boolean small = false;
        boolean peers = true;
        Path out = Path.of("bench/results");
        String serverJar = "server/target/switchboard.jar";
        String peersDir = "bench/peers";
        for (int i = 1; i < args.length; i++) {
            switch (args[i]) {
                case "--small" -> small = true;
                case "--no-peers" -> peers = false;
                case "--out" -> out = Path.of(args[++i]);
                case "--server-jar" -> serverJar = args[++i];
                case "--peers-dir" -> peersDir = args[++i];
                default -> throw new IllegalArgumentException("unknown option " + args[i]);
            }
        }
        String javaBin = ProcessHandle.current().info().command().orElse("java");
        String benchJar = Path.of(LoadBench.class.getProtectionDomain().getCodeSource().getLocation().toURI()).toString();
        String stamp = ZonedDateTime.now(ZoneOffset.UTC).format(DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'"));
        String serverOpts = System.getenv().getOrDefault("SB_SERVER_JVM_OPTS", "-Xms512m -Xmx4g -XX:+UseG1GC");
        Ctx ctx = new Ctx(javaBin, benchJar, Path.of(serverJar).toAbsolutePath().toString(), out, stamp, small, peers,
                Path.of(peersDir).toAbsolutePath().toString(), serverOpts);
        List<Scenario> run = new ArrayList<>();
        for (Scenario s : all()) {
            if (what.equals("all") || what.equals(s.name())) {
                run.add(s);
            }
        }
        if (run.isEmpty() && !what.equals("summary")) {
            System.err.println("unknown scenario " + what + " (idle fanout chat writes reads churn attacks streams cluster gateway happn all summary)");
            System.exit(2);
        }
        int failed = 0;
        for (Scenario s : run) {
            System.err.println("=== " + s.name() + (small ? " (small)" : ""));
            try {
                Result r = s.run(ctx);
                Path md = Report.write(ctx, r);
                System.out.println(java.nio.file.Files.readString(md));
            } catch (Exception e) {
                failed++;
                System.err.println(s.name() + " failed: " + e);
                e.printStackTrace();
            }
        }
        Summary.write(out);
        System.exit(failed == 0 ? 0 : 1);
    }

    static List<Scenario> all() {
        return List.of(new IdleScenario(), new FanoutScenario(), new ChatScenario(), new RequestScenario("set"),
                new RequestScenario("get"), new ChurnScenario(), new AttackScenario(),
                new StreamsScenario(), new ClusterScenario(), new GatewayScenario(), new HappnClientScenario());
    }
}
