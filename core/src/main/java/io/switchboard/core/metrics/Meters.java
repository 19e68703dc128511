package io.switchboard.core.metrics;

import java.util.function.DoubleSupplier;

/**
 * The metrics seam of {@code core}: counters, timers, distributions and gauges by name and tags,
 * with no metrics library behind it. The server binds it to Micrometer; embedders and tests get
 * {@link #NONE}, whose meters cost nothing. Names are dotted and unprefixed ({@code op},
 * {@code store.commit}); the binding adds {@code switchboard_} and the unit suffixes. Look a meter
 * up once and keep it: lookups are map reads, recording is a counter add.
 */
public interface Meters {
    /** A monotonically increasing count. */
    interface Counter {
        void increment();
    }

    /** Durations, with a latency histogram. */
    interface Timer {
        void recordNanos(long nanos);
    }

    /** Sizes (of batches, of payloads): count, sum and a histogram. */
    interface Distribution {
        void record(double amount);
    }

    /** Meters that record nothing. */
    Meters NONE = new Meters() {
        private final Counter counter = () -> { };
        private final Timer timer = n -> { };
        private final Distribution distribution = a -> { };

        @Override
        public Counter counter(String name, String description, String... tags) {
            return counter;
        }

        @Override
        public Timer timer(String name, String description, String... tags) {
            return timer;
        }

        @Override
        public Distribution distribution(String name, String description, String baseUnit, String... tags) {
            return distribution;
        }

        @Override
        public void gauge(String name, String description, DoubleSupplier value, String... tags) {
        }

        @Override
        public void functionCounter(String name, String description, DoubleSupplier value, String... tags) {
        }
    };

    /** The counter {@code name} with {@code tags} (key, value, key, value…). */
    Counter counter(String name, String description, String... tags);

    Timer timer(String name, String description, String... tags);

    Distribution distribution(String name, String description, String baseUnit, String... tags);

    /** A value read when metrics are scraped (must be cheap and thread-safe). */
    void gauge(String name, String description, DoubleSupplier value, String... tags);

    /** A count kept elsewhere (a field the owner already increments), read when scraped. */
    void functionCounter(String name, String description, DoubleSupplier value, String... tags);
}
