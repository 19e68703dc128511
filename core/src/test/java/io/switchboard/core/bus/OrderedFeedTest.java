package io.switchboard.core.bus;

import io.switchboard.core.model.Event;
import io.switchboard.core.model.EventType;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The ordered feed against a log: whatever the bus does to the envelopes (reorder, duplicate,
 * drop), every offset is released exactly once and in order, and dropped ones come from the log.
 */
class OrderedFeedTest {
    private final ExecutorService dispatcher = Executors.newSingleThreadExecutor();
    private final ScheduledExecutorService timers = Executors.newSingleThreadScheduledExecutor();

    /** The log: every committed event, readable like the store's history. */
    static final class Log implements LogReader {
        final ConcurrentSkipListMap<Long, Event> events = new ConcurrentSkipListMap<>();
        final AtomicInteger reads = new AtomicInteger();
        volatile long first = 1;

        void append(Event e) {
            events.put(e.offset(), e);
        }

        @Override
        public CompletableFuture<List<Event>> read(long after, long until, int limit) {
            reads.incrementAndGet();
            List<Event> out = new ArrayList<>();
            for (Event e : events.subMap(after, false, until, true).values()) {
                if (out.size() == limit) {
                    break;
                }
                out.add(e);
            }
            // Completed on another thread, as a store's reader pool does.
            return CompletableFuture.supplyAsync(() -> out);
        }

        @Override
        public CompletableFuture<Long> firstOffset() {
            return CompletableFuture.completedFuture(first);
        }
    }

    @AfterEach
    void stop() {
        dispatcher.shutdownNow();
        timers.shutdownNow();
    }

    static Event event(long offset) {
        return new Event(offset, null, EventType.PUBLISH, "/f/" + offset, null, null, null, offset, null);
    }

