package io.switchboard.server.transport;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.switchboard.core.error.SwitchboardException;
import io.switchboard.core.json.Json;

/** The one error object of SPEC section 8: {@code {"code","message","retryAfterMs"?}}. */
public final class ErrorJson {
    private ErrorJson() {
    }

    public static ObjectNode of(SwitchboardException e) {
        ObjectNode o = Json.object().put("code", e.code().name()).put("message", e.getMessage());
        if (e.retryAfterMs() != null) {
            o.put("retryAfterMs", e.retryAfterMs());
        }
        return o;
    }
}
