package io.switchboard.client;

import com.fasterxml.jackson.databind.JsonNode;
import io.switchboard.core.error.ErrorCode;
import io.switchboard.core.error.SwitchboardException;

/**
 * An error the server replied with ({@code {"ok": false, "error": {code, message}}}), as opposed
 * to one the client made up (timeout, connection lost): only these mean "the server said no".
 */
public final class ServerError extends SwitchboardException {
    ServerError(ErrorCode code, String message, Long retryAfterMs) {
        super(code, message, retryAfterMs, null);
    }

    /** Reads the wire error; an unknown code (a newer server) becomes {@code INTERNAL}. */
    static ServerError of(JsonNode error) {
        String codeText = error.path("code").asText("INTERNAL");
        ErrorCode code;
        try {
            code = ErrorCode.valueOf(codeText);
        } catch (IllegalArgumentException e) {
            code = ErrorCode.INTERNAL;
        }
        Long retry = error.hasNonNull("retryAfterMs") ? error.get("retryAfterMs").asLong() : null;
        return new ServerError(code, error.path("message").asText(codeText), retry);
    }
}
