package io.switchboard.client;

import com.fasterxml.jackson.databind.JsonNode;
import io.switchboard.core.client.ClientSubscription;
import io.switchboard.core.error.ErrorCode;
import io.switchboard.core.error.SwitchboardException;
import io.switchboard.core.json.Json;
import io.switchboard.core.model.Event;

import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * Drives every part of the client against a server, from inside {@link RuntimeClasspathTest}'s
 * isolated class loader, which holds the client's runtime classpath and nothing else: so it uses
 * no test library, and only JDK types cross the loader's boundary (an int in, a String out).
 */
public final class RuntimeClasspathProbe {
    private RuntimeClasspathProbe() {
    }

    /** Returns the steps it went through; throws {@link AssertionError} on a wrong answer. */
    public static String run(int port) throws Exception {
        StringBuilder steps = new StringBuilder();
        try (SwitchboardNetworkClient client = SwitchboardNetworkClient.builder().address("127.0.0.1", port)
                .credentials("nobody", "unused").requestTimeout(Duration.ofSeconds(20)).build().connect()) {
            BlockingSwitchboardClient b = new BlockingSwitchboardClient(client);
            steps.append("connect ");

            b.set("/probe/doc", Json.object().put("n", 1));
            b.merge("/probe/doc", Json.object().put("m", 2));
            check(b.get("/probe/doc").data().path("m").asInt() == 2, "get after merge");
            check(b.count("/probe/*", null) == 1, "count");
            check(b.query("/probe/*", null).items().size() == 1, "query");
            steps.append("documents ");

            try {
                b.get("/probe/missing");
                throw new AssertionError("get of a missing document succeeded");
            } catch (SwitchboardException e) {
                check(e instanceof ServerError && e.code() == ErrorCode.NOT_FOUND, "error reply: " + e);
            }
            steps.append("errors ");

            BlockingQueue<Event> got = new LinkedBlockingQueue<>();
            ClientSubscription sub = b.subscribe("/probe/live/*", null, got::add);
            b.publish("/probe/live/x", Json.object().put("i", 1));
            check(next(got).data().path("i").asInt() == 1, "first push");
            // An acknowledged publish completes only once the listener's ack reached the server.
            JsonNode acked = b.request("publish", Json.object().put("path", "/probe/live/acked")
                    .put("consistency", "acknowledged").put("ackTimeout", 20_000));
            check(acked.path("acknowledged").asInt() == 1, "ack: " + acked);
            check(next(got).path().equals("/probe/live/acked"), "acked push");
            steps.append("pushes ");

            JsonNode before = client.session();
            client.abortConnection();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
            while (!(client.isConnected() && client.session() != before)) {
                check(System.nanoTime() < deadline, "no new session within 20 s");
                Thread.sleep(10);
            }
            b.publish("/probe/live/x", Json.object().put("i", 2));
            check(next(got).data().path("i").asInt() == 2, "push after the resubscribe");
            steps.append("reconnect ");

            check(b.history("/probe/live/*", Json.object().put("since", 0)).path("events").size() == 3, "history");
            b.unsubscribe(sub);
            check(b.remove("/probe/**") >= 1, "remove");
            steps.append("close");
        }
        return steps.toString();
    }

    private static Event next(BlockingQueue<Event> got) throws InterruptedException {
        Event e = got.poll(20, TimeUnit.SECONDS);
        check(e != null, "no push within 20 s");
        return e;
    }

    private static void check(boolean ok, String what) {
        if (!ok) {
            throw new AssertionError(what);
        }
    }
}
