package io.switchboard.server.compat.broker;

import com.fasterxml.jackson.databind.JsonNode;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.switchboard.core.json.Json;
import io.switchboard.core.model.Event;
import io.switchboard.core.router.Subscription;
import io.switchboard.server.transport.sse.SseFormat;

import java.nio.charset.StandardCharsets;

/**
 * broker's SSE records as the {@code broker-client} npm package parses them: it joins a record's
 * lines without separators and slices on {@code event:}, {@code data:}, {@code id:} and
 * {@code retry:}, so records carry the fields with no space after the colon, and
 * keepalives are {@code internal_status} records (never {@code :} comments). The {@code id} is
 * the event's offset, so a standard EventSource resumes with {@code Last-Event-ID}.
 */
final class BrokerSseFormat implements SseFormat {
    /** What a client should wait before reconnecting (EventSource's {@code retry}). */
    static final long RETRY_MS = 3000;
    static final String STATUS = "internal_status";

    @Override
    public ByteBuf push(Subscription sub, Event event) {
        return event(event);
    }

    /** An event's record, pushed live or written by the sync on connect. */
    static ByteBuf event(Event event) {
        return frame(BrokerEvents.name(event), event.data() == null ? "null" : Json.write(event.data()), event.offset());
    }

    @Override
    public ByteBuf record(String type, JsonNode body) {
        return frame(STATUS, Json.write(body), -1);
    }

    @Override
    public ByteBuf keepalive() {
        return frame(STATUS, "ping", -1);
    }

    /**
     * One whole record. {@code offset} -1 (status records) writes no {@code id} line: an empty
     * one would make an EventSource forget the last event id it resumes from.
     */
    static ByteBuf frame(String event, String data, long offset) {
        String id = offset < 0 ? "" : "\nid:" + offset;
        return Unpooled.wrappedBuffer(("event:" + event + "\ndata:" + data + id + "\nretry:" + RETRY_MS + "\n\n")
                .getBytes(StandardCharsets.UTF_8));
    }
}
