package io.switchboard.store.sqlite;

import com.fasterxml.jackson.databind.JsonNode;
import io.switchboard.core.json.Json;
import io.switchboard.core.model.Document;
import io.switchboard.core.path.PathMatcher;
import io.switchboard.core.query.CriteriaMatcher;
import io.switchboard.core.query.RegexCache;
import org.sqlite.Collation;
import org.sqlite.Function;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Java functions registered on every connection, for what SQLite's own functions can't say
 * with the exact semantics of the core matchers:
 * <ul>
 *   <li>collation {@code sb_utf16}: Java's String order, for {@code $gt}/{@code $lt} on strings;</li>
 *   <li>{@code sb_match(mode, text, path)}: {@link PathMatcher} matching (segment or glob);</li>
 *   <li>{@code sb_regexp(pattern, flags, value)}: Java regex with mongo flags, via {@link RegexCache};</li>
 *   <li>{@code sb_json_eq(a, b)}: structural JSON equality of two JSON texts (objects/arrays);</li>
 *   <li>{@code sb_field(data, field)}: a dotted field as JSON text, for field names SQLite's
 *       JSON path syntax cannot quote.</li>
 * </ul>
 */
final class SqlFunctions {
    private static final int MAX_CACHED = 4096;
    private static final Map<String, PathMatcher> MATCHERS = new ConcurrentHashMap<>();

    private SqlFunctions() {
    }

    static void register(Connection c) throws SQLException {
        Collation.create(c, "sb_utf16", new Collation() {
            @Override
            protected int xCompare(String a, String b) {
                return a.compareTo(b);
            }
        });
        Function.create(c, "sb_match", new Function() {
            @Override
            protected void xFunc() throws SQLException {
                String path = value_text(2);
                result(path != null && matcher(value_text(0), value_text(1)).matches(path) ? 1 : 0);
            }
        }, 3, Function.FLAG_DETERMINISTIC);
        Function.create(c, "sb_regexp", new Function() {
            @Override
            protected void xFunc() throws SQLException {
                String v = value_text(2);
                result(v != null && RegexCache.compile(value_text(0), value_text(1)).matcher(v).find() ? 1 : 0);
            }
        }, 3, Function.FLAG_DETERMINISTIC);
        Function.create(c, "sb_json_eq", new Function() {
            @Override
            protected void xFunc() throws SQLException {
                String a = value_text(0);
                String b = value_text(1);
                boolean eq;
                try {
                    eq = a != null && b != null && Json.parseTrusted(a).equals(Json.parseTrusted(b));
                } catch (RuntimeException notJson) {
                    eq = false; // a plain SQL text value is never equal to an object or array
                }
                result(eq ? 1 : 0);
            }
        }, 2, Function.FLAG_DETERMINISTIC);
        Function.create(c, "sb_field", new Function() {
            @Override
            protected void xFunc() throws SQLException {
                String data = value_text(0);
                JsonNode v = data == null ? null
                        : CriteriaMatcher.resolve(new Document("", Json.parseTrusted(data), null), value_text(1));
                if (v == null) {
                    result();
                } else {
                    result(Json.write(v));
                }
            }
        }, 2, Function.FLAG_DETERMINISTIC);
    }

    /** Compiled matchers are cached: a query calls sb_match once per candidate row. */
    static PathMatcher matcher(String mode, String text) {
        String key = mode + ':' + text;
        PathMatcher m = MATCHERS.get(key);
        if (m == null) {
            m = PathMatcher.compile(PathMatcher.Mode.valueOf(mode), text, "pattern");
            if (MATCHERS.size() >= MAX_CACHED) {
                MATCHERS.clear();
            }
            MATCHERS.put(key, m);
        }
        return m;
    }
}
