package io.switchboard.server.transport.ws;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.handler.codec.http.websocketx.PingWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.switchboard.core.error.SwitchboardException;
import io.switchboard.core.json.Json;
import io.switchboard.core.model.Event;
import io.switchboard.core.session.Session;
import io.switchboard.core.session.SessionSink;
import io.switchboard.server.transport.Connection;
import io.switchboard.server.transport.ConnectionRegistry;
import io.switchboard.server.transport.ErrorJson;
import io.switchboard.server.transport.OutboundQueue;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * One native-protocol WebSocket (SPEC section 4): the session's sink in that wire format, the
 * batching outbound queue, and the connection's heartbeat state (driven by the shared sweep).
 */
public final class WsConnection extends OutboundQueue implements SessionSink, Connection {
    private static final Logger LOG = LoggerFactory.getLogger(WsConnection.class);
    private static final byte[] NEWLINE = {'\n'};
    private static final byte[] END = {'}'};
    private static final byte[] ACK_END = ",\"ack\":true}".getBytes(StandardCharsets.UTF_8);

    private final ConnectionRegistry registry;
    private final long heartbeatMs;
    private final AtomicBoolean closing = new AtomicBoolean();
    /** Set once {"sys":"disconnect"} was queued, so a close that follows does not send a second one. */
    private final AtomicBoolean disconnectSent = new AtomicBoolean();
    private volatile Session session;
    private volatile long lastSeen;
    private volatile long lastPing;

    public WsConnection(Channel channel, long maxOutboundBytes, long heartbeatMs, ConnectionRegistry registry) {
        super(channel, maxOutboundBytes, NEWLINE);
        this.registry = registry;
        this.heartbeatMs = heartbeatMs;
        this.lastSeen = System.currentTimeMillis();
        this.lastPing = lastSeen;
    }

    void session(Session s) { this.session = s; }

    Session session() { return session; }

    /** Any inbound frame (message, pong, ping) proves the client is alive. */
    void seen() { lastSeen = System.currentTimeMillis(); }

    @Override
    public void reply(long requestId, JsonNode result) {
        ObjectNode o = Json.object().put("id", requestId).put("ok", true);
        o.set("result", result);
        send(o);
    }

    @Override
    public void error(long requestId, SwitchboardException error) {
        ObjectNode o = Json.object().put("id", requestId).put("ok", false);
        o.set("error", ErrorJson.of(error));
        send(o);
    }

    /**
     * The frame is {@code {"sub":"<id>","event":} + cached event bytes + {@code }}: the event's
     * bytes are shared by every subscriber, only the small prefix is built per push.
     */
    @Override
    public boolean push(String subId, Event event, boolean mergeOnly, boolean needsAck) {
        byte[] prefix = ("{\"sub\":" + Json.quote(subId) + ",\"event\":").getBytes(StandardCharsets.UTF_8);
        return offer(OutboundQueue.concat(prefix, event.jsonBytes(mergeOnly), needsAck ? ACK_END : END));
    }

    @Override
    public void system(ObjectNode message) {
        if ("disconnect".equals(message.path("sys").asText()) && disconnectSent.getAndSet(true)) {
            return;
        }
        send(message);
    }

    @Override
    public void close(String reason) {
        closeWith(1000, reason);
    }

    private void send(ObjectNode o) {
        offer(Unpooled.wrappedBuffer(Json.writeBytes(o)));
    }

    /** Sends {@code {"sys":"disconnect","reason":...}}, then a close frame, then closes. */
    void closeWith(int code, String reason) {
        if (!closing.compareAndSet(false, true)) {
            return;
        }
        if (!disconnectSent.getAndSet(true)) {
            send(Json.object().put("sys", "disconnect").put("reason", reason));
        }
        // Runs after the flush task the send above scheduled: the close frame follows the message.
        channel.eventLoop().execute(() -> channel.writeAndFlush(new CloseWebSocketFrame(code, reason))
                .addListener(ChannelFutureListener.CLOSE));
    }

    /** Closes at once with {@code code}, without a disconnect message (protocol errors). */
    void closeNow(int code, String reason) {
        closing.set(true);
        channel.eventLoop().execute(() -> channel.writeAndFlush(new CloseWebSocketFrame(code, reason))
                .addListener(ChannelFutureListener.CLOSE));
    }

    @Override
    protected void onOverflow() {
        registry.countSlowConsumer();
        closing.set(true);
        LOG.info("closing slow consumer {} ({} bytes pending)", channel.remoteAddress(), pendingBytes());
        // Close now: the client is not reading, so queued bytes (and a close frame) would never arrive.
        channel.eventLoop().execute(() -> {
            channel.writeAndFlush(new CloseWebSocketFrame(1008, "slow-consumer"));
            channel.close();
        });
    }

    @Override
    protected Object frame(ByteBuf joined) {
        return new TextWebSocketFrame(joined);
    }

    /** Pings every heartbeat; closes a client that sent nothing (no pong, no message) for two. */
    @Override
    public void sweep(long now) {
        if (closing.get()) {
            return;
        }
        if (now - lastSeen > 2 * heartbeatMs) {
            LOG.debug("closing {}: no answer for {} ms", channel.remoteAddress(), now - lastSeen);
            closeWith(1001, "heartbeat-timeout");
            return;
        }
        // 10% slack: the sweep ticks at a fraction of the interval and may run a little early.
        if (now - lastPing >= heartbeatMs * 9 / 10) {
            lastPing = now;
            channel.writeAndFlush(new PingWebSocketFrame());
        }
    }

    @Override
    public void shutdown() {
        closeWith(1001, "shutdown");
    }

    @Override
    public boolean isClosed() {
        return !channel.isOpen();
    }
}
