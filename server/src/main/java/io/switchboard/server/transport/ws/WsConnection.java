package io.switchboard.server.transport.ws;

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
import io.switchboard.core.result.DisconnectReason;
import io.switchboard.core.result.Notice;
import io.switchboard.core.result.Result;
import io.switchboard.core.router.Subscription;
import io.switchboard.core.session.Session;
import io.switchboard.core.session.SessionSink;
import io.switchboard.core.wire.NativeEncoder;
import io.switchboard.server.transport.Connection;
import io.switchboard.server.transport.ConnectionRegistry;
import io.switchboard.server.transport.InFlightGate;
import io.switchboard.server.transport.OutboundQueue;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * One native-protocol WebSocket (SPEC section 4): the session's sink in that wire format, the
 * batching outbound queue, and the connection's heartbeat state (driven by the shared sweep).
 * Every close the server decides goes through {@link Session#end}, which calls
 * {@link #close(DisconnectReason)} once: the client gets one {@code disconnect} and one close frame.
 */
public final class WsConnection extends OutboundQueue implements SessionSink, Connection {
    private static final Logger LOG = LoggerFactory.getLogger(WsConnection.class);
    private static final byte[] NEWLINE = {'\n'};
    private static final byte[] END = {'}'};
    private static final byte[] ACK_END = ",\"ack\":true}".getBytes(StandardCharsets.UTF_8);

    private final ConnectionRegistry registry;
    private final long heartbeatMs;
    private final AtomicBoolean closing = new AtomicBoolean();
    private final InFlightGate gate;
    private volatile Session session;
    private volatile long lastSeen;
    private volatile long lastPing;

    public WsConnection(Channel channel, long maxOutboundBytes, long maxReplyBytes, long heartbeatMs, int maxInFlight,
                        ConnectionRegistry registry) {
        super(channel, maxOutboundBytes, maxReplyBytes, NEWLINE);
        this.gate = new InFlightGate(channel, maxInFlight);
        this.registry = registry;
        this.heartbeatMs = heartbeatMs;
        this.lastSeen = System.currentTimeMillis();
        this.lastPing = lastSeen;
    }

    void session(Session s) { this.session = s; }

    /** The bound on this connection's requests in flight. */
    InFlightGate gate() { return gate; }

    Session session() { return session; }

    /** Any inbound frame (message, pong, ping) proves the client is alive. */
    void seen() { lastSeen = System.currentTimeMillis(); }

    @Override
    public void reply(long requestId, Result result) {
        offerReply(Unpooled.wrappedBuffer(Json.writeBytes(NativeEncoder.reply(requestId, result))));
    }

    @Override
    public void error(long requestId, SwitchboardException error) {
        offerReply(Unpooled.wrappedBuffer(Json.writeBytes(NativeEncoder.errorReply(requestId, error))));
    }

    /**
     * The frame is {@code {"sub":"<id>","event":} + cached event bytes + {@code }}: the event's
     * bytes are shared by every subscriber, only the small prefix is built per push.
     */
    @Override
    public boolean push(Subscription sub, Event event, boolean needsAck) {
        byte[] prefix = ("{\"sub\":" + Json.quote(sub.id()) + ",\"event\":").getBytes(StandardCharsets.UTF_8);
        return offer(OutboundQueue.concat(prefix, event.jsonBytes(sub.mergeOnly()), needsAck ? ACK_END : END));
    }

    @Override
    public void notice(Notice notice) {
        send(NativeEncoder.notice(notice));
    }

    private void send(ObjectNode o) {
        offer(Unpooled.wrappedBuffer(Json.writeBytes(o)));
    }

    /** Called once by {@link Session#end}: disconnect message, close frame, close. */
    @Override
    public void close(DisconnectReason reason) {
        if (!closing.compareAndSet(false, true)) {
            return;
        }
        if (reason == DisconnectReason.SLOW_CONSUMER) {
            // The client is not reading: queued bytes (and a close frame) would never arrive.
            channel.eventLoop().execute(() -> {
                channel.writeAndFlush(new CloseWebSocketFrame(1008, reason.wire()));
                channel.close();
            });
            return;
        }
        send(NativeEncoder.disconnect(reason));
        int code = reason == DisconnectReason.SHUTDOWN || reason == DisconnectReason.HEARTBEAT_TIMEOUT ? 1001 : 1000;
        // Runs after the flush task the send above scheduled: the close frame follows the message.
        channel.eventLoop().execute(() -> channel.writeAndFlush(new CloseWebSocketFrame(code, reason.wire()))
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
        LOG.info("closing slow consumer {} ({} bytes pending)", channel.remoteAddress(), pendingBytes());
        // Not inline: the offering thread may hold a subscription's lock, and ending the
        // session closes all of its subscriptions.
        channel.eventLoop().execute(() -> end(DisconnectReason.SLOW_CONSUMER));
    }

    private void end(DisconnectReason reason) {
        Session s = session;
        if (s != null) {
            s.end(reason);
        } else {
            close(reason);
        }
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
        if (gate.paused()) {
            // The server stopped reading this socket (requests in flight): its pongs wait unread.
            lastSeen = now;
        } else if (now - lastSeen > 2 * heartbeatMs) {
            LOG.debug("closing {}: no answer for {} ms", channel.remoteAddress(), now - lastSeen);
            end(DisconnectReason.HEARTBEAT_TIMEOUT);
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
        end(DisconnectReason.SHUTDOWN);
    }

    @Override
    public boolean isClosed() {
        return !channel.isOpen();
    }

    @Override
    public String transport() {
        return "ws";
    }
}
