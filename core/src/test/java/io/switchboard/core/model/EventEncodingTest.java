package io.switchboard.core.model;

import org.junit.jupiter.api.Test;

import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

class EventEncodingTest {
    @Test
    void eachFormatIsEncodedOncePerEvent() {
        AtomicInteger aCalls = new AtomicInteger();
        AtomicInteger bCalls = new AtomicInteger();
        EventEncoding<String> a = EventEncoding.of("a", e -> "a" + e.offset() + "#" + aCalls.incrementAndGet());
        EventEncoding<byte[]> b = EventEncoding.of("b", e -> new byte[] {(byte) bCalls.incrementAndGet()});
        Event e = new Event(7, null, EventType.PUBLISH, "/x", null, null, null, 1, null);
        for (int i = 0; i < 5; i++) {
            assertThat(e.encoded(a)).isEqualTo("a7#1");
            assertThat(e.encoded(b)).containsExactly(1);
        }
        assertThat(aCalls.get()).isEqualTo(1);
        assertThat(bCalls.get()).isEqualTo(1);
        Event other = new Event(8, null, EventType.PUBLISH, "/x", null, null, null, 1, null);
        assertThat(other.encoded(a)).isEqualTo("a8#2");
    }

    @Test
    void targetsDecideWhoMayReceive() {
        Event open = new Event(1, null, EventType.PUBLISH, "/x", null, null, null, 1, null);
        Event only = new Event(2, null, EventType.PUBLISH, "/x", null, null, null, 1, null, java.util.List.of("s1"));
        assertThat(open.isFor("anyone")).isTrue();
        assertThat(only.isFor("s1")).isTrue();
        assertThat(only.isFor("s2")).isFalse();
        assertThat(only.withPath("/y").targets()).containsExactly("s1");
    }
}
