package io.switchboard.core.engine;

import io.switchboard.core.error.SwitchboardException;
import io.switchboard.core.model.Document;
import io.switchboard.core.model.Event;
import io.switchboard.core.op.Request;
import io.switchboard.core.query.HistoryPage;
import io.switchboard.core.query.HistoryQuery;
import io.switchboard.core.query.Query;
import io.switchboard.core.result.Notice;
import io.switchboard.core.result.Result;
import io.switchboard.core.router.HistoryWaiter;
import io.switchboard.core.router.Router;
import io.switchboard.core.router.Subscription;
import io.switchboard.core.session.Session;
import io.switchboard.core.store.Store;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/** Operations on the live stream and the log: subscribe, unsubscribe, history. */
final class LiveOps {
    private static final Logger LOG = LoggerFactory.getLogger(LiveOps.class);
    /** Events read from the log per page during a subscription's catch-up. */
    static final int REPLAY_PAGE = 1000;

    private final Store store;
    private final Router router;
    private final ScheduledExecutorService timers;
    private final EngineOptions options;
    private final SubscriptionQuota quota;

    LiveOps(Store store, Router router, ScheduledExecutorService timers, EngineOptions options, SubscriptionQuota quota) {
        this.quota = quota;
        this.store = store;
        this.router = router;
        this.timers = timers;
        this.options = options;
    }

    /**
     * Registers the subscription first (buffering live events), then reads the snapshot and
     * decides whether {@code since} can be recovered. The reply goes out before any push: the
     * replay from the log and the switch to live run after it ({@link Outcome#afterReply()}).
     */
    CompletableFuture<Outcome> subscribe(Session session, Request.Subscribe r) {
        if (session.isClosed()) {
            return CompletableFuture.failedFuture(SwitchboardException.unavailable("session is closed", null));
        }
        try {
            quota.acquire(session);
        } catch (SwitchboardException e) {
            return CompletableFuture.failedFuture(e);
        }
        Subscription sub;
        try {
            sub = router.subscribe(session.nextSubscriptionId(), session, r.pattern(), r.events(),
                    r.count(), r.mergeOnly(), r.meta());
        } catch (RuntimeException e) {
            quota.release(session);
            throw e;
        }
        // From here the session owns the slot: dropping the subscription gives it back.
        session.addSubscription(sub);
        if (session.isClosed()) {
            // Closed between the check above and now: its close hook may have run already.
            router.remove(sub);
            session.removeSubscription(sub.id());
            return CompletableFuture.failedFuture(SwitchboardException.unavailable("session is closed", null));
        }
        long offsetAtStart = store.lastOffset();
        String epoch = store.epoch();
        CompletableFuture<List<Document>> snapshot = r.snapshot()
                ? store.query(new Query(r.pattern(), null, null, null, options.maxQueryLimit(), 0, false,
                        options.maxReplyBytes()))
                    .thenApply(res -> res.items())
                : CompletableFuture.completedFuture(null);
        CompletableFuture<Boolean> recoverable = r.sinceOffset() == null
                ? CompletableFuture.completedFuture(null)
                : recoverable(r.sinceOffset(), r.sinceEpoch(), epoch, offsetAtStart);
        return snapshot.thenCombine(recoverable, (items, recovered) -> {
            Result.Subscribed o = new Result.Subscribed(sub.id(), epoch, offsetAtStart, recovered, items);
            Runnable after = Boolean.TRUE.equals(recovered)
                    ? () -> replay(sub, r.sinceOffset())
                    : () -> goLive(sub);
            if (r.sinceOffset() == null || !Boolean.TRUE.equals(recovered)) {
                sub.startAfter(offsetAtStart);
            }
            return new Outcome(o, after);
        }).whenComplete((out, err) -> {
            if (err != null) {
                router.remove(sub);
                session.removeSubscription(sub.id());
            }
        });
    }

