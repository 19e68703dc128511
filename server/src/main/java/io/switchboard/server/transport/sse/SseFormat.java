package io.switchboard.server.transport.sse;

import com.fasterxml.jackson.databind.JsonNode;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.switchboard.core.json.Json;
import io.switchboard.core.model.Event;
import io.switchboard.core.router.Subscription;
import io.switchboard.server.transport.OutboundQueue;

import java.nio.charset.StandardCharsets;

/**
 * How one kind of Server-Sent Events stream writes its records: the native stream
 * ({@link #NATIVE}: {@code id}, {@code event: <type>}, {@code data: <event JSON>}) or an
 * adapter's (broker's frames). Each method returns one whole record, so a record is never split
 * between two writes.
 */
public interface SseFormat {
    /** One pushed event. */
    ByteBuf push(Subscription sub, Event event);

    /** A record the stream writes itself ({@code sys} notices, errors). */
    ByteBuf record(String type, JsonNode body);

    /** What keeps an idle stream open through proxies. */
    ByteBuf keepalive();

    /** The native API's records. */
    SseFormat NATIVE = new SseFormat() {
        private static final byte[] RECORD_END = {'\n', '\n'};
        private static final byte[] KEEPALIVE = ": keepalive\n\n".getBytes(StandardCharsets.US_ASCII);

        @Override
        public ByteBuf push(Subscription sub, Event event) {
            byte[] head = ("id: " + event.offset() + "\nevent: " + event.type().wire() + "\ndata: ")
                    .getBytes(StandardCharsets.UTF_8);
            return OutboundQueue.concat(head, event.jsonBytes(sub.mergeOnly()), RECORD_END);
        }

        @Override
        public ByteBuf record(String type, JsonNode body) {
            return Unpooled.wrappedBuffer(("event: " + type + "\ndata: " + Json.write(body) + "\n\n")
                    .getBytes(StandardCharsets.UTF_8));
        }

        @Override
        public ByteBuf keepalive() {
            return Unpooled.wrappedBuffer(KEEPALIVE);
        }
    };
}
