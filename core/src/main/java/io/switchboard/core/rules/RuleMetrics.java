package io.switchboard.core.rules;

import io.switchboard.core.metrics.Meters;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * {@code rule.denials} (by rule and kind: read, write, validate) and {@code rule.errors} (by
 * rule): evaluations that failed and therefore denied. Counters are looked up once per rule.
 */
final class RuleMetrics {
    private final Meters meters;
    private final Map<String, Meters.Counter> counters = new ConcurrentHashMap<>();

    RuleMetrics(Meters meters) {
        this.meters = meters == null ? Meters.NONE : meters;
    }

    void denied(String rule, Rule.Kind kind) {
        String k = kind.name().toLowerCase(java.util.Locale.ROOT);
        counters.computeIfAbsent("d\u0000" + rule + "\u0000" + k, x -> meters.counter("rule.denials",
                "Operations and deliveries a rule denied (evaluation errors included)", "rule", rule, "kind", k))
                .increment();
    }

    void error(String rule) {
        counters.computeIfAbsent("e\u0000" + rule, x -> meters.counter("rule.errors",
                "Rule evaluations that failed with an error (each denied: rules fail closed)", "rule", rule))
                .increment();
    }
}
