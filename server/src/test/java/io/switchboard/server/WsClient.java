package io.switchboard.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.switchboard.core.json.Json;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A raw WebSocket client on the JDK's HttpClient, so tests see the wire format exactly: every
 * text frame is kept as received and split on '\n' into messages.
 */
final class WsClient implements WebSocket.Listener, AutoCloseable {
    final List<String> frames = new CopyOnWriteArrayList<>();
    final BlockingQueue<JsonNode> messages = new LinkedBlockingQueue<>();
    final AtomicInteger pings = new AtomicInteger();
    final CompletableFuture<Integer> closeCode = new CompletableFuture<>();
    volatile String closeReason;
    private final StringBuilder partial = new StringBuilder();
    private final AtomicLong ids = new AtomicLong(100);
    final WebSocket ws;

    private WsClient(int port) {
        this(HttpClient.newHttpClient(), URI.create("ws://127.0.0.1:" + port + "/ws"));
    }

    private WsClient(HttpClient http, URI uri) {
        this.ws = http.newWebSocketBuilder().connectTimeout(Duration.ofSeconds(5)).buildAsync(uri, this).join();
    }

    static WsClient open(int port) {
        return new WsClient(port);
    }

    /** On {@code http}'s settings (e.g. an SSLContext for {@code wss://}) at {@code uri}. */
    static WsClient open(HttpClient http, URI uri) {
        return new WsClient(http, uri);
    }

    /** Opens and sends connect; returns the connect result. */
    static WsClient connected(int port) {
        WsClient c = new WsClient(port);
        JsonNode r = c.request(Json.object().put("op", "connect"));
        if (!r.path("ok").asBoolean()) {
            throw new AssertionError("connect failed: " + r);
        }
        return c;
    }

    @Override
    public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
        partial.append(data);
        if (last) {
            String frame = partial.toString();
            partial.setLength(0);
            frames.add(frame);
            for (String line : frame.split("\n")) {
                try {
                    messages.add(Json.parse(line));
                } catch (Exception e) {
                    messages.add(Json.object().put("unparsable", line));
                }
            }
        }
        webSocket.request(1);
        return null;
    }

    @Override
    public CompletionStage<?> onPing(WebSocket webSocket, ByteBuffer message) {
        pings.incrementAndGet();
        webSocket.request(1);
        return null; // the JDK answers with a pong itself
    }

    @Override
    public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
        closeReason = reason;
        closeCode.complete(statusCode);
        return null;
    }

    @Override
    public void onError(WebSocket webSocket, Throwable error) {
        closeCode.complete(-1);
    }

    void sendText(String text) {
        ws.sendText(text, true).join();
    }

    /** Sends {@code msg} with a fresh id and returns the reply with that id. */
    JsonNode request(ObjectNode msg) {
        long id = ids.incrementAndGet();
        msg.put("id", id);
        sendText(Json.write(msg));
        return awaitReply(id);
    }

    /** The result of a successful request (fails the test on an error reply). */
    JsonNode ok(ObjectNode msg) {
        JsonNode r = request(msg);
        if (!r.path("ok").asBoolean()) {
            throw new AssertionError("expected ok for " + msg + " but got " + r);
        }
        return r.get("result");
    }

    JsonNode awaitReply(long id) {
        return next(m -> m.has("id") && m.get("id").asLong() == id, "reply " + id);
    }

    JsonNode nextPush() {
        return next(m -> m.has("sub") && m.has("event"), "push");
    }

    /** Removes and returns the first message (oldest first) matching {@code p}, waiting up to 10 s. */
    JsonNode next(java.util.function.Predicate<JsonNode> p, String what) {
        long deadline = System.currentTimeMillis() + 10_000;
        synchronized (inbox) {
            while (true) {
                messages.drainTo(inbox);
                for (java.util.Iterator<JsonNode> it = inbox.iterator(); it.hasNext(); ) {
                    JsonNode m = it.next();
                    if (p.test(m)) {
                        it.remove();
                        return m;
                    }
                }
                long left = deadline - System.currentTimeMillis();
                if (left <= 0) {
                    throw new AssertionError("no " + what + " within 10 s; got " + inbox);
                }
                try {
                    JsonNode m = messages.poll(Math.min(left, 100), TimeUnit.MILLISECONDS);
                    if (m != null) {
                        inbox.add(m);
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new AssertionError(e);
                }
            }
        }
    }

    /** Messages received but not yet taken by {@link #next}, oldest first. */
    private final java.util.List<JsonNode> inbox = new java.util.ArrayList<>();

    void clearInbox() {
        synchronized (inbox) {
            messages.drainTo(inbox);
            inbox.clear();
        }
    }

    static ObjectNode op(String op) {
        return Json.object().put("op", op);
    }

    @Override
    public void close() {
        if (!ws.isOutputClosed()) {
            ws.sendClose(WebSocket.NORMAL_CLOSURE, "bye");
        }
        ws.abort();
    }
}
