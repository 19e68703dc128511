package io.switchboard.server.compat.happn;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
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
import io.switchboard.server.transport.Connection;
import io.switchboard.server.transport.ConnectionRegistry;
import io.switchboard.server.transport.OutboundQueue;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * One happn-3 client over Primus: the session's sink in happn_4 (one JSON message per text
 * frame), the Primus heartbeat ({@code "primus::ping::<ms>"} every {@link #PING_INTERVAL_MS}),
 * and the requests waiting for a reply, whose happn action decides the reply's shape.
 */
final class HappnConnection extends OutboundQueue implements SessionSink, Connection {
    /** happn-3's own interval; its client reconnects after 45 s without a ping. */
    static final int PING_INTERVAL_MS = 25_000;
    /** A client that sent nothing (not even a pong) for this long is gone. */
    private static final long IDLE_CLOSE_MS = 3L * PING_INTERVAL_MS;

    /** A request in flight: how to shape its reply. */
    record Pending(String action, JsonNode data, ObjectNode options, String channel) { }

    private final ConnectionRegistry registry;
    private final Map<Long, Pending> pending = new ConcurrentHashMap<>();
    /** Deferred (consistency 1) writes waiting for their delivery counts. */
    private final Map<Long, Boolean> deferred = new ConcurrentHashMap<>();
    /** The last event pushed on each channel: happn sends one frame per (session, channel) per publication. */
    private final Map<String, Event> lastOnChannel = new ConcurrentHashMap<>();
    private final AtomicBoolean closing = new AtomicBoolean();
    private volatile Session session;
    /** The nonce last handed out by {@code request-nonce} on this socket, with its key: {key, nonce}. */
    private final java.util.concurrent.atomic.AtomicReference<String[]> nonce = new java.util.concurrent.atomic.AtomicReference<>();
    /** A reply to send once, before the session's end if that comes first (revoke-token's answer). */
    private final java.util.concurrent.atomic.AtomicReference<ObjectNode> lastReply = new java.util.concurrent.atomic.AtomicReference<>();
    private volatile boolean pinging;
    private volatile boolean browser;
    private volatile long lastSeen = System.currentTimeMillis();
    private volatile long lastPing = lastSeen;

    HappnConnection(Channel channel, long maxOutboundBytes, ConnectionRegistry registry) {
        super(channel, maxOutboundBytes, null);
        this.registry = registry;
    }

    void session(Session s) { this.session = s; }

    Session session() { return session; }

    void seen() { lastSeen = System.currentTimeMillis(); }

    /** Remembers the nonce given for {@code publicKey}; a later request replaces it (happn: one per key). */
    void nonce(String publicKey, String value) { nonce.set(new String[] {publicKey, value}); }

    /** The nonce given on this socket for {@code publicKey}, taken (single use), or null. */
    String takeNonce(String publicKey) {
        String[] n = nonce.getAndSet(null);
        return n != null && n[0].equals(publicKey) ? n[1] : null;
    }

    /** configure-session said {@code browser: true}: describe names the token cookie. */
    void browser(boolean b) { browser = b; }

    boolean browser() { return browser; }

    /**
     * Holds {@code reply} until {@link #releaseLastReply} or this session's end, whichever comes
     * first: an action that ends its own session (revoke-token) answers once it took effect, and
     * the answer still precedes the server-side-disconnect its effect sends.
     */
    void holdLastReply(ObjectNode reply) { lastReply.set(reply); }

    /** Sends the held reply, or {@code instead} of it, unless the session's end already sent it. */
    void releaseLastReply(ObjectNode instead) {
        ObjectNode r = lastReply.getAndSet(null);
        if (r != null) {
            send(instead != null ? instead : r);
        }
    }

    /** After configure-session the server starts the Primus heartbeat. */
    void startPinging() { pinging = true; }

    void expect(long eventId, Pending p) { pending.put(eventId, p); }

    Pending take(long eventId) { return pending.remove(eventId); }

    void send(JsonNode o) {
        offer(Unpooled.wrappedBuffer(Json.writeBytes(o)));
    }

    void sendText(String primusControl) {
        offer(Unpooled.wrappedBuffer(Json.quote(primusControl).getBytes(StandardCharsets.UTF_8)));
    }

    String sessionId() {
        Session s = session;
        return s == null ? null : s.id();
    }

    @Override
    public void reply(long requestId, Result result) {
        Pending p = take(requestId);
        if (p == null) {
            return;
        }
        send(HappnReplies.encode(requestId, p, sessionId(), result));
        io.switchboard.core.result.DeliveryCounts counts = result instanceof Result.Written w ? w.counts()
                : result instanceof Result.Incremented i ? i.counts() : null;
        if ((result instanceof Result.Written || result instanceof Result.Incremented) && p.options() != null) {
            int consistency = p.options().path("consistency").asInt(2);
            if (consistency == 3) {
                send(HappnEncoder.publicationAck(sessionId(), requestId, counts));
            } else if (consistency == 1) {
                deferred.put(requestId, Boolean.TRUE);
            }
        }
    }

    @Override
    public void error(long requestId, SwitchboardException error) {
        Pending p = take(requestId);
        if (p != null && "get".equals(p.action()) && error.code() == io.switchboard.core.error.ErrorCode.NOT_FOUND) {
            // happn answers a get of a missing path with null data, not an error.
            send(HappnEncoder.response(requestId, "get", sessionId(), null, null));
            return;
        }
        send(HappnEncoder.error(requestId, p == null ? "unknown" : p.action(), sessionId(), error));
    }

    @Override
    public boolean push(Subscription sub, Event event, boolean needsAck) {
        JsonNode ch = sub.meta() == null ? null : sub.meta().get(HappnActions.CHANNEL_META);
        if (ch == null) {
            return true;
        }
        if (!withinDepth(sub.meta(), event.path())) {
            return true;
        }
        String channel = ch.asText();
        // Two subscriptions on one channel (e.g. initialCallback twice) still make one frame:
        // the client fans a frame out to every listener of its channel.
        if (lastOnChannel.put(channel, event) == event) {
            return true;
        }
        return offer(Unpooled.wrappedBuffer(HappnEncoder.publication(event, sub.mergeOnly(), channel)));
    }

    /** happn's trailing {@code /**} matches at most {@code depth} extra segments. */
    private static boolean withinDepth(JsonNode meta, String path) {
        JsonNode depth = meta.get(HappnActions.DEPTH_META);
        if (depth == null) {
            return true;
        }
        String base = meta.path(HappnActions.BASE_META).asText("");
        if (!path.startsWith(base + "/")) {
            return true; // the pattern's own wildcards matched it; depth only bounds the tail
        }
        String rest = path.substring(base.length() + 1);
        int segments = 1;
        for (int i = 0; i < rest.length(); i++) {
            if (rest.charAt(i) == '/') {
                segments++;
            }
        }
        return segments <= depth.asInt();
    }

    @Override
    public void notice(Notice notice) {
        // A deferred write's counts become happn's publication-ack; happn has no token-roll message.
        if (notice instanceof Notice.Published pub && deferred.remove(pub.requestId()) != null) {
            send(HappnEncoder.publicationAck(sessionId(), pub.requestId(), pub.counts()));
        }
    }

    /** Called once by {@link Session#end}: a server-side-disconnect message, then Primus' close. */
    @Override
    public void close(DisconnectReason reason) {
        if (!closing.compareAndSet(false, true)) {
            return;
        }
        // A server going down for a restart closes silently, so the client reconnects and
        // resubscribes; any other end tells the client why and stops its reconnecting.
        releaseLastReply(null);
        if (reason != DisconnectReason.SHUTDOWN) {
            ObjectNode sys = Json.object();
            sys.putObject("_meta").put("type", "system");
            sys.put("eventKey", "server-side-disconnect");
            sys.putObject("data").put("reason", reason.wire());
            send(sys);
            sendText("primus::server::close");
        }
        channel.eventLoop().execute(() -> channel.writeAndFlush(new CloseWebSocketFrame(1000, reason.wire()))
                .addListener(ChannelFutureListener.CLOSE));
    }

    @Override
    protected void onOverflow() {
        registry.countSlowConsumer();
        channel.eventLoop().execute(() -> {
            Session s = session;
            if (s != null) {
                s.end(DisconnectReason.SLOW_CONSUMER);
            } else {
                channel.close();
            }
        });
    }

    @Override
    protected boolean batches() {
        return false;
    }

    @Override
    protected Object frame(ByteBuf joined) {
        return new TextWebSocketFrame(joined);
    }

    @Override
    public void sweep(long now) {
        if (closing.get()) {
            return;
        }
        if (now - lastSeen > IDLE_CLOSE_MS) {
            Session s = session;
            if (s != null) {
                s.end(DisconnectReason.HEARTBEAT_TIMEOUT);
            } else {
                channel.close();
            }
            return;
        }
        if (pinging && now - lastPing >= PING_INTERVAL_MS * 9L / 10) {
            lastPing = now;
            sendText("primus::ping::" + now);
        }
    }

    @Override
    public void shutdown() {
        Session s = session;
        if (s != null) {
            s.end(DisconnectReason.SHUTDOWN);
        } else {
            close(DisconnectReason.SHUTDOWN);
        }
    }

    @Override
    public String transport() {
        return "happn";
    }

    @Override
    public boolean isClosed() {
        return !channel.isOpen();
    }
}
