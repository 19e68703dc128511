package io.switchboard.store.sqlite;

import io.switchboard.core.path.PathMatcher;
import io.switchboard.core.query.Criteria;
import io.switchboard.core.query.SortKey;
import io.switchboard.core.query.plan.Condition;
import io.switchboard.core.query.plan.CriteriaPlan;
import io.switchboard.core.query.plan.FieldRef;
import io.switchboard.core.query.plan.Operand;
import io.switchboard.core.query.plan.PathShape;

import java.util.List;

/**
 * Renders the dialect-neutral plans of core ({@link Condition}, {@link PathShape}) as SQLite SQL
 * over its JSON functions, with exactly the semantics of {@code CriteriaMatcher}. Every leaf is
 * wrapped in {@code coalesce(..., 0)} so it is strictly 0 or 1: SQL's three-valued NULL must
 * never leak into {@code NOT}, because a missing field must satisfy {@code $ne}/{@code $nin}/
 * {@code $not}. Booleans are told apart from numbers by json_type, since json_extract returns
 * them as 1/0. Long {@code $and}/{@code $or} lists become balanced trees and {@code $in} value
 * lists, so a query at the parser's limits stays far below SQLite's expression-depth limit.
 */
final class CriteriaSql {
    /** The largest code point: {@code prefix || MAX} bounds a range scan over a literal prefix. */
    static final String MAX_CHAR = new String(Character.toChars(0x10FFFF));
    private static final String NUMERIC = " IN ('integer', 'real')";

    private CriteriaSql() {
    }

    /** A condition on column {@code path} for a path matcher, range-narrowed by its literal prefix. */
    static SqlFragment target(PathMatcher m) {
        PathShape shape = PathShape.of(m);
        SqlFragment f = new SqlFragment();
        if (shape instanceof PathShape.Everything) {
            return f.sql("1");
        }
        if (shape instanceof PathShape.Exact e) {
            return f.sql("path = ").param(e.path());
        }
        PathShape.Wildcard w = (PathShape.Wildcard) shape;
        if (!w.prefix().isEmpty()) {
            f.sql("path >= ").param(w.prefix()).sql(" AND path < ").param(w.prefix() + MAX_CHAR).sql(" AND ");
        }
        f.sql("path GLOB ").param(glob(w.parts()));
        if (w.slashes() >= 0) {
            f.sql(" AND length(path) - length(replace(path, '/', ''))").sql(w.orMore() ? " >= " : " = ")
                    .param((long) w.slashes());
        }
        return f;
    }

