package io.switchboard.core.pipeline;

import io.switchboard.core.engine.Outcome;

import java.util.concurrent.CompletableFuture;

/**
 * One step every request passes on its way to the engine, and its result on the way back. A
 * stage may refuse the call (a failed future), map the request before calling {@code next},
 * map the outcome after, or answer without calling {@code next} at all (a cache hit). Stages
 * must not block: slow work (password hashing, I/O) returns a future.
 */
public interface Stage {
    /** The rest of the pipeline after a stage. */
    @FunctionalInterface
    interface Next {
        CompletableFuture<Outcome> proceed(Call call);
    }

    /** A short name for logs, metrics and {@link Pipeline#stageNames()}. */
    String name();

    CompletableFuture<Outcome> apply(Call call, Next next);
}
