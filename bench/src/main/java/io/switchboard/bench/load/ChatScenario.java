package io.switchboard.bench.load;

import com.fasterxml.jackson.databind.node.ArrayNode;

/**
 * Chat rooms: connections in channels of 10; each subscribes to its channel and publishes to it at
 * a modest rate, so every publish is delivered to the 10 members (the sender included).
 */
public final class ChatScenario implements Scenario {
    @Override
    public String name() {
        return "chat";
    }

    @Override
    public Result run(Ctx ctx) throws Exception {
        Result r = new Result(name(), ctx);
        int conns = ctx.scale(10_000, 1000);
        int group = 10;
        double perConn = 0.2;
        int seconds = ctx.scale(30, 10);
        r.params().put("connections", conns).put("channel_size", group).put("channels", conns / group)
                .put("publishes_per_connection_per_s", perConn).put("seconds", seconds);
        try (Peers.Running srv = Peers.start(ctx, "switchboard"); Workers ws = new Workers()) {
            int nw = Ctx.workersFor(conns);
            for (int w = 0; w < nw; w++) {
                ws.add(srv.worker(ctx, "pub", Jsons.object().put("subscribe", true).put("pattern", "/chat/c{g:10}/*")
                        .put("path", "/chat/c{g:10}/m").put("base", w * Ctx.PER_WORKER)));
            }
            int ready = ws.addConnections(conns, 600);
            ws.step("chat");
            ws.sendAll("rate " + (perConn * ready / nw));
            Thread.sleep(seconds * 1000L);
            ws.sendAll("rate 0");
            ws.drain(1000, 20);
            Window w = ws.end();
            ArrayNode rows = r.table("Chat", "connections", "publishes", "publishes/s", "publish errors", "deliveries",
                    "expected", "deliveries/s", "p50 ms", "p99 ms", "p99.9 ms", "closed");
            long expected = w.sent() * group;
            Result.row(rows, ready, w.sent(), w.sent() / (double) seconds, w.errors(), w.count(), expected,
                    w.count() / (double) seconds, w.ms(50), w.ms(99), w.ms(99.9), w.closed());
            r.headline("chat p99 publish→delivery", w.ms(99), "ms", 50, false);
        }
        return r;
    }
}