    /** The parts joined by {@code *}, with GLOB's own wildcards in them matched literally. */
    private static String glob(List<String> parts) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < parts.size(); i++) {
            if (i > 0) {
                sb.append('*');
            }
            for (char ch : parts.get(i).toCharArray()) {
                switch (ch) {
                    case '*', '?', '[' -> sb.append('[').append(ch).append(']');
                    default -> sb.append(ch);
                }
            }
        }
        return sb.toString();
    }

    static SqlFragment where(Criteria c) {
        SqlFragment f = new SqlFragment();
        write(CriteriaPlan.of(c), f);
        return f;
    }

    private static void write(Condition c, SqlFragment f) {
        if (c instanceof Condition.Constant k) {
            f.sql(k.value() ? "1" : "0");
        } else if (c instanceof Condition.AllOf all) {
            balanced(all.parts(), 0, all.parts().size(), " AND ", "1", f);
        } else if (c instanceof Condition.AnyOf any) {
            balanced(any.parts(), 0, any.parts().size(), " OR ", "0", f);
        } else if (c instanceof Condition.Negation n) {
            f.sql("NOT (");
            write(n.inner(), f);
            f.sql(")");
        } else if (c instanceof Condition.Present p) {
            f.sql("(");
            SqlField.of(p.field()).type(f);
            f.sql(" IS NOT NULL)");
        } else if (c instanceof Condition.OneOf o) {
            List<Operand> each = o.operands().stream().filter(Operand::elementWise).toList();
            leaf(o.field(), (t, v, out) -> oneOf(t, v, o.operands(), out),
                    each.isEmpty() ? null : (t, v, out) -> oneOf(t, v, each, out), f);
        } else if (c instanceof Condition.Ordered o) {
            Cond cond = (t, v, out) -> ordered(t, v, o, out);
            leaf(o.field(), cond, cond, f);
        } else {
            Condition.Matches m = (Condition.Matches) c;
            Cond cond = (t, v, out) -> out.sql("(").append(t).sql(" = 'text' AND sb_regexp(").param(m.pattern())
                    .sql(", ").param(m.flags()).sql(", ").append(v).sql("))");
            leaf(m.field(), cond, cond, f);
        }
    }

    /** {@code parts[lo, hi)} joined by {@code op} as a balanced tree: depth log2(n), not n. */
    private static void balanced(List<Condition> parts, int lo, int hi, String op, String empty, SqlFragment f) {
        if (hi - lo == 0) {
            f.sql(empty);
        } else if (hi - lo == 1) {
            write(parts.get(lo), f);
        } else {
            int mid = (lo + hi) >>> 1;
            f.sql("(");
            balanced(parts, lo, mid, op, empty, f);
            f.sql(op);
            balanced(parts, mid, hi, op, empty, f);
            f.sql(")");
        }
    }

    /** A condition on one value: {@code t} its json_type, {@code v} its SQL value. */
    @FunctionalInterface
    private interface Cond {
        void render(SqlFragment t, SqlFragment v, SqlFragment out);
    }

    /** {@code whole} on the field's value or, on a data field holding an array, {@code each} on an element. */
    private static void leaf(FieldRef ref, Cond whole, Cond each, SqlFragment f) {
        SqlField r = SqlField.of(ref);
        SqlFragment t = new SqlFragment();
        r.type(t);
        SqlFragment v = new SqlFragment();
        r.value(v);
        f.sql("coalesce((");
        whole.render(t, v, f);
        if (each != null && !r.isColumn()) {
            f.sql(" OR (").append(t).sql(" = 'array' AND EXISTS (SELECT 1 FROM ");
            r.each(f);
            f.sql(" e WHERE ");
            each.render(new SqlFragment().sql("e.type"), new SqlFragment().sql("e.value"), f);
            f.sql("))");
        }
        f.sql("), 0)");
    }

    /** The value equals one of the operands: numbers and strings as IN lists, the rest one by one. */
    private static void oneOf(SqlFragment t, SqlFragment v, List<Operand> operands, SqlFragment f) {
        List<Object> nums = operands.stream().filter(o -> o instanceof Operand.Num)
                .map(o -> ((Operand.Num) o).bind()).toList();
        List<Object> texts = operands.stream().filter(o -> o instanceof Operand.Text)
                .map(o -> (Object) ((Operand.Text) o).value()).toList();
        f.sql("(");
        String sep = "";
        if (!nums.isEmpty()) {
            f.sql("(").append(t).sql(NUMERIC + " AND ").append(v).sql(" IN ").append(list(nums)).sql(")");
            sep = " OR ";
        }
        if (!texts.isEmpty()) {
            f.sql(sep).sql("(").append(t).sql(" = 'text' AND ").append(v).sql(" IN ").append(list(texts)).sql(")");
            sep = " OR ";
        }
        for (Operand o : operands) {
            if (o instanceof Operand.Bool b) {
                f.sql(sep).sql("(").append(t).sql(b.value() ? " = 'true')" : " = 'false')");
            } else if (o instanceof Operand.Null) {
                f.sql(sep).sql("(").append(t).sql(" = 'null')");
            } else if (o instanceof Operand.Structure s) {
                // CASE, not AND: SQLite may evaluate both sides of AND, and v is JSON text only here.
                f.sql(sep).sql("(CASE WHEN ").append(t).sql(s.isArray() ? " = 'array'" : " = 'object'")
                        .sql(" THEN sb_json_eq(").append(v).sql(", ").param(s.json()).sql(") ELSE 0 END)");
            } else {
                continue;
            }
            sep = " OR ";
        }
        f.sql(")");
    }

    private static SqlFragment list(List<Object> values) {
        SqlFragment f = new SqlFragment().sql("(");
        for (int i = 0; i < values.size(); i++) {
            f.sql(i == 0 ? "" : ", ").param(values.get(i));
        }
        return f.sql(")");
    }

    /** Numbers against numbers, strings against strings (by code point: SQLite's BINARY order). */
    private static void ordered(SqlFragment t, SqlFragment v, Condition.Ordered o, SqlFragment f) {
        String op = switch (o.comparison()) {
            case GT -> " > ";
            case GTE -> " >= ";
            case LT -> " < ";
            case LTE -> " <= ";
        };
        if (o.operand() instanceof Operand.Num n) {
            f.sql("(").append(t).sql(NUMERIC + " AND ").append(v).sql(op).param(n.bind()).sql(")");
        } else {
            f.sql("(").append(t).sql(" = 'text' AND ").append(v).sql(op).param(((Operand.Text) o.operand()).value())
                    .sql(")");
        }
    }

    /** ORDER BY in {@code SortOrder}'s order (kind rank, then value), always ending with path. */
    static SqlFragment orderBy(List<SortKey> sort) {
        SqlFragment f = new SqlFragment().sql(" ORDER BY ");
        for (SortKey k : sort) {
            SqlField r = SqlField.of(FieldRef.of(k.field()));
            String dir = k.ascending() ? " ASC, " : " DESC, ";
            if (!r.isColumn()) {
                f.sql("CASE ");
                r.type(f);
                f.sql(" WHEN 'false' THEN 1 WHEN 'true' THEN 2 WHEN 'integer' THEN 3 WHEN 'real' THEN 3"
                        + " WHEN 'text' THEN 4 WHEN 'array' THEN 5 WHEN 'object' THEN 5 ELSE 0 END").sql(dir);
            }
            r.value(f);
            f.sql(dir);
        }
        return f.sql("path ASC");
    }
}
