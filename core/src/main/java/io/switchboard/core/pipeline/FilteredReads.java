package io.switchboard.core.pipeline;

import io.switchboard.core.engine.Outcome;
import io.switchboard.core.model.Document;
import io.switchboard.core.model.Event;
import io.switchboard.core.op.Request;
import io.switchboard.core.query.Projection;
import io.switchboard.core.result.Result;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.Predicate;

/**
 * Runs a read whose pattern is only partly readable (get, count, history): the request goes on
 * down the pipeline in chunks and what may not be read is left out, so a page, its
 * {@code total}, a count and a history window hold only readable items and stay truthful
 * ({@code limit} items when that many readable ones exist). Cost: a filtered get or count reads
 * every match once to know the total; a fully readable pattern never comes here. Used by the
 * permission stage (by path) and the rules stage (by document).
 */
public final class FilteredReads {
    /** What a reader may see. */
    public interface Visibility {
        boolean document(Document d);

        boolean event(Event e);

        /**
         * True when {@link #document} looks at the data: chunks are then read whole, and a
         * {@code fields} projection or {@code pathsOnly} is applied here after the check.
         */
        default boolean needsData() {
            return false;
        }
    }

    /** A visibility by path alone. */
    public static Visibility byPath(Predicate<String> visible) {
        return new Visibility() {
            @Override
            public boolean document(Document d) {
                return visible.test(d.path());
            }

            @Override
            public boolean event(Event e) {
                return visible.test(e.path());
            }
        };
    }

    /** Documents asked for per step (the engine may cap it further at its page limit). */
    static final int CHUNK = 500;

    private final int maxPage;

    /** {@code maxPage}: the engine's cap on a page ({@code limit} null means that many). */
    public FilteredReads(int maxPage) {
        this.maxPage = maxPage;
    }

    /** Runs {@code call} (a get, count or history), keeping only the paths {@code visible} accepts. */
    public CompletableFuture<Outcome> run(Call call, Visibility visible, Stage.Next next) {
        Request r = call.request();
        if (r instanceof Request.Get g) {
            int limit = g.limit() == null ? maxPage : Math.min(g.limit(), maxPage);
            Window w = new Window(g.skip(), limit);
            return scan(call, g, visible, next, w).thenApply(x -> Outcome.of(new Result.Page(w.items, w.seen)));
        }
        if (r instanceof Request.Count c) {
            Request.Get paths = new Request.Get(c.target(), c.criteria(), List.of(), List.of(), null, 0, !visible.needsData());
            Window w = new Window(0, 0);
            return scan(call, paths, visible, next, w).thenApply(x -> Outcome.of(new Result.Counted(w.seen)));
        }
        Request.History h = (Request.History) r;
        return history(call, h, visible, next, h.since(), h.waitSeconds(), new ArrayList<>());
    }

    /** The readable matches seen so far, and the ones inside the requested window. */
    private static final class Window {
        final int from;
        final int limit;
        final List<Document> items = new ArrayList<>();
        long seen;

        Window(int from, int limit) {
            this.from = from;
            this.limit = limit;
        }

        void offer(Document d) {
            if (seen >= from && items.size() < limit) {
                items.add(d);
            }
            seen++;
        }
    }

    /** Reads every match of {@code g} in chunks, in the store's order, into {@code w}. */
    private CompletableFuture<Void> scan(Call call, Request.Get g, Visibility visible, Stage.Next next, Window w) {
        CompletableFuture<Void> done = new CompletableFuture<>();
        step(call, g, visible, next, w, 0, done);
        return done;
    }

    // Iterates while chunks complete at once (in-memory store) so the stack never grows with
    // the number of chunks; continues from the callback otherwise.
    private void step(Call call, Request.Get g, Visibility visible, Stage.Next next, Window w, int skip,
                      CompletableFuture<Void> done) {
        int at = skip;
        while (true) {
            Request.Get chunk = visible.needsData()
                    ? new Request.Get(g.target(), g.criteria(), List.of(), g.sort(), CHUNK, at, false)
                    : new Request.Get(g.target(), g.criteria(), g.fields(), g.sort(), CHUNK, at, g.pathsOnly());
            CompletableFuture<Outcome> f = next.proceed(call.with(chunk));
            if (!f.isDone()) {
                int from = at;
                f.whenComplete((o, err) -> {
                    if (err != null) {
                        done.completeExceptionally(err);
                        return;
                    }
                    int resume = take(o, g, visible, w, from);
                    if (resume < 0) {
                        done.complete(null);
                    } else {
                        step(call, g, visible, next, w, resume, done);
                    }
                });
                return;
            }
            Outcome o;
            try {
                o = f.join();
            } catch (RuntimeException e) {
                done.completeExceptionally(e.getCause() != null ? e.getCause() : e);
                return;
            }
            at = take(o, g, visible, w, at);
            if (at < 0) {
                done.complete(null);
                return;
            }
        }
    }

    /** Keeps the visible items of one chunk; returns where the next chunk starts, or -1 at the end. */
    private static int take(Outcome o, Request.Get g, Visibility visible, Window w, int skip) {
        Result.Page p = (Result.Page) o.result();
        for (Document d : p.items()) {
            if (visible.document(d)) {
                w.offer(visible.needsData() ? shaped(d, g) : d);
            }
        }
        int next = skip + p.items().size();
        return p.items().isEmpty() || next >= p.total() ? -1 : next;
    }

    /**
     * Reads log windows (at least {@link #CHUNK} events) from {@code since} on until {@code limit}
     * readable ones are found or the window is exhausted. Only the first read waits.
     */
    private CompletableFuture<Outcome> history(Call call, Request.History h, Visibility visible, Stage.Next next,
                                               Long since, int waitSeconds, List<Event> kept) {
        int size = Math.max(h.limit(), CHUNK);
        Request.History chunk = new Request.History(h.pattern(), since, h.until(), h.sinceTs(), h.untilTs(), size,
                waitSeconds);
        return next.proceed(call.with(chunk)).thenCompose(o -> {
            Result.History page = (Result.History) o.result();
            for (Event e : page.events()) {
                if (kept.size() < h.limit() && visible.event(e)) {
                    kept.add(e);
                }
            }
            List<Event> events = page.events();
            if (kept.size() >= h.limit() || events.size() < size) {
                return CompletableFuture.completedFuture(Outcome.of(new Result.History(kept, page.epoch(), page.offset())));
            }
            return history(call, h, visible, next, events.get(events.size() - 1).offset(), 0, kept);
        });
    }

    /** A whole document as the request asked for it (paths only, or projected to its fields). */
    private static Document shaped(Document d, Request.Get g) {
        if (g.pathsOnly()) {
            return new Document(d.path(), null, d.meta());
        }
        return g.fields().isEmpty() ? d : new Document(d.path(), Projection.apply(d.data(), g.fields()), d.meta());
    }
}
