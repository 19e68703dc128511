package io.switchboard.store.sqlite;

import com.fasterxml.jackson.databind.JsonNode;
import io.switchboard.core.json.Json;
import io.switchboard.core.model.Document;
import io.switchboard.core.query.CriteriaMatcher;
import io.switchboard.core.query.RegexCache;
import org.sqlite.Function;

import java.sql.Connection;
import java.sql.SQLException;

/**
 * The Java functions registered on every connection, for what SQLite's own SQL cannot say.
 * Criteria plans use them only where SQLite has no native equivalent (a PostgreSQL store uses
 * {@code ~}, {@code jsonb =} and {@code #>} instead):
 * <ul>
 *   <li>{@code sb_regexp(pattern, flags, value)}: RE2 regex with mongo flags, via {@link RegexCache}
 *       (SQLite has no regex engine);</li>
 *   <li>{@code sb_json_eq(a, b)}: structural JSON equality of two JSON texts (objects/arrays);</li>
 *   <li>{@code sb_field(data, field)}: a dotted field as JSON text, for field names SQLite's
 *       JSON path syntax cannot quote.</li>
 * </ul>
 * Path patterns and string order need none: they render as {@code GLOB} plus a slash count and
 * as SQLite's BINARY (code point) order.
 */
final class SqlFunctions {
    private SqlFunctions() {
    }

    static void register(Connection c) throws SQLException {
        Function.create(c, "sb_regexp", new Function() {
            @Override
            protected void xFunc() throws SQLException {
                String v = value_text(2);
                result(v != null && RegexCache.find(value_text(0), value_text(1), v) ? 1 : 0);
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
}
