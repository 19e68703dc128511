package io.switchboard.store.postgres;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The scheduler's leader among nodes sharing one schema: exactly one store of three leads, a
 * cluster in another schema elects its own, and when the leader closes — or its database
 * session is ended under it, as when its process dies — another node takes the lead.
 */
class SchedulerLeadTest {
    private final String schema = PgTestDb.newSchema();
    private final String other = PgTestDb.newSchema();
    private final List<PostgresStore> stores = new ArrayList<>();

    @BeforeAll
    static void needsPostgres() {
        PgTestDb.assumeReachable();
    }

    @AfterEach
    void cleanUp() {
        stores.forEach(PostgresStore::close);
        PgTestDb.drop(schema);
        PgTestDb.drop(other);
    }

    private PostgresStore open(String s) {
        PostgresStore store = new PostgresStore(PgTestDb.options(s));
        store.open();
        stores.add(store);
        return store;
    }

    /** The backend holding this cluster's lead, if any. */
    private Integer holder() throws Exception {
        try (Connection c = PgTestDb.connect(); PreparedStatement ps = c.prepareStatement(
                "SELECT l.pid FROM pg_locks l JOIN pg_namespace n ON n.oid = l.objid"
                        + " WHERE l.locktype = 'advisory' AND l.classid = 21314 AND l.granted AND n.nspname = ?")) {
            ps.setString(1, schema);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? rs.getInt(1) : null;
            }
        }
    }

    private long leaders(List<PostgresStore> of) {
        return of.stream().filter(s -> s.schedulerLead().leads()).count();
    }

    @Test
    void oneNodeLeadsAndAnotherTakesOverWhenItGoes() throws Exception {
        List<PostgresStore> cluster = new ArrayList<>(List.of(open(schema), open(schema), open(schema)));
        assertThat(cluster.get(0).schedulerLead().leads()).as("the first node leads from its start").isTrue();
        assertThat(leaders(cluster)).isEqualTo(1);
        PostgresStore elsewhere = open(other);
        assertThat(elsewhere.schedulerLead().leads()).as("another schema is another cluster").isTrue();

        PostgresStore first = cluster.remove(0);
        first.close();
        await().until(() -> leaders(cluster) == 1);

        // the leader's session ends without a goodbye (its process died, or the database dropped it)
        Integer held = holder();
        assertThat(held).isNotNull();
        try (Connection c = PgTestDb.connect(); PreparedStatement ps = c.prepareStatement("SELECT pg_terminate_backend(?)")) {
            ps.setInt(1, held);
            ps.execute();
        }
        await().until(() -> {
            Integer now = holder();
            return now != null && !now.equals(held) && leaders(cluster) == 1;
        });
    }
}
