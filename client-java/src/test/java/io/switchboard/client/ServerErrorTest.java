package io.switchboard.client;

import io.switchboard.core.error.ErrorCode;
import io.switchboard.core.json.Json;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class ServerErrorTest {
    @Test
    void readsCodeMessageAndRetryAfter() {
        ServerError e = ServerError.of(Json.object().put("code", "RATE_LIMITED").put("message", "slow down")
                .put("retryAfterMs", 250));
        assertThat(e.code()).isEqualTo(ErrorCode.RATE_LIMITED);
        assertThat(e.getMessage()).isEqualTo("slow down");
        assertThat(e.retryAfterMs()).isEqualTo(250L);
    }

    @Test
    void unknownCodeIsInternal() {
        assertThat(ServerError.of(Json.object().put("code", "NEWFANGLED")).code()).isEqualTo(ErrorCode.INTERNAL);
    }
}
