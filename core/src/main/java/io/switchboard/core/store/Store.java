package io.switchboard.core.store;

import io.switchboard.core.model.Document;
import io.switchboard.core.model.Event;
import io.switchboard.core.path.PathMatcher;
import io.switchboard.core.query.Criteria;
import io.switchboard.core.query.HistoryQuery;
import io.switchboard.core.query.Query;
import io.switchboard.core.query.QueryResult;

import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.CompletableFuture;

/**
 * Durable documents, event log and scheduled publishes. Implementations must pass the shared
 * {@code StoreContract} test suite.
 *
 * <p>Writes: a future completes only after its write is committed (durable); concurrent writes
 * may share one transaction; offsets are strictly increasing in commit order. A failed op (e.g.
 * CONFLICT) fails only its own future. Reads never block the caller's thread.
 * Failures surface as {@link io.switchboard.core.error.SwitchboardException}: store down is
 * {@code UNAVAILABLE}, and then nothing was written.
 */
public interface Store extends AutoCloseable {
    /** Creates or migrates the schema and starts the writer; call once before anything else. */
    void open();

    /** Set before {@link #open()}; receives committed events in offset order. */
    void setCommitListener(CommitListener listener);

    /** The log's epoch: changes only when the log is recreated. */
    String epoch();

    /** The offset of the newest event, 0 when the log is empty. */
    long lastOffset();

    /** The offset of the oldest retained event, or {@code lastOffset() + 1} when none is retained. */
    CompletableFuture<Long> firstOffset();

    CompletableFuture<WriteResult> write(WriteOp op);

    CompletableFuture<Optional<Document>> get(String path);

    CompletableFuture<QueryResult> query(Query query);

    CompletableFuture<Long> count(PathMatcher target, Criteria criteria);

    CompletableFuture<List<Event>> history(HistoryQuery query);

    /**
     * Like {@link #history}, and says whether the window holds more events after the page.
     * Stores honour {@link HistoryQuery#maxBytes()} here (the default only counts).
     */
    default CompletableFuture<io.switchboard.core.query.HistoryPage> historyPage(HistoryQuery query) {
        return history(query).thenApply(ev -> new io.switchboard.core.query.HistoryPage(ev,
                query.limit() > 0 && ev.size() >= query.limit()));
    }

    /** The {@code at} of the earliest scheduled publish, if any. */
    CompletableFuture<OptionalLong> nextScheduledAt();

    /** How many scheduled publishes wait to fire. */
    CompletableFuture<Long> scheduledCount();

    /**
     * Who of the nodes sharing this store fires scheduled publishes; valid after {@link #open()},
     * closed with the store. A store of one process answers {@link SchedulerLead#ALONE}.
     */
    default SchedulerLead schedulerLead() {
        return SchedulerLead.ALONE;
    }

    /** Where the store records its own metrics (commit latency, batch size); none by default. */
    default void bindMeters(io.switchboard.core.metrics.Meters meters) {
    }

    /** Deletes events beyond the retention policy; returns how many were deleted. */
    CompletableFuture<Long> prune(RetentionPolicy policy, long now);

    /** Finishes queued writes, then closes. Later calls fail with UNAVAILABLE. */
    @Override
    void close();

    /** True while the store can serve (for {@code /ready}). */
    boolean isHealthy();
}
