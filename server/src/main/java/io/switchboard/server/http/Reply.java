package io.switchboard.server.http;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.List;

/** An HTTP answer of a route: status, JSON body, and {@code Set-Cookie} values. */
public record Reply(int status, JsonNode body, List<String> cookies) {
    public static Reply ok(JsonNode body) {
        return new Reply(200, body, List.of());
    }

    public static Reply created(JsonNode body) {
        return new Reply(201, body, List.of());
    }
}
