package io.switchboard.server.compat.broker;

import io.switchboard.core.model.Event;
import io.switchboard.core.op.Credentials;
import io.switchboard.core.path.Pattern;
import io.switchboard.server.ServerContext;
import io.switchboard.server.http.HttpExchange;
import io.switchboard.server.transport.sse.SseStream;

import java.util.List;

/**
 * A broker event stream ({@code GET /sse}, generation 1's {@code GET /events}): authenticated
 * through the pipeline, first the latest event of each name the user may read (broker's "sync
 * on connect", or an {@code internal_status: connected} record when there is none), then every
 * new event live. The live subscription starts at the log head the sync read up to, so an event
 * committed in between is delivered once, after the sync. A {@code Last-Event-ID} (an
 * EventSource reconnecting) resumes after that offset instead, without a sync.
 */
final class BrokerStreams {
    private static final BrokerSseFormat FORMAT = new BrokerSseFormat();

    private BrokerStreams() {
    }

    /** The route of a stream on {@code pattern} (GET only), with the door's way to read credentials. */
    static io.switchboard.server.http.Route.Handler route(ServerContext sc,
                                                         java.util.function.Function<HttpExchange, Credentials> credentials,
                                                         String pattern) {
        Pattern p = Pattern.compile(pattern, "pattern");
        return x -> {
            try {
                if (!x.method().equals(io.netty.handler.codec.http.HttpMethod.GET)) {
                    throw BrokerHttp.notFound(x);
                }
                open(x, sc, credentials.apply(x), p);
            } catch (RuntimeException e) {
                x.respond(java.util.concurrent.CompletableFuture.completedFuture(BrokerHttp.error(e)));
            }
        };
    }

    static void open(HttpExchange x, ServerContext sc, Credentials credentials, Pattern pattern) {
        x.allowQuery();
        Long resume = lastEventId(x);
        if (resume != null) {
            // A reconnecting EventSource: exactly the events after the last one it saw, no sync.
            SseStream.open(x, sc, FORMAT, credentials, (session, conn) -> sc.pipeline().call(session, BrokerEvents.live(pattern, resume)));
            return;
        }
        SseStream.open(x, sc, FORMAT, credentials, (session, conn) ->
                BrokerEvents.scan(sc.pipeline(), session, pattern).thenCompose(scan -> {
                    List<Event> latest = scan.latestPerName();
                    if (latest.isEmpty()) {
                        conn.offer(BrokerSseFormat.frame(BrokerSseFormat.STATUS, "connected", -1));
                    }
                    for (Event e : latest) {
                        conn.offer(BrokerSseFormat.event(e));
                    }
                    return sc.pipeline().call(session, BrokerEvents.live(pattern, scan.head()));
                }));
    }

    private static Long lastEventId(HttpExchange x) {
        String v = x.request().headers().get("Last-Event-ID");
        if (v == null || v.isBlank()) {
            return null;
        }
        try {
            long n = Long.parseLong(v.trim());
            if (n >= 0) {
                return n;
            }
        } catch (NumberFormatException ignored) {
            // fall through
        }
        throw io.switchboard.core.error.SwitchboardException.badRequest("Last-Event-ID", "must be an event offset (integer)");
    }
}
