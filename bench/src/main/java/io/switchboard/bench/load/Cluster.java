package io.switchboard.bench.load;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Three Switchboard nodes as child processes sharing one fresh PostgreSQL schema and a bus
 * (Redis or NATS) on a channel of their own, for the cluster scenario. Closing stops the nodes
 * and drops the schema (through {@code psql}, so the bench needs no JDBC driver).
 */
final class Cluster implements AutoCloseable {
    static final int NODES = 3;
    final List<ServerProc> nodes = new ArrayList<>();
    final String bus;
    private final String schema;

    private Cluster(String bus, String schema) {
        this.bus = bus;
        this.schema = schema;
    }

    static Cluster start(Ctx ctx, String bus) throws IOException, InterruptedException {
        String schema = "sbbench_" + bus + "_" + ctx.stamp().toLowerCase();
        Cluster c = new Cluster(bus, schema);
        try {
            for (int i = 1; i <= NODES; i++) {
                c.nodes.add(ServerProc.switchboard(ctx, false, List.of(), Map.of(
                        "SWITCHBOARD_STORE_TYPE", "postgres",
                        "SWITCHBOARD_STORE_POSTGRES_URL", Peers.postgresUrl(),
                        "SWITCHBOARD_STORE_POSTGRES_SCHEMA", schema,
                        "SWITCHBOARD_BUS_TYPE", bus,
                        "SWITCHBOARD_BUS_CHANNEL", schema,
                        "SWITCHBOARD_CLUSTER_NODE_ID", "bench-" + bus + "-n" + i)));
            }
        } catch (IOException | InterruptedException | RuntimeException e) {
            c.close();
            throw e;
        }
        return c;
    }

    ServerProc node(int i) {
        return nodes.get(i);
    }

    @Override
    public void close() {
        nodes.forEach(ServerProc::close);
        try {
            Process p = new ProcessBuilder("psql", Peers.postgresUrl().substring("jdbc:".length()), "-U", "postgres", "-q", "-c",
                    "DROP SCHEMA IF EXISTS " + schema + " CASCADE").redirectErrorStream(true).start();
            p.getInputStream().readAllBytes();
            p.waitFor(30, TimeUnit.SECONDS);
        } catch (IOException e) {
            System.err.println("could not drop bench schema " + schema + ": " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
