package io.switchboard.store.postgres;

import io.switchboard.core.error.ErrorCode;
import io.switchboard.core.error.SwitchboardException;
import io.switchboard.core.json.Json;
import io.switchboard.core.model.Event;
import io.switchboard.core.path.Pattern;
import io.switchboard.core.query.HistoryQuery;
import io.switchboard.core.store.WriteOp;
import io.switchboard.core.store.WriteResult;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Two stores on one schema behave as two nodes of one cluster: one epoch, one offset sequence
 * without gaps or duplicates, and a reader tailing the log never sees an offset commit after a
 * higher one (offsets follow commit order). Also: a value jsonb cannot hold fails only its write.
 */
class SharedLogTest {
    private final String schema = PgTestDb.newSchema();
    private final List<PostgresStore> stores = new ArrayList<>();

    @BeforeAll
    static void needsPostgres() {
        PgTestDb.assumeReachable();
    }

    @AfterEach
    void cleanUp() {
        stores.forEach(PostgresStore::close);
        PgTestDb.drop(schema);
    }

    private PostgresStore open() {
        PostgresStore s = new PostgresStore(PgTestDb.options(schema));
        s.open();
        stores.add(s);
        return s;
    }

    @Test
    void twoNodesShareOneOrderedSequence() throws Exception {
        PostgresStore a = open();
        PostgresStore b = open();
        assertThat(b.epoch()).isEqualTo(a.epoch());
        AtomicBoolean writing = new AtomicBoolean(true);
        List<Long> tailed = new ArrayList<>();
        Pattern all = Pattern.compile("/n/**", "p");
        Thread tail = new Thread(() -> {
            long since = 0;
            while (true) {
                boolean last = !writing.get();
                List<Event> page = b.history(new HistoryQuery(all, since, null, null, null, 0, null)).join();
                for (Event e : page) {
                    tailed.add(e.offset());
                    since = e.offset();
                }
                if (last && page.isEmpty()) {
                    return;
                }
            }
        });
        tail.start();
        List<CompletableFuture<WriteResult>> writes = new ArrayList<>();
        for (int i = 0; i < 3000; i++) {
            PostgresStore node = i % 2 == 0 ? a : b;
            writes.add(node.write(new WriteOp.Set("/n/" + (i % 2) + "/" + i, Json.parseTrusted("{\"i\":" + i + "}"),
                    false, null, null, "t", false, false, i)));
        }
        for (CompletableFuture<WriteResult> w : writes) {
            w.get(60, TimeUnit.SECONDS);
        }
        writing.set(false);
        tail.join(TimeUnit.SECONDS.toMillis(60));
        long first = tailed.get(0);
        // every offset once, and a tail that only ever asks "after the highest I saw" missed none
        assertThat(tailed).hasSize(3000).isSorted().doesNotHaveDuplicates();
        assertThat(tailed.get(tailed.size() - 1)).isEqualTo(first + 2999);
        assertThat(Math.max(a.lastOffset(), b.lastOffset())).isEqualTo(first + 2999);
    }

    @Test
    void aValueJsonbCannotHoldFailsOnlyItsOwnWrite() throws Exception {
        PostgresStore s = open();
        List<CompletableFuture<WriteResult>> good = new ArrayList<>();
        CompletableFuture<WriteResult> bad = null;
        for (int i = 0; i < 50; i++) {
            good.add(s.write(new WriteOp.Set("/u/" + i, Json.parseTrusted("{\"i\":" + i + "}"), false, null, null,
                    "t", false, false, i)));
            if (i == 25) {
                bad = s.write(new WriteOp.Set("/u/nul", Json.parseTrusted("{\"s\":\"a\\u0000b\"}"), false, null, null,
                        "t", false, false, i));
            }
        }
        long prev = 0;
        for (CompletableFuture<WriteResult> f : good) {
            long off = f.get(30, TimeUnit.SECONDS).event().offset();
            assertThat(off).isEqualTo(prev == 0 ? off : prev + 1);
            prev = off;
        }
        try {
            bad.get(30, TimeUnit.SECONDS);
            throw new AssertionError("expected BAD_REQUEST");
        } catch (ExecutionException e) {
            assertThat(SwitchboardException.of(e).code()).isEqualTo(ErrorCode.BAD_REQUEST);
        }
        assertThat(s.get("/u/nul").get(10, TimeUnit.SECONDS)).isEmpty();
        assertThat(s.isHealthy()).isTrue();
    }
}
