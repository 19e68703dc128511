package io.switchboard.server.transport.sse;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.handler.codec.http.DefaultHttpContent;
import io.netty.handler.codec.http.LastHttpContent;
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
import io.switchboard.server.transport.OutboundQueue;

import java.util.concurrent.atomic.AtomicBoolean;

/**
 * One Server-Sent Events stream (SPEC section 5): pushes become {@code id: <offset>},
 * {@code event: <type>}, {@code data: <event JSON>} records written as HTTP chunks through the
 * same batching, bounded queue as WebSockets. Keepalive comments come from the shared sweep.
 */
public final class SseConnection extends OutboundQueue implements SessionSink, Connection {
    private final ConnectionRegistry registry;
    private final SseFormat format;
    private final long keepaliveMs;
    private final AtomicBoolean closing = new AtomicBoolean();
    private volatile Session session;
    private volatile long lastKeepalive = System.currentTimeMillis();

    public SseConnection(Channel channel, long maxOutboundBytes, long keepaliveMs, ConnectionRegistry registry) {
        this(channel, maxOutboundBytes, keepaliveMs, registry, SseFormat.NATIVE);
    }

    public SseConnection(Channel channel, long maxOutboundBytes, long keepaliveMs, ConnectionRegistry registry,
                         SseFormat format) {
        super(channel, maxOutboundBytes, null);
        this.registry = registry;
        this.format = format;
        this.keepaliveMs = keepaliveMs;
    }

    public void session(Session s) { this.session = s; }

    @Override
    public boolean push(Subscription sub, Event event, boolean needsAck) {
        return offer(format.push(sub, event));
    }

    /** SSE streams are driven by URL parameters, not requests: replies never come here. */
    @Override
    public void reply(long requestId, Result result) {
    }

    @Override
    public void error(long requestId, SwitchboardException error) {
        ObjectNode o = Json.object();
        o.set("error", NativeEncoder.error(error));
        record("error", o);
    }

    @Override
    public void notice(Notice notice) {
        record("sys", NativeEncoder.notice(notice));
    }

    private void record(String type, ObjectNode body) {
        offer(format.record(type, body));
    }

    /** Writes one record of the stream's own (queued behind what is already there). */
    public void offerRecord(String type, com.fasterxml.jackson.databind.JsonNode body) {
        offer(format.record(type, body));
    }

    /** Called once by {@link Session#end}: a {@code sys} disconnect record, then the stream ends. */
    @Override
    public void close(DisconnectReason reason) {
        if (!closing.compareAndSet(false, true)) {
            return;
        }
        if (reason == DisconnectReason.SLOW_CONSUMER) {
            channel.eventLoop().execute(channel::close);
            return;
        }
        record("sys", NativeEncoder.disconnect(reason));
        channel.eventLoop().execute(() -> channel.writeAndFlush(LastHttpContent.EMPTY_LAST_CONTENT)
                .addListener(ChannelFutureListener.CLOSE));
    }

    @Override
    protected void onOverflow() {
        registry.countSlowConsumer();
        channel.eventLoop().execute(() -> end(DisconnectReason.SLOW_CONSUMER));
    }

    /** Ends the stream's session (or, before it has one, just the stream). */
    void end(DisconnectReason reason) {
        Session s = session;
        if (s != null) {
            s.end(reason);
        } else {
            close(reason);
        }
    }

    @Override
    protected Object frame(ByteBuf joined) {
        return new DefaultHttpContent(joined);
    }

    @Override
    public void sweep(long now) {
        if (!closing.get() && now - lastKeepalive >= keepaliveMs * 9 / 10) {
            lastKeepalive = now;
            offer(format.keepalive());
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
        return "sse";
    }
}
