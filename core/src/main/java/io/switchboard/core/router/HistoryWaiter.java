package io.switchboard.core.router;

import io.switchboard.core.path.PathMatcher;

import java.util.concurrent.CompletableFuture;

/** A one-shot listener for a long-polling history request: completes on the first match. */
public final class HistoryWaiter implements Listener {
    private final PathMatcher pattern;
    private final CompletableFuture<Boolean> fired = new CompletableFuture<>();

    public HistoryWaiter(PathMatcher pattern) {
        this.pattern = pattern;
    }

    public PathMatcher pattern() {
        return pattern;
    }

    /** Completes with true when a matching event arrived, false on timeout. */
    public CompletableFuture<Boolean> fired() {
        return fired;
    }

    public void timeout() {
        fired.complete(false);
    }

    void onEvent() {
        fired.complete(true);
    }
}
