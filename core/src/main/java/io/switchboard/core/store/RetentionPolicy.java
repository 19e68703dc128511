package io.switchboard.core.store;

import io.switchboard.core.path.Pattern;

import java.util.List;

/**
 * How long events stay in the log: {@code maxAgeMs} and {@code maxEvents} for the whole log,
 * and per-pattern age overrides (first matching override wins; it may be longer or shorter).
 */
public record RetentionPolicy(long maxAgeMs, long maxEvents, List<Override> overrides) {
    /** SPEC default: 7 days and 10 million events. */
    public static final RetentionPolicy DEFAULT = new RetentionPolicy(7L * 24 * 3600 * 1000, 10_000_000L, List.of());

    public RetentionPolicy {
        overrides = overrides == null ? List.of() : List.copyOf(overrides);
    }

    /** Events whose path matches {@code pattern} are kept {@code maxAgeMs}. */
    public record Override(Pattern pattern, long maxAgeMs) { }
}