    static Envelope envelope(long first, int n) {
        List<Event> es = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            es.add(event(first + i));
        }
        return new Envelope("node", "w" + first, Envelope.Tracking.NONE, es);
    }

    private List<Long> released(OrderedFeed[] holder, Log log, long start) {
        List<Long> out = new CopyOnWriteArrayList<>();
        holder[0] = new OrderedFeed(log, start, dispatcher, timers, batch -> {
            for (Envelope env : batch) {
                env.events().forEach(e -> out.add(e.offset()));
            }
        });
        return out;
    }

    private static List<Long> range(long from, long to) {
        List<Long> r = new ArrayList<>();
        for (long i = from; i <= to; i++) {
            r.add(i);
        }
        return r;
    }

    @Test
    void inOrderEnvelopesPassStraightThrough() {
        Log log = new Log();
        OrderedFeed[] feed = new OrderedFeed[1];
        List<Long> out = released(feed, log, 0);
        for (int i = 1; i <= 50; i += 2) {
            Envelope e = envelope(i, 2);
            e.events().forEach(log::append);
            feed[0].accept(List.of(e));
        }
        await().atMost(Duration.ofSeconds(5)).until(() -> out.size() == 50);
        assertThat(out).containsExactlyElementsOf(range(1, 50));
        assertThat(log.reads.get()).isZero();
    }

    @Test
    void aHoleIsFilledFromTheLogBeforeAnythingLater() {
        Log log = new Log();
        OrderedFeed[] feed = new OrderedFeed[1];
        List<Long> out = released(feed, log, 10);
        for (long o = 11; o <= 20; o++) {
            log.append(event(o));
        }
        feed[0].accept(List.of(envelope(11, 2)));
        // 13..17 never arrive over the bus; 18..20 arrive, 18 twice
        feed[0].accept(List.of(envelope(18, 1), envelope(19, 2), envelope(18, 1)));
        await().atMost(Duration.ofSeconds(5)).until(() -> out.size() == 10);
        assertThat(out).containsExactlyElementsOf(range(11, 20));
        assertThat(feed[0].filledFromLog()).isEqualTo(5);
        // the lost envelopes arriving late are duplicates now
        feed[0].accept(List.of(envelope(13, 5), envelope(11, 1)));
        feed[0].hint(20);
        await().atMost(Duration.ofSeconds(5)).until(() -> feed[0].duplicates() >= 2);
        assertThat(out).containsExactlyElementsOf(range(11, 20));
    }

    @Test
    void aLostTailIsFoundFromTheHeadHint() {
        Log log = new Log();
        OrderedFeed[] feed = new OrderedFeed[1];
        List<Long> out = released(feed, log, 0);
        for (long o = 1; o <= 5; o++) {
            log.append(event(o));
        }
        feed[0].accept(List.of(envelope(1, 2)));
        feed[0].hint(5);
        await().atMost(Duration.ofSeconds(5)).until(() -> out.size() == 5);
        assertThat(out).containsExactlyElementsOf(range(1, 5));
    }

    @Test
    void eventsNotYetVisibleInTheLogAreRetriedNotSkipped() {
        Log log = new Log();
        OrderedFeed[] feed = new OrderedFeed[1];
        List<Long> out = released(feed, log, 0);
        log.append(event(1));
        feed[0].accept(List.of(envelope(1, 1), envelope(3, 1)));
        await().atMost(Duration.ofSeconds(5)).until(() -> log.reads.get() >= 2);
        assertThat(out).containsExactly(1L);
        log.append(event(2));
        log.append(event(3));
        await().atMost(Duration.ofSeconds(5)).until(() -> out.size() == 3);
        assertThat(out).containsExactly(1L, 2L, 3L);
    }

    @Test
    void offsetsRetentionRemovedAreGivenUpWithoutBlockingTheRest() {
        Log log = new Log();
        OrderedFeed[] feed = new OrderedFeed[1];
        List<Long> out = released(feed, log, 0);
        log.first = 4;
        log.append(event(4));
        log.append(event(5));
        feed[0].accept(List.of(envelope(5, 1)));
        await().atMost(Duration.ofSeconds(5)).until(() -> out.size() == 2);
        assertThat(out).containsExactly(4L, 5L);
    }

    /** Reordered, duplicated and dropped envelopes: exactly once, in order, holes from the log. */
    @Property(tries = 60)
    void anyBusMisbehaviourIsRepaired(@ForAll @IntRange(min = 1, max = 300) int writes,
                                      @ForAll @IntRange(min = 0, max = 40) int dropPercent,
                                      @ForAll long seed) {
        ExecutorService d = Executors.newSingleThreadExecutor();
        ScheduledExecutorService t = Executors.newSingleThreadScheduledExecutor();
        try {
            Random rnd = new Random(seed);
            Log log = new Log();
            List<Envelope> sent = new ArrayList<>();
            long next = 1;
            for (int i = 0; i < writes; i++) {
                Envelope e = envelope(next, 1 + rnd.nextInt(3));
                e.events().forEach(log::append);
                next = e.lastOffset() + 1;
                if (rnd.nextInt(100) >= dropPercent) {
                    sent.add(e);
                    if (rnd.nextInt(10) == 0) {
                        sent.add(e);
                    }
                }
            }
            Collections.shuffle(sent, rnd);
            long last = next - 1;
            List<Long> out = new CopyOnWriteArrayList<>();
            OrderedFeed feed = new OrderedFeed(log, 0, d, t, batch -> batch.forEach(env ->
                    env.events().forEach(e -> out.add(e.offset()))));
            int at = 0;
            while (at < sent.size()) {
                int n = 1 + rnd.nextInt(4);
                feed.accept(List.copyOf(sent.subList(at, Math.min(sent.size(), at + n))));
                at += n;
            }
            feed.hint(last);
            await().atMost(Duration.ofSeconds(20)).until(() -> out.size() >= last);
            d.submit(() -> { }).get(5, TimeUnit.SECONDS);
            assertThat(out).containsExactlyElementsOf(range(1, last));
        } catch (Exception e) {
            throw new AssertionError(e);
        } finally {
            d.shutdownNow();
            t.shutdownNow();
        }
    }
}
