package io.switchboard.store.postgres;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.BooleanNode;
import com.fasterxml.jackson.databind.node.DecimalNode;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import io.switchboard.core.json.Json;
import io.switchboard.core.path.PathMatcher;
import io.switchboard.core.query.Criteria;
import io.switchboard.core.query.SortKey;
import io.switchboard.core.query.plan.Condition;
import io.switchboard.core.query.plan.CriteriaPlan;
import io.switchboard.core.query.plan.FieldRef;
import io.switchboard.core.query.plan.Operand;
import io.switchboard.core.query.plan.PathShape;

import java.util.ArrayList;
import java.util.List;

/**
 * Renders core's dialect-neutral plans ({@link Condition}, {@link PathShape}) as PostgreSQL over
 * jsonb, with the semantics of {@code CriteriaMatcher}. Every leaf is wrapped in
 * {@code coalesce(..., false)} so SQL's NULL never reaches a {@code NOT} (a missing field must
 * satisfy {@code $ne}); casts sit behind {@code CASE} on {@code jsonb_typeof}, because
 * PostgreSQL does not promise to evaluate {@code AND} left to right. Equality is jsonb's
 * {@code =} (numbers by value, objects regardless of key order); strings order under
 * {@code COLLATE "C"}, i.e. by code point.
 *
 * <p>Regular expressions are not sent to PostgreSQL: its ARE syntax differs from RE2's
 * ({@code \b}, {@code \y}, flags, classes) and its engine backtracks, so one client's pattern
 * could occupy the database every node shares. A {@link Condition.Matches} renders as a
 * necessary condition instead (its field is a string or an array; under a negation: false,
 * so the negation stays a superset) and {@link Where#recheck()} tells the reader to run the
 * full criteria in Java, with RE2, on the rows the rest of the SQL narrowed.
 */
final class PgCriteriaSql {
    /** The largest code point: {@code prefix || MAX} bounds a range scan over a literal prefix. */
    static final String MAX_CHAR = new String(Character.toChars(0x10FFFF));
    /** More {@code $in} values than this get no GIN containment pre-filter (one OR arm per value). */
    private static final int MAX_PREFILTER_VALUES = 8;

    /** A rendered WHERE condition; {@code recheck}: rows must pass the criteria in Java too. */
    record Where(PgFragment sql, boolean recheck) { }

    private PgCriteriaSql() {
    }

    /** A condition on column {@code path} for a path matcher, range-narrowed by its literal prefix. */
    static PgFragment target(PathMatcher m) {
        PathShape shape = PathShape.of(m);
        PgFragment f = new PgFragment();
        if (shape instanceof PathShape.Everything) {
            return f.sql("TRUE");
        }
        if (shape instanceof PathShape.Exact e) {
            return f.sql("path = ").param(e.path());
        }
        PathShape.Wildcard w = (PathShape.Wildcard) shape;
        f.sql("(");
        if (!w.prefix().isEmpty()) {
            f.sql("path >= ").param(w.prefix()).sql(" AND path < ").param(w.prefix() + MAX_CHAR).sql(" AND ");
        }
        f.sql("path LIKE ").param(like(w.parts())).sql(" ESCAPE '\\'");
        if (w.slashes() >= 0) {
            f.sql(" AND length(path) - length(replace(path, '/', ''))").sql(w.orMore() ? " >= " : " = ")
                    .param((long) w.slashes());
        }
        return f.sql(")");
    }

