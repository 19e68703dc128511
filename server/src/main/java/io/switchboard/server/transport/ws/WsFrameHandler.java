package io.switchboard.server.transport.ws;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.TooLongFrameException;
import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.handler.codec.http.websocketx.CorruptedWebSocketFrameException;
import io.netty.handler.codec.http.websocketx.PingWebSocketFrame;
import io.netty.handler.codec.http.websocketx.PongWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketCloseStatus;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import io.switchboard.core.pipeline.Pipeline;
import io.switchboard.core.error.ErrorCode;
import io.switchboard.core.error.SwitchboardException;
import io.switchboard.core.json.Json;
import io.switchboard.server.transport.ConnectionRegistry;
import io.switchboard.server.transport.InFlightGate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;

/**
 * Inbound side of a native WebSocket: one client message per text frame, each handed to the
 * pipeline (which replies through the {@link WsConnection}). Bad input gets a BAD_REQUEST reply
 * and the connection stays open; only an oversized frame (1009) or a text frame that is not UTF-8
 * (1007) closes it. Messages pass the
 * connection's {@link InFlightGate} (limits.maxInFlightPerConnection), in arrival order.
 */
final class WsFrameHandler extends SimpleChannelInboundHandler<WebSocketFrame> {
    private static final Logger LOG = LoggerFactory.getLogger(WsFrameHandler.class);

    private final WsConnection conn;
    private final Pipeline pipeline;
    private final ConnectionRegistry registry;
    private final int maxFrameBytes;

    WsFrameHandler(WsConnection conn, Pipeline pipeline, ConnectionRegistry registry, int maxFrameBytes) {
        this.conn = conn;
        this.pipeline = pipeline;
        this.registry = registry;
        this.maxFrameBytes = maxFrameBytes;
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, WebSocketFrame frame) {
        conn.seen();
        if (frame instanceof TextWebSocketFrame text) {
            String body = text.text();
            conn.gate().submit(() -> onText(body));
        } else if (frame instanceof PingWebSocketFrame) {
            ctx.writeAndFlush(new PongWebSocketFrame(frame.content().retain()));
        } else if (frame instanceof PongWebSocketFrame) {
            // seen() above is all a pong is for
        } else if (frame instanceof CloseWebSocketFrame close) {
            ctx.writeAndFlush(new CloseWebSocketFrame(close.statusCode() < 0 ? 1000 : close.statusCode(), ""))
                    .addListener(f -> ctx.close());
        } else if (frame instanceof BinaryWebSocketFrame) {
            conn.error(0, SwitchboardException.badRequest("frame", "must be a text frame of JSON; binary frames are not supported"));
        }
    }

    /** Parses and runs one message; null when it was answered at once (not JSON). */
    private java.util.concurrent.CompletableFuture<Void> onText(String text) {
        JsonNode msg;
        try {
            msg = Json.parse(text);
        } catch (JsonProcessingException e) {
            // The id cannot be read from text that is not JSON: reply with id 0.
            conn.error(0, SwitchboardException.badRequest("message", Json.problem(e)));
            return null;
        }
        return pipeline.handle(conn.session(), msg);
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        registry.remove(conn);
        conn.gate().close();
        conn.drop();
        if (conn.session() != null) {
            pipeline.close(conn.session());
        }
        ctx.fireChannelInactive();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        if (cause instanceof TooLongFrameException || (cause instanceof CorruptedWebSocketFrameException c
                && c.closeStatus() != null && c.closeStatus().code() == WebSocketCloseStatus.MESSAGE_TOO_BIG.code())) {
            conn.error(0, new SwitchboardException(ErrorCode.PAYLOAD_TOO_LARGE,
                    "frame is larger than limits.maxFrameBytes (" + maxFrameBytes + " bytes)"));
            conn.closeNow(1009, "frame-too-large");
        } else if (cause instanceof CorruptedWebSocketFrameException c && c.closeStatus() != null
                && c.closeStatus().code() == WebSocketCloseStatus.INVALID_PAYLOAD_DATA.code()) {
            conn.error(0, SwitchboardException.badRequest("frame", "is a text frame that is not valid UTF-8"));
            conn.closeNow(1007, "invalid-utf8");
        } else if (cause instanceof CorruptedWebSocketFrameException) {
            conn.closeNow(1002, "protocol-error");
        } else if (cause instanceof IOException) {
            ctx.close();
        } else {
            LOG.warn("websocket error from {}", ctx.channel().remoteAddress(), cause);
            ctx.close();
        }
    }
}
