package io.switchboard.bench.load;

import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.util.List;

/**
 * Starts the system under test by name: Switchboard, nats-server from the machine (own instance
 * on a free port), or a Node peer (happn-3, deepstream, socket.io) from bench/peers. Workers for
 * Switchboard and NATS are Java; the Node peers are driven by bench/peers/driver.js.
 */
public final class Peers {
    public static final String NATS_SERVER = "/usr/sbin/nats-server";

    /** Switchboard on {@code store.type: postgres} (the database in SB_BENCH_POSTGRES_URL). */
    public static final String POSTGRES = "switchboard-postgres";
    private static final String POSTGRES_URL = System.getenv().getOrDefault("SB_BENCH_POSTGRES_URL",
            "jdbc:postgresql://127.0.0.1:5432/test");

    private Peers() {
    }

    /** The JDBC URL of the bench's PostgreSQL. */
    static String postgresUrl() {
        return POSTGRES_URL;
    }

    /** True when PostgreSQL answers at the bench's URL host and port. */
    public static boolean postgresReachable() {
        java.net.URI u = java.net.URI.create(POSTGRES_URL.substring("jdbc:".length()));
        try (java.net.Socket s = new java.net.Socket()) {
            s.connect(new java.net.InetSocketAddress(u.getHost(), u.getPort() < 0 ? 5432 : u.getPort()), 1000);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private static java.util.Map<String, String> postgresEnv() {
        return java.util.Map.of("SWITCHBOARD_STORE_TYPE", "postgres", "SWITCHBOARD_STORE_POSTGRES_URL", POSTGRES_URL,
                "SWITCHBOARD_STORE_POSTGRES_SCHEMA", "switchboard_bench");
    }

    public static Running start(Ctx ctx, String system) throws IOException, InterruptedException {
        return switch (system) {
            case "switchboard" -> new Running(system, ServerProc.switchboard(ctx, false, List.of()), null);
            case POSTGRES -> new Running(system, ServerProc.switchboard(ctx, false, List.of(), postgresEnv()), null);
            case "nats" -> new Running(system, ServerProc.command(ctx, "nats",
                    List.of(NATS_SERVER, "-a", "127.0.0.1", "-p", "{port}")), null);
            case "happn", "deepstream", "socketio" -> new Running(system, ServerProc.command(ctx, system,
                    List.of("node", ctx.peersDir() + "/server.js", system, "{port}")), null);
            default -> throw new IllegalArgumentException("unknown system " + system);
        };
    }

    /** Switchboard (insecure, SQLite) with extra environment: settings a scenario compares, e.g. rules on and off. */
    public static Running switchboard(Ctx ctx, java.util.Map<String, String> env) throws IOException, InterruptedException {
        return new Running("switchboard", ServerProc.switchboard(ctx, false, List.of(), env), null);
    }

    /** A started system and how to make workers for it. */
    public record Running(String system, ServerProc server, String token) implements AutoCloseable {
        public WorkerProc worker(Ctx ctx, String role, ObjectNode extra) throws IOException {
            ObjectNode cfg = Jsons.object().put("role", role).put("host", "127.0.0.1").put("port", server.port)
                    .put("maxSeconds", 1200);
            cfg.setAll(extra);
            if (token != null) {
                cfg.put("token", token);
            }
            switch (system) {
                case "switchboard", POSTGRES -> {
                    if (!cfg.has("transport")) {
                        cfg.put("transport", "ws");
                    }
                    return WorkerProc.java(ctx, cfg);
                }
                case "nats" -> {
                    cfg.put("transport", "nats");
                    return WorkerProc.java(ctx, cfg);
                }
                default -> {
                    cfg.put("peer", system);
                    return WorkerProc.node(ctx, cfg);
                }
            }
        }

        @Override
        public void close() {
            server.close();
        }
    }
}
