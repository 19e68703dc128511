package io.switchboard.store.postgres;

import io.switchboard.core.testing.CuttableProxy;
import io.switchboard.core.error.ErrorCode;
import io.switchboard.core.error.SwitchboardException;
import io.switchboard.core.json.Json;
import io.switchboard.core.store.WriteOp;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * PostgreSQL going away and coming back: the store turns unhealthy (so {@code /ready} says 503)
 * without any traffic, writes fail UNAVAILABLE, and it heals by itself once the database is back.
 */
class OutageTest {
    private final String schema = PgTestDb.newSchema();
    private PostgresStore store;

    @BeforeAll
    static void needsPostgres() {
        PgTestDb.assumeReachable();
    }

    @AfterEach
    void cleanUp() {
        if (store != null) {
            store.close();
        }
        PgTestDb.drop(schema);
    }

    private static WriteOp set(String path) {
        return new WriteOp.Set(path, Json.parseTrusted("1"), false, null, null, "t", false, false, 1);
    }

    @Test
    void unhealthyWhileTheDatabaseIsGoneAndHealsAfter() throws Exception {
        try (CuttableProxy proxy = new CuttableProxy(5432)) {
            PostgresOptions o = PgTestDb.options(schema);
            store = new PostgresStore(new PostgresOptions("jdbc:postgresql://127.0.0.1:" + proxy.port() + "/test",
                    o.user(), null, o.poolSize(), schema, o.maxBatch()));
            store.open();
            store.write(set("/o/before")).get(10, TimeUnit.SECONDS);
            assertThat(store.isHealthy()).isTrue();

            proxy.cut();
            await().atMost(Duration.ofSeconds(20)).until(() -> !store.isHealthy());
            try {
                store.write(set("/o/during")).get(30, TimeUnit.SECONDS);
                throw new AssertionError("a write while the database is gone must fail");
            } catch (java.util.concurrent.ExecutionException e) {
                assertThat(SwitchboardException.of(e).code()).isEqualTo(ErrorCode.UNAVAILABLE);
            }

            proxy.restore();
            await().atMost(Duration.ofSeconds(30)).until(store::isHealthy);
            long off = store.write(set("/o/after")).get(10, TimeUnit.SECONDS).event().offset();
            assertThat(store.get("/o/before").get(10, TimeUnit.SECONDS)).isPresent();
            assertThat(store.get("/o/during").get(10, TimeUnit.SECONDS)).isEmpty();
            assertThat(off).isEqualTo(store.lastOffset());
        }
    }
}
