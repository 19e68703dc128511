package io.switchboard.bench.load;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

/**
 * A load-generating process. Started by the coordinator with a JSON config; reads commands on
 * stdin ({@code add N}, {@code step NAME}, {@code rate R}, {@code peek}, {@code end}, {@code quit}) and writes
 * one JSON object per line on stdout (logs go to stderr). Exits by itself after {@code maxSeconds}
 * so that no run is unbounded.
 */
public final class Worker {
    private Worker() {
    }

    public static void main(String[] args) throws Exception {
        JsonNode cfg = Jsons.M.readTree(args[0]);
        PrintStream out = new PrintStream(new java.io.FileOutputStream(java.io.FileDescriptor.out), true, StandardCharsets.UTF_8);
        System.setOut(System.err);
        int maxSeconds = cfg.path("maxSeconds").asInt(900);
        Thread deadline = new Thread(() -> {
            try {
                Thread.sleep(maxSeconds * 1000L);
                System.err.println("worker: maxSeconds reached, exiting");
                Runtime.getRuntime().halt(3);
            } catch (InterruptedException ignored) {
                // quit
            }
        }, "deadline");
        deadline.setDaemon(true);
        deadline.start();

        Net net = new Net(cfg.path("threads").asInt(1));
        Metrics metrics = new Metrics();
        Target target = Target.of(cfg);
        Role role = switch (cfg.path("role").asText()) {
            case "sub" -> new SubscriberRole(net, target, metrics);
            case "pub" -> new PublishRole(net, target, metrics, cfg.path("path").asText("/fan/room"),
                    cfg.path("subscribe").asBoolean(false), cfg.path("maxInFlight").asInt(20_000));
            case "load" -> new RequestLoadRole(net, target, metrics, cfg.path("op").asText("set"),
                    cfg.path("window").asInt(64), cfg.path("keys").asInt(100), cfg.path("padBytes").asInt(64));
            case "churn" -> new ChurnRole(net, target, metrics, cfg.path("concurrency").asInt(64));
            default -> throw new IllegalArgumentException("role " + cfg.path("role"));
        };
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        String stepName = "";
        emit(out, Jsons.object().put("event", "started").put("pid", ProcessHandle.current().pid()));
        for (String line; (line = in.readLine()) != null; ) {
            String[] w = line.trim().split("\\s+", 2);
            switch (w[0]) {
                case "add" -> {
                    int[] r = role.add(Integer.parseInt(w[1]));
                    emit(out, Jsons.object().put("event", "ready").put("ready", r[0]).put("failed", r[1])
                            .put("open", role.open()));
                }
                case "step" -> {
                    stepName = w.length > 1 ? w[1] : "";
                    metrics.startWindow();
                    emit(out, Jsons.object().put("event", "stepped").put("name", stepName));
                }
                case "rate" -> {
                    role.rate(Double.parseDouble(w[1]));
                    emit(out, Jsons.object().put("event", "rated").put("rate", Double.parseDouble(w[1])));
                }
                case "peek" -> emit(out, Jsons.object().put("event", "peek").put("count", metrics.count.sum()));
                case "end" -> {
                    ObjectNode win = metrics.endWindow(stepName);
                    win.put("open", role.open());
                    emit(out, win);
                }
                case "quit" -> {
                    role.quit();
                    emit(out, Jsons.object().put("event", "done"));
                    net.close();
                    System.exit(0);
                }
                default -> System.err.println("worker: unknown command " + line);
            }
        }
        role.quit();
        System.exit(0);
    }

    private static synchronized void emit(PrintStream out, ObjectNode o) {
        out.println(o.toString());
    }
}
