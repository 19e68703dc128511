package io.switchboard.server.transport.sse;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.handler.codec.http.DefaultHttpContent;
import io.netty.handler.codec.http.LastHttpContent;
import io.switchboard.core.error.SwitchboardException;
import io.switchboard.core.json.Json;
import io.switchboard.core.model.Event;
import io.switchboard.core.session.Session;
import io.switchboard.core.session.SessionSink;
import io.switchboard.server.transport.Connection;
import io.switchboard.server.transport.ConnectionRegistry;
import io.switchboard.server.transport.ErrorJson;
import io.switchboard.server.transport.OutboundQueue;

import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * One Server-Sent Events stream (SPEC section 5): pushes become {@code id: <offset>},
 * {@code event: <type>}, {@code data: <event JSON>} records written as HTTP chunks through the
 * same batching, bounded queue as WebSockets. Keepalive comments come from the shared sweep.
 */
public final class SseConnection extends OutboundQueue implements SessionSink, Connection {
    private static final byte[] RECORD_END = {'\n', '\n'};
    private static final byte[] KEEPALIVE = ": keepalive\n\n".getBytes(StandardCharsets.US_ASCII);

    private final ConnectionRegistry registry;
    private final long keepaliveMs;
    private final AtomicBoolean closing = new AtomicBoolean();
    /** Set once {"sys":"disconnect"} was queued, so a close that follows does not send a second one. */
    private final AtomicBoolean disconnectSent = new AtomicBoolean();
    private volatile Session session;
    private volatile long lastKeepalive = System.currentTimeMillis();

    public SseConnection(Channel channel, long maxOutboundBytes, long keepaliveMs, ConnectionRegistry registry) {
        super(channel, maxOutboundBytes, null);
        this.registry = registry;
        this.keepaliveMs = keepaliveMs;
    }

    void session(Session s) { this.session = s; }

    Session session() { return session; }

    @Override
    public boolean push(String subId, Event event, boolean mergeOnly, boolean needsAck) {
        byte[] head = ("id: " + event.offset() + "\nevent: " + event.type().wire() + "\ndata: ")
                .getBytes(StandardCharsets.UTF_8);
        return offer(OutboundQueue.concat(head, event.jsonBytes(mergeOnly), RECORD_END));
    }

    /** SSE streams are driven by URL parameters, not requests: replies never come here. */
    @Override
    public void reply(long requestId, JsonNode result) {
    }

    @Override
    public void error(long requestId, SwitchboardException error) {
        ObjectNode o = Json.object();
        o.set("error", ErrorJson.of(error));
        record("error", o);
    }

    @Override
    public void system(ObjectNode message) {
        if ("disconnect".equals(message.path("sys").asText()) && disconnectSent.getAndSet(true)) {
            return;
        }
        record("sys", message);
    }

    private void record(String type, ObjectNode body) {
        offer(Unpooled.wrappedBuffer(("event: " + type + "\ndata: " + Json.write(body) + "\n\n")
                .getBytes(StandardCharsets.UTF_8)));
    }

    @Override
    public void close(String reason) {
        if (!closing.compareAndSet(false, true)) {
            return;
        }
        if (!disconnectSent.getAndSet(true)) {
            record("sys", Json.object().put("sys", "disconnect").put("reason", reason));
        }
        channel.eventLoop().execute(() -> channel.writeAndFlush(LastHttpContent.EMPTY_LAST_CONTENT)
                .addListener(ChannelFutureListener.CLOSE));
    }

    @Override
    protected void onOverflow() {
        registry.countSlowConsumer();
        closing.set(true);
        channel.eventLoop().execute(channel::close);
    }

    @Override
    protected Object frame(ByteBuf joined) {
        return new DefaultHttpContent(joined);
    }

    @Override
    public void sweep(long now) {
        if (!closing.get() && now - lastKeepalive >= keepaliveMs * 9 / 10) {
            lastKeepalive = now;
            offer(Unpooled.wrappedBuffer(KEEPALIVE));
        }
    }

    @Override
    public void shutdown() {
        close("shutdown");
    }

    @Override
    public boolean isClosed() {
        return !channel.isOpen();
    }
}
