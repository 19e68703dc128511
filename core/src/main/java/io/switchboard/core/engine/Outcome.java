package io.switchboard.core.engine;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * The result of an op and, optionally, work that must happen right after the reply was handed
 * to the session (a subscription's replay and go-live, a deferred write's published notice).
 */
public record Outcome(JsonNode result, Runnable afterReply) {
    public static Outcome of(JsonNode result) {
        return new Outcome(result, null);
    }
}
