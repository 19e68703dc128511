package io.switchboard.core.bus;

import io.switchboard.core.model.Event;

import java.util.List;
import java.util.concurrent.CompletableFuture;

/** How the ordered feed reads the log to fill a hole (the store's history, all paths). */
public interface LogReader {
    /** Events with {@code after < offset <= until}, ascending, at most {@code limit}. */
    CompletableFuture<List<Event>> read(long after, long until, int limit);

    /** The oldest offset still in the log ({@code Store.firstOffset}). */
    CompletableFuture<Long> firstOffset();
}
