package io.switchboard.server.metrics;

import org.junit.jupiter.api.Test;

import java.lang.ref.WeakReference;
import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.assertTrue;

class MicrometerMetersTest {
    /** A counter read through a lambda nobody else holds keeps reading after a GC (it read 0 once). */
    @Test
    void functionCountersSurviveGarbageCollection() {
        try (MicrometerMeters m = new MicrometerMeters()) {
            AtomicLong n = new AtomicLong(41);
            m.functionCounter("probe.reads", "test", () -> n.get(), "kind", "x");
            n.incrementAndGet();
            forceGc();
            String text = m.scrape();
            assertTrue(text.contains("switchboard_probe_reads_total{kind=\"x\"} 42.0"), text);
        }
    }

    /** Runs full collections until a fresh weakly held object is gone: weak references seen before are cleared too. */
    private static void forceGc() {
        WeakReference<Object> probe = new WeakReference<>(new Object());
        for (int i = 0; i < 20 && probe.get() != null; i++) {
            System.gc();
        }
    }
}
