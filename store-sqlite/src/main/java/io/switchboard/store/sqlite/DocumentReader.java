package io.switchboard.store.sqlite;

import com.fasterxml.jackson.databind.JsonNode;
import io.switchboard.core.json.Json;
import io.switchboard.core.model.DocMeta;
import io.switchboard.core.model.Document;
import io.switchboard.core.path.PathMatcher;
import io.switchboard.core.query.Criteria;
import io.switchboard.core.query.Query;
import io.switchboard.core.query.QueryResult;

import io.switchboard.core.query.ReplyBudget;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** Document reads: get by path, filtered/sorted/paged queries and counts, all in SQL. */
final class DocumentReader {
    private static final String COLUMNS = "path, data, created, modified, version, modified_by";

    private DocumentReader() {
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
        SqlFragment f = new SqlFragment().sql("SELECT COUNT(*) FROM documents WHERE ")
                .append(CriteriaSql.target(target)).sql(" AND ").append(CriteriaSql.where(criteria));
        try (PreparedStatement ps = c.prepareStatement(f.text())) {
            f.bind(ps, 1);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    /** The page and the total run in one read transaction, so they agree with each other. */
    static QueryResult query(Connection c, Query q) throws SQLException {
        try (Statement s = c.createStatement()) {
            s.execute("BEGIN");
            try {
                long total = count(c, q.target(), q.criteria());
                List<Document> items = page(c, q);
                return new QueryResult(items, total);
            } finally {
                s.execute("COMMIT");
            }
        }
    }

    private static List<Document> page(Connection c, Query q) throws SQLException {
        boolean withData = !q.pathsOnly();
        SqlFragment f = new SqlFragment()
                .sql("SELECT path, " + (withData ? "data" : "NULL") + ", created, modified, version, modified_by"
                        + " FROM documents WHERE ")
                .append(CriteriaSql.target(q.target())).sql(" AND ").append(CriteriaSql.where(q.criteria()))
                .append(CriteriaSql.orderBy(q.sort()))
                .sql(" LIMIT ").param(q.limit() == null ? -1L : (long) q.limit())
                .sql(" OFFSET ").param((long) Math.max(0, q.skip()));
        List<Document> out = new ArrayList<>();
        ReplyBudget budget = new ReplyBudget(q.maxBytes());
        try (PreparedStatement ps = c.prepareStatement(f.text())) {
            f.bind(ps, 1);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    // Before parsing: a page over the bound fails without being built. (With
                    // fields, the whole document counts; a projection is usually smaller.)
                    budget.spend(rs.getString(1), withData ? rs.getString(2) : null);
                    Document d = row(rs, withData);
                    if (withData && !q.fields().isEmpty()) {
                        d = new Document(d.path(), io.switchboard.core.query.Projection.apply(d.data(), q.fields()), d.meta());
                    }
                    out.add(d);
                }
            }
        }
        return out;
    }

    static Document row(ResultSet rs, boolean withData) throws SQLException {
        JsonNode data = withData ? Json.parseTrusted(rs.getString(2)) : null;
        return new Document(rs.getString(1), data,
                new DocMeta(rs.getLong(3), rs.getLong(4), rs.getLong(5), rs.getString(6)));
    }
}
