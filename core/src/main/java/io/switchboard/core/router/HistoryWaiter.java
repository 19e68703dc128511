package io.switchboard.core.router;

import io.switchboard.core.model.Event;
import io.switchboard.core.path.Pattern;

import java.util.concurrent.CompletableFuture;

/** A one-shot listener for a long-polling history request: completes on the first match. */
public final class HistoryWaiter implements Listener {
    private final Pattern pattern;
    private final CompletableFuture<Boolean> fired = new CompletableFuture<>();

    public HistoryWaiter(Pattern pattern) {
        this.pattern = pattern;
    }

    public Pattern pattern() {
        return pattern;
    }

    /** Completes with true when a matching event arrived, false on timeout. */
    public CompletableFuture<Boolean> fired() {
        return fired;
    }

    public void timeout() {
        fired.complete(false);
    }

    @Override
    public void onEvent(Event event, Dispatch dispatch) {
        fired.complete(true);
    }
}
