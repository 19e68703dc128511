package io.switchboard.client;

import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

class BackoffTest {
    @Test
    void doublesUpToTheMaxWithTopJitter() {
        Backoff b = new Backoff(Duration.ofMillis(100), Duration.ofSeconds(10), () -> 0.999999);
        assertThat(b.nextDelayMs()).isEqualTo(100);
        assertThat(b.nextDelayMs()).isEqualTo(200);
        assertThat(b.nextDelayMs()).isEqualTo(400);
        for (int i = 0; i < 40; i++) {
            assertThat(b.nextDelayMs()).isLessThanOrEqualTo(10_000);
        }
        assertThat(b.nextDelayMs()).isEqualTo(10_000);
    }

    @Test
    void jitterKeepsAtLeastHalf() {
        Backoff b = new Backoff(Duration.ofMillis(100), Duration.ofSeconds(10), () -> 0.0);
        assertThat(b.nextDelayMs()).isEqualTo(50);
        assertThat(b.nextDelayMs()).isEqualTo(100);
    }

    @Test
    void resetStartsOver() {
        Backoff b = new Backoff(Duration.ofMillis(100), Duration.ofSeconds(10), () -> 0.999999);
        b.nextDelayMs();
        b.nextDelayMs();
        b.nextDelayMs();
        b.reset();
        assertThat(b.nextDelayMs()).isEqualTo(100);
    }
}
