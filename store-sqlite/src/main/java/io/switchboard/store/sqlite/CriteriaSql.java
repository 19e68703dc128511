package io.switchboard.store.sqlite;

import com.fasterxml.jackson.databind.JsonNode;
import io.switchboard.core.json.Json;
import io.switchboard.core.path.PathMatcher;
import io.switchboard.core.path.Pattern;
import io.switchboard.core.query.Criteria;
import io.switchboard.core.query.SortKey;

import java.util.List;

/**
 * Translates {@link Criteria} into a SQL condition over SQLite's JSON functions with exactly the
 * semantics of {@code CriteriaMatcher}. Every leaf is wrapped in {@code coalesce(..., 0)} so it is
 * strictly 0 or 1: SQL's three-valued NULL must never leak into {@code NOT}, because a missing
 * field must satisfy {@code $ne}/{@code $nin}/{@code $not}. Booleans are told apart from numbers
 * by json_type, since json_extract returns them as 1/0.
 */
final class CriteriaSql {
    /** The largest code point: {@code prefix || MAX} bounds a range scan over a literal prefix. */
    static final String MAX_CHAR = new String(Character.toChars(0x10FFFF));

    private CriteriaSql() {
    }

    /** A condition on column {@code path} for a path matcher, range-narrowed by its literal prefix. */
    static SqlFragment target(PathMatcher m) {
        SqlFragment f = new SqlFragment();
        if (m.isExact()) {
            return f.sql("path = ").param(m.text());
        }
        if (m instanceof Pattern p && p.matchesEverything()) {
            return f.sql("1");
        }
        String prefix = m.literalPrefix();
        if (!prefix.isEmpty()) {
            f.sql("path >= ").param(prefix).sql(" AND path < ").param(prefix + MAX_CHAR).sql(" AND ");
        }
        return f.sql("sb_match(").param(m.mode().name()).sql(", ").param(m.text()).sql(", path)");
    }

    static SqlFragment where(Criteria c) {
        SqlFragment f = new SqlFragment();
        write(c, f);
        return f;
    }

    private static void write(Criteria c, SqlFragment f) {
        if (c instanceof Criteria.All) {
            f.sql("1");
        } else if (c instanceof Criteria.And and) {
            join(and.parts(), " AND ", f);
        } else if (c instanceof Criteria.Or or) {
            join(or.parts(), " OR ", f);
        } else if (c instanceof Criteria.Not not) {
            f.sql("NOT (");
            write(not.inner(), f);
            f.sql(")");
        } else if (c instanceof Criteria.Exists ex) {
            FieldRef r = FieldRef.of(ex.field());
            f.sql("(");
            r.type(f);
            f.sql(ex.exists() ? " IS NOT NULL)" : " IS NULL)");
        } else if (c instanceof Criteria.Compare cmp) {
            if (cmp.op() == Criteria.Op.NE) {
                f.sql("NOT ");
                leaf(FieldRef.of(cmp.field()), Criteria.Op.EQ, cmp.value(), null, f);
            } else {
                leaf(FieldRef.of(cmp.field()), cmp.op(), cmp.value(), null, f);
            }
        } else if (c instanceof Criteria.In in) {
            FieldRef r = FieldRef.of(in.field());
            f.sql(in.negated() ? "NOT (" : "(");
            if (in.values().isEmpty()) {
                f.sql("0");
            }
            for (int i = 0; i < in.values().size(); i++) {
                if (i > 0) {
                    f.sql(" OR ");
                }
                leaf(r, Criteria.Op.EQ, in.values().get(i), null, f);
            }
            f.sql(")");
        } else {
            Criteria.Regex re = (Criteria.Regex) c;
            leaf(FieldRef.of(re.field()), null, null, re, f);
        }
    }

    private static void join(List<Criteria> parts, String op, SqlFragment f) {
        f.sql("(");
        for (int i = 0; i < parts.size(); i++) {
            if (i > 0) {
                f.sql(op);
            }
            write(parts.get(i), f);
        }
        f.sql(")");
    }

    /**
     * One comparison (or regex when {@code re} is set) on the whole value, or, when the value is
     * an array and the operand is not, on any of its elements.
     */
    private static void leaf(FieldRef r, Criteria.Op op, JsonNode operand, Criteria.Regex re, SqlFragment f) {
        f.sql("coalesce((");
        SqlFragment t = new SqlFragment();
        r.type(t);
        SqlFragment v = new SqlFragment();
        r.value(v);
        cond(t, v, op, operand, re, f);
        boolean elementWise = !r.isColumn() && (re != null || !operand.isArray());
        if (elementWise) {
            f.sql(" OR (").append(t).sql(" = 'array' AND EXISTS (SELECT 1 FROM ");
            r.each(f);
            f.sql(" e WHERE ");
            cond(new SqlFragment().sql("e.type"), new SqlFragment().sql("e.value"), op, operand, re, f);
            f.sql("))");
        }
        f.sql("), 0)");
    }

    /** The comparison of one value (type {@code t}, SQL value {@code v}) with the operand. */
    private static void cond(SqlFragment t, SqlFragment v, Criteria.Op op, JsonNode b, Criteria.Regex re,
                             SqlFragment f) {
        if (re != null) {
            f.sql("(").append(t).sql(" = 'text' AND sb_regexp(").param(re.pattern()).sql(", ")
                    .param(re.flags()).sql(", ").append(v).sql("))");
            return;
        }
        String sqlOp = switch (op) {
            case EQ -> " = ";
            case GT -> " > ";
            case GTE -> " >= ";
            case LT -> " < ";
            case LTE -> " <= ";
            default -> throw new IllegalStateException("NE is rewritten as NOT EQ");
        };
        if (b.isNumber()) {
            f.sql("(").append(t).sql(" IN ('integer', 'real') AND ").append(v).sql(sqlOp).param(number(b)).sql(")");
        } else if (b.isTextual()) {
            // Order by UTF-16 code unit like Java (BINARY would order by UTF-8 bytes).
            String collate = op == Criteria.Op.EQ ? "" : " COLLATE sb_utf16";
            f.sql("(").append(t).sql(" = 'text' AND ").append(v).sql(sqlOp).param(b.asText()).sql(collate + ")");
        } else if (op != Criteria.Op.EQ) {
            f.sql("0"); // booleans, null, arrays and objects are never ordered
        } else if (b.isBoolean()) {
            f.sql("(").append(t).sql(b.asBoolean() ? " = 'true')" : " = 'false')");
        } else if (b.isNull()) {
            f.sql("(").append(t).sql(" = 'null')");
        } else {
            String type = b.isArray() ? "'array'" : "'object'";
            // CASE, not AND: SQLite may evaluate both sides of AND, and v is JSON text only here.
            f.sql("(CASE WHEN ").append(t).sql(" = " + type + " THEN sb_json_eq(").append(v).sql(", ")
                    .param(Json.write(b)).sql(") ELSE 0 END)");
        }
    }

    private static Object number(JsonNode b) {
        if (b.isIntegralNumber() && b.canConvertToLong()) {
            return b.longValue();
        }
        return b.doubleValue();
    }

    /** ORDER BY for the sort keys, always ending with path so pages are stable. */
    static SqlFragment orderBy(List<SortKey> sort) {
        SqlFragment f = new SqlFragment().sql(" ORDER BY ");
        for (SortKey k : sort) {
            FieldRef r = FieldRef.of(k.field());
            r.value(f);
            f.sql(k.ascending() ? " ASC, " : " DESC, ");
        }
        return f.sql("path ASC");
    }
}