    /**
     * True when every event after {@code since} is still in the log of the same epoch. A
     * different epoch, an offset from the future, or one older than retention cannot be.
     */
    private CompletableFuture<Boolean> recoverable(long since, String sinceEpoch, String epoch, long last) {
        if ((sinceEpoch != null && !sinceEpoch.equals(epoch)) || since > last) {
            return CompletableFuture.completedFuture(false);
        }
        return store.firstOffset().thenApply(first -> since >= first - 1);
    }

    /** Pages through the log after {@code since}, delivering, then hands over to live. */
    private void replay(Subscription sub, long since) {
        sub.startAfter(since);
        HistoryQuery q = new HistoryQuery(sub.pattern(), sub.lastDelivered(), null, null, null, REPLAY_PAGE, null);
        store.history(q).whenComplete((events, err) -> {
            if (err != null) {
                failSubscription(sub, err);
                return;
            }
            for (Event e : events) {
                sub.replay(e);
            }
            if (events.size() == REPLAY_PAGE && !sub.isClosed()) {
                long lastRead = events.get(events.size() - 1).offset();
                // Filtered events (wrong type) do not advance lastDelivered; page on from what we read.
                replay(sub, lastRead);
            } else {
                goLive(sub);
            }
        });
    }

    private void goLive(Subscription sub) {
        try {
            sub.goLive();
        } catch (RuntimeException e) {
            failSubscription(sub, e);
        }
    }

    private void failSubscription(Subscription sub, Throwable err) {
        SwitchboardException e = SwitchboardException.of(err);
        LOG.debug("subscription {} failed: {}", sub.id(), e.getMessage());
        router.remove(sub);
        sub.session().removeSubscription(sub.id());
        sub.session().sink().notice(new Notice.SubscriptionEnded(sub.id(), e));
    }

    CompletableFuture<Outcome> unsubscribe(Session session, Request.Unsubscribe r) {
        List<String> removed = new ArrayList<>();
        if (r.subscriptionId() != null) {
            Subscription s = session.removeSubscription(r.subscriptionId());
            if (s == null) {
                return CompletableFuture.failedFuture(SwitchboardException.notFound("no subscription " + r.subscriptionId()));
            }
            router.remove(s);
            removed.add(s.id());
        } else {
            for (Subscription s : List.copyOf(session.subscriptions())) {
                if (s.pattern().text().equals(r.pattern().text()) && s.pattern().mode() == r.pattern().mode()) {
                    session.removeSubscription(s.id());
                    router.remove(s);
                    removed.add(s.id());
                }
            }
        }
        return CompletableFuture.completedFuture(Outcome.of(new Result.Unsubscribed(removed)));
    }

    /**
     * Reads a window of the log. With {@code wait}, registers a waiter before reading so an
     * event committed in between is not missed, and answers as soon as one matching event exists.
     */
    CompletableFuture<Outcome> history(Request.History r) {
        HistoryQuery q = new HistoryQuery(r.pattern(), r.since(), r.until(), r.sinceTs(), r.untilTs(), r.limit(), null,
                options.maxReplyBytes());
        if (r.waitSeconds() <= 0) {
            return store.historyPage(q).thenApply(this::historyResult);
        }
        HistoryWaiter waiter = new HistoryWaiter(r.pattern());
        router.addWaiter(waiter);
        return store.historyPage(q).thenCompose(page -> {
            if (!page.events().isEmpty()) {
                router.removeWaiter(waiter);
                return CompletableFuture.completedFuture(historyResult(page));
            }
            var timeout = timers.schedule(waiter::timeout, r.waitSeconds(), TimeUnit.SECONDS);
            return waiter.fired().thenCompose(fired -> {
                timeout.cancel(false);
                router.removeWaiter(waiter);
                return fired ? store.historyPage(q).thenApply(this::historyResult)
                        : CompletableFuture.completedFuture(historyResult(new HistoryPage(List.of(), false)));
            });
        }).whenComplete((o, err) -> {
            if (err != null) {
                router.removeWaiter(waiter);
            }
        });
    }

    private Outcome historyResult(HistoryPage page) {
        return Outcome.of(new Result.History(page.events(), store.epoch(), store.lastOffset(), page.more()));
    }
}
