package io.switchboard.store.postgres;

import com.fasterxml.jackson.databind.JsonNode;
import io.switchboard.core.json.Json;
import io.switchboard.core.model.DocMeta;
import io.switchboard.core.model.Document;
import io.switchboard.core.path.PathMatcher;
import io.switchboard.core.query.Criteria;
import io.switchboard.core.query.CriteriaMatcher;
import io.switchboard.core.query.Projection;
import io.switchboard.core.query.Query;
import io.switchboard.core.query.QueryResult;
import io.switchboard.core.query.ReplyBudget;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Document reads: get by path, filtered/sorted/paged queries and counts in SQL. Criteria with a
 * regex narrow in SQL and finish in Java (see {@link PgCriteriaSql}); then the sorted rows stream
 * through the matcher and the page is cut in Java.
 */
final class PgDocumentReader {
    private static final String COLUMNS = "path, body, created, modified, version, modified_by";
    /** Rows fetched per round trip when rows stream through the Java re-check. */
    private static final int FETCH = 500;

    private PgDocumentReader() {
    }

    static Optional<Document> get(Connection c, String path) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT " + COLUMNS + " FROM documents WHERE path = ?")) {
            ps.setString(1, path);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(row(rs, true)) : Optional.empty();
            }
        }
    }

    static long count(Connection c, PathMatcher target, Criteria criteria) throws SQLException {
        PgCriteriaSql.Where w = PgCriteriaSql.where(criteria);
        if (w.recheck()) {
            return scan(c, target, criteria, w, new PgFragment(), 0, null, false, null, null);
        }
        PgFragment f = new PgFragment().sql("SELECT COUNT(*) FROM documents WHERE ")
                .append(PgCriteriaSql.target(target)).sql(" AND ").append(w.sql());
        try (PreparedStatement ps = c.prepareStatement(f.text())) {
            f.bind(ps, 1);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    /** The page and the total come from one snapshot (the caller's REPEATABLE READ transaction). */
    static QueryResult query(Connection c, Query q) throws SQLException {
        PgCriteriaSql.Where w = PgCriteriaSql.where(q.criteria());
        if (w.recheck()) {
            List<Document> items = new ArrayList<>();
            long total = scan(c, q.target(), q.criteria(), w, PgCriteriaSql.orderBy(q.sort()), Math.max(0, q.skip()),
                    q.limit(), !q.pathsOnly(), items, new ReplyBudget(q.maxBytes()));
            return new QueryResult(project(items, q), total);
        }
        long total = count(c, q.target(), q.criteria());
        boolean withData = !q.pathsOnly();
        PgFragment f = new PgFragment()
                .sql("SELECT path, " + (withData ? "body" : "NULL") + ", created, modified, version, modified_by"
                        + " FROM documents WHERE ")
                .append(PgCriteriaSql.target(q.target())).sql(" AND ").append(w.sql())
                .append(PgCriteriaSql.orderBy(q.sort()))
                .sql(" LIMIT ").param(q.limit() == null ? null : (long) q.limit())
                .sql(" OFFSET ").param((long) Math.max(0, q.skip()));
        List<Document> out = new ArrayList<>();
        ReplyBudget budget = new ReplyBudget(q.maxBytes());
        try (PreparedStatement ps = c.prepareStatement(f.text())) {
            f.bind(ps, 1);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    // Before parsing: a page over limits.maxReplyBytes fails without being built.
                    budget.spend(rs.getString(1), withData ? rs.getString(2) : null);
                    out.add(row(rs, withData));
                }
            }
        }
        return new QueryResult(project(out, q), total);
    }

    /**
     * Streams the SQL-narrowed rows (in {@code order}) through the full criteria; counts every
     * match and, when {@code page} is given, keeps those from {@code skip} up to {@code limit}.
     */
    private static long scan(Connection c, PathMatcher target, Criteria criteria, PgCriteriaSql.Where w,
                             PgFragment order, int skip, Integer limit, boolean withData, List<Document> page,
                             ReplyBudget budget)
            throws SQLException {
        PgFragment f = new PgFragment().sql("SELECT " + COLUMNS + " FROM documents WHERE ")
                .append(PgCriteriaSql.target(target)).sql(" AND ").append(w.sql()).append(order);
        long total = 0;
        try (PreparedStatement ps = c.prepareStatement(f.text())) {
            ps.setFetchSize(FETCH);
            f.bind(ps, 1);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    Document d = row(rs, true);
                    if (!CriteriaMatcher.matches(criteria, d)) {
                        continue;
                    }
                    if (page != null && total >= skip && (limit == null || page.size() < limit)) {
                        budget.spend(d.path(), withData ? Json.write(d.data()) : null);
                        page.add(withData ? d : new Document(d.path(), null, d.meta()));
                    }
                    total++;
                }
            }
        }
        return total;
    }

    private static List<Document> project(List<Document> items, Query q) {
        if (q.pathsOnly() || q.fields().isEmpty()) {
            return items;
        }
        List<Document> out = new ArrayList<>(items.size());
        for (Document d : items) {
            out.add(new Document(d.path(), Projection.apply(d.data(), q.fields()), d.meta()));
        }
        return out;
    }

    static Document row(ResultSet rs, boolean withData) throws SQLException {
        JsonNode data = withData ? Json.parseTrusted(rs.getString(2)) : null;
        return new Document(rs.getString(1), data,
                new DocMeta(rs.getLong(3), rs.getLong(4), rs.getLong(5), rs.getString(6)));
    }
}
