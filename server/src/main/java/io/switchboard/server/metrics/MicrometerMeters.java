package io.switchboard.server.metrics;

import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.FileDescriptorMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.core.instrument.config.MeterFilter;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.switchboard.core.metrics.Meters;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.function.DoubleSupplier;

/**
 * {@link Meters} on a Micrometer Prometheus registry. Every name gets the {@code switchboard.}
 * prefix (so {@code switchboard_} in the exposition), JVM and process metrics included. Timers
 * and distributions publish histogram buckets so latency quantiles can be computed server-side
 * by Prometheus across nodes.
 */
public final class MicrometerMeters implements Meters, AutoCloseable {
    private static final String PREFIX = "switchboard.";

    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final JvmGcMetrics gc = new JvmGcMetrics();
    /**
     * A FunctionCounter holds the object it reads only weakly: the suppliers handed to
     * {@link #functionCounter} are often lambdas nobody else references, so the first GC dropped
     * them and the counters read 0 for the rest of the run (found by the gateway bench: cache
     * hits 0 while the cache served every get). Holding them here keeps them for the registry's life.
     */
    private final java.util.List<DoubleSupplier> held = new java.util.concurrent.CopyOnWriteArrayList<>();

    public MicrometerMeters() {
        registry.config().meterFilter(new MeterFilter() {
            @Override
            public Meter.Id map(Meter.Id id) {
                return id.getName().startsWith(PREFIX) ? id : id.withName(PREFIX + id.getName());
            }
        });
        new ClassLoaderMetrics().bindTo(registry);
        new JvmMemoryMetrics().bindTo(registry);
        gc.bindTo(registry);
        new JvmThreadMetrics().bindTo(registry);
        new ProcessorMetrics().bindTo(registry);
        new UptimeMetrics().bindTo(registry);
        new FileDescriptorMetrics().bindTo(registry);
    }

    /** The Prometheus text exposition (format 0.0.4) of every meter. */
    public String scrape() {
        return registry.scrape();
    }

    @Override
    public Meters.Counter counter(String name, String description, String... tags) {
        io.micrometer.core.instrument.Counter c = io.micrometer.core.instrument.Counter.builder(name).description(description).tags(tags).register(registry);
        return c::increment;
    }

    @Override
    public Meters.Timer timer(String name, String description, String... tags) {
        io.micrometer.core.instrument.Timer t = io.micrometer.core.instrument.Timer.builder(name).description(description).tags(tags)
                .publishPercentileHistogram()
                .minimumExpectedValue(Duration.ofNanos(10_000))
                .maximumExpectedValue(Duration.ofSeconds(10))
                .register(registry);
        return nanos -> t.record(nanos, TimeUnit.NANOSECONDS);
    }

    @Override
    public Distribution distribution(String name, String description, String baseUnit, String... tags) {
        DistributionSummary d = DistributionSummary.builder(name).description(description).baseUnit(baseUnit).tags(tags)
                .publishPercentileHistogram()
                .minimumExpectedValue(1.0)
                .maximumExpectedValue(100_000.0)
                .register(registry);
        return d::record;
    }

    @Override
    public void gauge(String name, String description, DoubleSupplier value, String... tags) {
        Gauge.builder(name, value::getAsDouble).description(description).tags(tags).register(registry);
    }

    @Override
    public void functionCounter(String name, String description, DoubleSupplier value, String... tags) {
        held.add(value);
        FunctionCounter.builder(name, value, DoubleSupplier::getAsDouble).description(description).tags(tags)
                .register(registry);
    }

    @Override
    public void close() {
        gc.close();
        registry.close();
    }
}
