package io.switchboard.core.client;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.switchboard.core.pipeline.Pipeline;
import io.switchboard.core.error.SwitchboardException;
import io.switchboard.core.json.Json;
import io.switchboard.core.model.Event;
import io.switchboard.core.result.DisconnectReason;
import io.switchboard.core.result.Notice;
import io.switchboard.core.result.Result;
import io.switchboard.core.router.Subscription;
import io.switchboard.core.wire.NativeEncoder;
import io.switchboard.core.session.Session;
import io.switchboard.core.session.SessionSink;

import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

/**
 * A client inside the server's JVM: no network, same pipeline (so the same security), same
 * interface as the network client. Its session is stateful, so it can subscribe. Listeners run
 * one at a time in offset order on a shared pool, never on the engine's threads.
 */
public final class InProcessClient implements SwitchboardClient {
    private final Pipeline pipeline;
    private final Session session;
    private final AtomicLong ids = new AtomicLong();
    private final Map<Long, CompletableFuture<JsonNode>> pending = new ConcurrentHashMap<>();
    private final Map<String, LocalSubscription> subscriptions = new ConcurrentHashMap<>();
    private volatile Consumer<ObjectNode> systemListener = m -> { };
    private final SerialExecutor listeners = new SerialExecutor(LISTENER_POOL);

    /** Shared by all in-process clients; daemon threads so an embedding app can exit. */
    private static final java.util.concurrent.ExecutorService LISTENER_POOL =
            java.util.concurrent.Executors.newCachedThreadPool(r -> {
                Thread t = new Thread(r, "sb-inprocess-listener");
                t.setDaemon(true);
                return t;
            });

    private InProcessClient(Pipeline pipeline) {
        this.pipeline = pipeline;
        this.session = pipeline.openStateful(new Sink(), "in-process", 0);
    }

    /** Opens a client and connects it without credentials (insecure mode). */
    public static InProcessClient connect(Pipeline pipeline) {
        return connect(pipeline, Json.object());
    }

    /**
     * Opens a client and connects it with {@code credentials}, the fields of the wire
     * {@code connect} ({@code username} and {@code password}, or {@code token}): with security
     * on it acts as that user, held to the same permissions as over the network.
     *
     * @throws io.switchboard.core.error.SwitchboardException UNAUTHENTICATED for bad credentials
     */
    public static InProcessClient connect(Pipeline pipeline, ObjectNode credentials) {
        InProcessClient c = new InProcessClient(pipeline);
        try {
            c.request("connect", credentials.deepCopy()).join();
        } catch (java.util.concurrent.CompletionException e) {
            c.close();
            throw io.switchboard.core.error.SwitchboardException.of(e);
        }
        return c;
    }

    public Session session() {
        return session;
    }

    /** Receives system messages ({@code published} notices, disconnects). */
    public void onSystem(Consumer<ObjectNode> listener) {
        this.systemListener = listener;
    }

    @Override
    public CompletableFuture<JsonNode> request(String op, ObjectNode fields) {
        long id = ids.incrementAndGet();
        ObjectNode msg = fields == null ? Json.object() : fields.deepCopy();
        msg.put("id", id);
        msg.put("op", op);
        CompletableFuture<JsonNode> f = new CompletableFuture<>();
        pending.put(id, f);
        pipeline.handle(session, msg);
        return f;
    }

    @Override
    public CompletableFuture<ClientSubscription> subscribe(String pattern, ObjectNode options, EventListener listener) {
        ObjectNode f = options == null ? Json.object() : options.deepCopy();
        f.put("pattern", pattern);
        long id = ids.incrementAndGet();
        f.put("id", id);
        f.put("op", "subscribe");
        CompletableFuture<JsonNode> reply = new CompletableFuture<>();
        // The listener must be known before the first push, which follows the reply at once.
        LocalSubscription[] holder = new LocalSubscription[1];
        pending.put(id, new CompletableFuture<>() {
            @Override
            public boolean complete(JsonNode r) {
                LocalSubscription s = new LocalSubscription(r.path("sub").asText(), pattern, r, listener);
                subscriptions.put(s.id, s);
                holder[0] = s;
                return reply.complete(r);
            }

            @Override
            public boolean completeExceptionally(Throwable ex) {
                return reply.completeExceptionally(ex);
            }
        });
        pipeline.handle(session, f);
        return reply.thenApply(r -> holder[0]);
    }

    @Override
    public void close() {
        pipeline.close(session);
        SwitchboardException closed = SwitchboardException.unavailable("client closed", null);
        pending.values().forEach(f -> f.completeExceptionally(closed));
        pending.clear();
    }

    private final class LocalSubscription implements ClientSubscription {
        final String id;
        final String pattern;
        final JsonNode reply;
        final EventListener listener;
        volatile long lastOffset;

        LocalSubscription(String id, String pattern, JsonNode reply, EventListener listener) {
            this.id = id;
            this.pattern = pattern;
            this.reply = reply;
            this.listener = listener;
            this.lastOffset = reply.path("offset").asLong();
        }

        @Override public String id() { return id; }
        @Override public String pattern() { return pattern; }
        @Override public long lastOffset() { return lastOffset; }
        @Override public JsonNode reply() { return reply; }

        @Override
        public CompletableFuture<Void> unsubscribe() {
            subscriptions.remove(id);
            return request("unsubscribe", Json.object().put("sub", id)).thenApply(r -> null);
        }
    }

    /** Routes the session's outbound messages to futures and listeners. */
    private final class Sink implements SessionSink {
        @Override
        public void reply(long requestId, Result result) {
            CompletableFuture<JsonNode> f = pending.remove(requestId);
            if (f != null) {
                f.complete(NativeEncoder.result(result));
            }
        }

        @Override
        public void error(long requestId, SwitchboardException error) {
            CompletableFuture<JsonNode> f = pending.remove(requestId);
            if (f != null) {
                f.completeExceptionally(error);
            }
        }

        @Override
        public boolean push(Subscription sub, Event event, boolean needsAck) {
            boolean mergeOnly = sub.mergeOnly();
            LocalSubscription s = subscriptions.get(sub.id());
            if (s == null) {
                return false;
            }
            Event delivered = mergeOnly && event.patch() != null
                    ? new Event(event.offset(), event.id(), event.type(), event.path(), event.patch(), null,
                    event.meta(), event.ts(), event.by())
                    : event;
            listeners.execute(() -> {
                s.lastOffset = event.offset();
                try {
                    s.listener.onEvent(delivered);
                } finally {
                    if (needsAck) {
                        request("ack", Json.object().put("offset", event.offset()));
                    }
                }
            });
            return true;
        }

        @Override
        public void notice(Notice notice) {
            ObjectNode message = NativeEncoder.notice(notice);
            listeners.execute(() -> systemListener.accept(message));
        }

        @Override
        public void close(DisconnectReason reason) {
            ObjectNode message = NativeEncoder.disconnect(reason);
            listeners.execute(() -> systemListener.accept(message));
        }
    }
}
