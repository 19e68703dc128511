package io.switchboard.store.postgres;

import io.switchboard.core.model.Document;
import io.switchboard.core.model.Event;
import io.switchboard.core.path.Pattern;
import io.switchboard.core.query.Criteria;
import io.switchboard.core.query.HistoryQuery;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * kill -9 durability on PostgreSQL: a child JVM acknowledges writes; after SIGKILL at a random
 * moment every acknowledged write must be in the store, intact, with a consistent log and a log
 * head equal to its newest event (a batch cut off mid-transaction left no trace).
 */
class PostgresCrashTest {
    private final String schema = PgTestDb.newSchema();

    @BeforeAll
    static void needsPostgres() {
        PgTestDb.assumeReachable();
    }

    @AfterEach
    void dropSchema() {
        PgTestDb.drop(schema);
    }

    @Test
    void acknowledgedWritesSurviveKill9() throws Exception {
        long lastOffset = 0;
        for (int round = 0; round < 3; round++) {
            List<String> acked = runAndKill("r" + round, 200 + ThreadLocalRandom.current().nextInt(600));
            assertThat(acked).hasSizeGreaterThanOrEqualTo(200);
            PostgresStore store = new PostgresStore(PgTestDb.options(schema));
            store.open();
            try {
                for (String path : acked) {
                    Document d = store.get(path).get(10, TimeUnit.SECONDS).orElse(null);
                    assertThat(d).as(path).isNotNull();
                    String[] seg = path.split("/");
                    assertThat(d.data().get("w").asInt()).isEqualTo(Integer.parseInt(seg[3]));
                    assertThat(d.data().get("i").asLong()).isEqualTo(Long.parseLong(seg[4]));
                }
                // one set event per stored document, in offset order, above every earlier round
                Pattern mine = Pattern.compile("/crash/r" + round + "/**", "p");
                List<Event> log = store.history(new HistoryQuery(mine, null, null, null, null, 0, null))
                        .get(30, TimeUnit.SECONDS);
                long docs = store.count(mine, Criteria.ALL).get(30, TimeUnit.SECONDS);
                assertThat((long) log.size()).isEqualTo(docs);
                assertThat(log).extracting(Event::offset).isSorted().doesNotHaveDuplicates();
                assertThat(log.get(0).offset()).isGreaterThan(lastOffset);
                assertThat(store.lastOffset()).isEqualTo(log.get(log.size() - 1).offset());
                lastOffset = store.lastOffset();
            } finally {
                store.close();
            }
        }
    }

    /** Starts the writer child, reads acknowledgements until {@code killAfter}, then SIGKILLs it. */
    private List<String> runAndKill(String tag, int killAfter) throws Exception {
        String java = ProcessHandle.current().info().command().orElse("java");
        Process p = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"),
                PgCrashWriterMain.class.getName(), schema, "8", tag)
                .redirectError(ProcessBuilder.Redirect.DISCARD).start();
        List<String> acked = new ArrayList<>();
        try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
            String line = r.readLine();
            assertThat(line).as("child started").isEqualTo("ready");
            while (acked.size() < killAfter && (line = r.readLine()) != null) {
                acked.add(line);
            }
        } finally {
            // SIGKILL on Linux: no shutdown hooks, no close(). PostgreSQL rolls back the child's
            // open transaction when its connections drop.
            p.destroyForcibly();
            p.waitFor(30, TimeUnit.SECONDS);
        }
        return acked;
    }
}