    /** The parts joined by {@code %}, with LIKE's own wildcards and its escape matched literally. */
    private static String like(List<String> parts) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < parts.size(); i++) {
            if (i > 0) {
                sb.append('%');
            }
            for (char ch : parts.get(i).toCharArray()) {
                if (ch == '%' || ch == '_' || ch == '\\') {
                    sb.append('\\');
                }
                sb.append(ch);
            }
        }
        return sb.toString();
    }

    static Where where(Criteria c) {
        Condition plan = CriteriaPlan.of(c);
        PgFragment f = new PgFragment();
        boolean[] recheck = {false};
        PgFragment pre = prefilter(plan);
        if (pre != null) {
            f.append(pre).sql(" AND ");
        }
        write(plan, true, f, recheck);
        return new Where(f, recheck[0]);
    }

    // ---- conditions ----

    private static void write(Condition c, boolean positive, PgFragment f, boolean[] recheck) {
        if (c instanceof Condition.Constant k) {
            f.sql(k.value() ? "TRUE" : "FALSE");
        } else if (c instanceof Condition.AllOf all) {
            balanced(all.parts(), 0, all.parts().size(), " AND ", "TRUE", positive, f, recheck);
        } else if (c instanceof Condition.AnyOf any) {
            balanced(any.parts(), 0, any.parts().size(), " OR ", "FALSE", positive, f, recheck);
        } else if (c instanceof Condition.Negation n) {
            f.sql("NOT (");
            write(n.inner(), !positive, f, recheck);
            f.sql(")");
        } else if (c instanceof Condition.Present p) {
            PgField field = PgField.of(p.field());
            f.sql(field.isColumn() ? "TRUE" : "(").append(field.isColumn() ? new PgFragment() : field.jsonb())
                    .sql(field.isColumn() ? "" : " IS NOT NULL)");
        } else if (c instanceof Condition.OneOf o) {
            oneOf(PgField.of(o.field()), o.operands(), f);
        } else if (c instanceof Condition.Ordered o) {
            ordered(PgField.of(o.field()), o, f);
        } else {
            matches(PgField.of(((Condition.Matches) c).field()), positive, f, recheck);
        }
    }

    /** {@code parts[lo, hi)} joined by {@code op} as a balanced tree: depth log2(n), not n. */
    private static void balanced(List<Condition> parts, int lo, int hi, String op, String empty, boolean positive,
                                 PgFragment f, boolean[] recheck) {
        if (hi - lo == 0) {
            f.sql(empty);
        } else if (hi - lo == 1) {
            write(parts.get(lo), positive, f, recheck);
        } else {
            int mid = (lo + hi) >>> 1;
            f.sql("(");
            balanced(parts, lo, mid, op, empty, positive, f, recheck);
            f.sql(op);
            balanced(parts, mid, hi, op, empty, positive, f, recheck);
            f.sql(")");
        }
    }

    /** Equality with any operand; on an array field also element-wise (array operands excepted). */
    private static void oneOf(PgField field, List<Operand> operands, PgFragment f) {
        if (field.isColumn()) {
            metaOneOf(field, operands, f);
            return;
        }
        List<Operand> each = operands.stream().filter(Operand::elementWise).toList();
        f.sql("coalesce((").append(field.jsonb()).sql(" = ANY(CAST(").param(jsonArray(operands)).sql(" AS jsonb[]))");
        if (!each.isEmpty()) {
            f.sql(" OR (CASE WHEN jsonb_typeof(").append(field.jsonb())
                    .sql(") = 'array' THEN EXISTS (SELECT 1 FROM jsonb_array_elements(").append(field.jsonb())
                    .sql(") e(x) WHERE x = ANY(CAST(").param(jsonArray(each)).sql(" AS jsonb[]))) END)");
        }
        f.sql("), FALSE)");
    }

    private static PgFragment.SqlArray jsonArray(List<Operand> operands) {
        return new PgFragment.SqlArray("text", operands.stream().map(o -> Json.write(node(o))).toArray());
    }

    /** Meta columns hold a text (path) or an integer: only operands of that kind can equal them. */
    private static void metaOneOf(PgField field, List<Operand> operands, PgFragment f) {
        boolean path = field.column() == FieldRef.Column.PATH;
        List<Object> values = new ArrayList<>();
        for (Operand o : operands) {
            if (path && o instanceof Operand.Text t) {
                values.add(t.value());
            } else if (!path && o instanceof Operand.Num n) {
                values.add(n.value().toString());
            }
        }
        if (values.isEmpty()) {
            f.sql("FALSE");
            return;
        }
        f.sql("coalesce(" + field.columnName() + " = ANY(CAST(").param(new PgFragment.SqlArray("text", values.toArray()))
                .sql(path ? " AS text[])), FALSE)" : " AS numeric[])), FALSE)");
    }

    /** Numbers against numbers, strings against strings by code point; element-wise on arrays. */
    private static void ordered(PgField field, Condition.Ordered o, PgFragment f) {
        String op = switch (o.comparison()) {
            case GT -> " > ";
            case GTE -> " >= ";
            case LT -> " < ";
            case LTE -> " <= ";
        };
        boolean num = o.operand() instanceof Operand.Num;
        Object bind = num ? ((Operand.Num) o.operand()).value() : ((Operand.Text) o.operand()).value();
        if (field.isColumn()) {
            boolean path = field.column() == FieldRef.Column.PATH;
            if (path == num) {
                f.sql("FALSE");
            } else {
                f.sql("coalesce(" + field.columnName() + op).param(bind).sql(", FALSE)");
            }
            return;
        }
        f.sql("coalesce(CASE jsonb_typeof(").append(field.jsonb()).sql(")");
        f.sql(num ? " WHEN 'number' THEN (" : " WHEN 'string' THEN ((").append(field.jsonb())
                .sql(num ? ")::numeric" : ") #>> '{}') COLLATE \"C\"").sql(op).param(bind);
        f.sql(" WHEN 'array' THEN EXISTS (SELECT 1 FROM jsonb_array_elements(").append(field.jsonb())
                .sql(") e(x) WHERE CASE WHEN jsonb_typeof(x) = ").sql(num ? "'number' THEN (x)::numeric"
                        : "'string' THEN (x #>> '{}') COLLATE \"C\"").sql(op).param(bind).sql(" ELSE FALSE END)");
        f.sql(" END, FALSE)");
    }

    /** A necessary condition of a regex match (see the class comment); the match itself runs in Java. */
    private static void matches(PgField field, boolean positive, PgFragment f, boolean[] recheck) {
        if (field.isColumn() && field.column() != FieldRef.Column.PATH) {
            f.sql("FALSE"); // an integer column is never a string: exact, no recheck needed
            return;
        }
        recheck[0] = true;
        if (!positive) {
            f.sql("FALSE");
        } else if (field.isColumn()) {
            f.sql("TRUE");
        } else {
            f.sql("coalesce(jsonb_typeof(").append(field.jsonb()).sql(") IN ('string', 'array'), FALSE)");
        }
    }

    // ---- GIN pre-filter ----

    /**
     * For top-level equalities on data fields ({@code {'a.b': x}}, a short {@code $in}), a jsonb
     * containment test the GIN index on {@code data} answers: {@code data @> {"a":{"b":x}}} or
     * {@code {"a":{"b":[x]}}} holds for every document the equality matches, so it only narrows.
     */
    private static PgFragment prefilter(Condition plan) {
        List<Condition> parts = plan instanceof Condition.AllOf all ? all.parts() : List.of(plan);
        PgFragment f = null;
        for (Condition c : parts) {
            if (!(c instanceof Condition.OneOf o) || !(o.field() instanceof FieldRef.Data d)
                    || o.operands().size() > MAX_PREFILTER_VALUES
                    || o.operands().stream().anyMatch(op -> op instanceof Operand.Structure)) {
                continue;
            }
            PgFragment one = new PgFragment().sql("(");
            String sep = "";
            for (Operand op : o.operands()) {
                JsonNode v = node(op);
                one.sql(sep).sql("data @> CAST(").param(Json.write(nest(d.segments(), v))).sql(" AS jsonb)");
                one.sql(" OR data @> CAST(").param(Json.write(nest(d.segments(), Json.MAPPER.createArrayNode().add(v))))
                        .sql(" AS jsonb)");
                sep = " OR ";
            }
            one.sql(")");
            f = f == null ? one : f.sql(" AND ").append(one);
        }
        return f;
    }

    private static JsonNode nest(List<String> segments, JsonNode leaf) {
        JsonNode n = leaf;
        for (int i = segments.size() - 1; i >= 0; i--) {
            ObjectNode o = Json.object();
            o.set(segments.get(i), n);
            n = o;
        }
        return n;
    }

    private static JsonNode node(Operand o) {
        if (o instanceof Operand.Num n) {
            return DecimalNode.valueOf(n.value());
        } else if (o instanceof Operand.Text t) {
            return TextNode.valueOf(t.value());
        } else if (o instanceof Operand.Bool b) {
            return BooleanNode.valueOf(b.value());
        } else if (o instanceof Operand.Null) {
            return NullNode.getInstance();
        }
        return ((Operand.Structure) o).value();
    }

    // ---- order ----

    /** ORDER BY in {@code SortOrder}'s order (kind rank, then value), always ending with path. */
    static PgFragment orderBy(List<SortKey> sort) {
        PgFragment f = new PgFragment().sql(" ORDER BY ");
        for (SortKey k : sort) {
            PgField r = PgField.of(FieldRef.of(k.field()));
            String dir = k.ascending() ? " ASC, " : " DESC, ";
            if (r.isColumn()) {
                f.sql(r.columnName()).sql(dir);
                continue;
            }
            PgFragment t = new PgFragment().sql("jsonb_typeof(").append(r.jsonb()).sql(")");
            f.sql("CASE ").append(t).sql(" WHEN 'boolean' THEN CASE WHEN ").append(r.jsonb())
                    .sql(" = 'true'::jsonb THEN 2 ELSE 1 END WHEN 'number' THEN 3 WHEN 'string' THEN 4"
                            + " WHEN 'array' THEN 5 WHEN 'object' THEN 5 ELSE 0 END").sql(dir);
            f.sql("CASE WHEN ").append(t).sql(" = 'number' THEN (").append(r.jsonb()).sql(")::numeric END").sql(dir);
            f.sql("(CASE WHEN ").append(t).sql(" = 'string' THEN ").append(r.jsonb())
                    .sql(" #>> '{}' END) COLLATE \"C\"").sql(dir);
            f.sql("(CASE WHEN ").append(t).sql(" IN ('array', 'object') THEN ").append(r.jsonText())
                    .sql(" END) COLLATE \"C\"").sql(dir);
        }
        return f.sql("path ASC");
    }
}
