package io.switchboard.core.query.plan;

import io.switchboard.core.query.Criteria;

import java.util.ArrayList;
import java.util.List;

/** Compiles parsed {@link Criteria} into a {@link Condition} (see there for what is decided). */
public final class CriteriaPlan {
    private CriteriaPlan() {
    }

    public static Condition of(Criteria c) {
        if (c == null || c instanceof Criteria.All) {
            return new Condition.Constant(true);
        } else if (c instanceof Criteria.And and) {
            return new Condition.AllOf(flatten(and.parts(), true));
        } else if (c instanceof Criteria.Or or) {
            return new Condition.AnyOf(flatten(or.parts(), false));
        } else if (c instanceof Criteria.Not not) {
            return new Condition.Negation(of(not.inner()));
        } else if (c instanceof Criteria.Exists ex) {
            Condition present = new Condition.Present(FieldRef.of(ex.field()));
            return ex.exists() ? present : new Condition.Negation(present);
        } else if (c instanceof Criteria.Compare cmp) {
            return compare(cmp);
        } else if (c instanceof Criteria.In in) {
            if (in.values().isEmpty()) {
                return new Condition.Constant(in.negated());
            }
            Condition oneOf = new Condition.OneOf(FieldRef.of(in.field()), in.values().stream().map(Operand::of).toList());
            return in.negated() ? new Condition.Negation(oneOf) : oneOf;
        }
        Criteria.Regex re = (Criteria.Regex) c;
        return new Condition.Matches(FieldRef.of(re.field()), re.pattern(), re.flags());
    }

    private static Condition compare(Criteria.Compare cmp) {
        FieldRef field = FieldRef.of(cmp.field());
        Operand operand = Operand.of(cmp.value());
        Condition.Comparison order = switch (cmp.op()) {
            case EQ -> null;
            case NE -> null;
            case GT -> Condition.Comparison.GT;
            case GTE -> Condition.Comparison.GTE;
            case LT -> Condition.Comparison.LT;
            case LTE -> Condition.Comparison.LTE;
        };
        if (order == null) {
            Condition eq = new Condition.OneOf(field, List.of(operand));
            return cmp.op() == Criteria.Op.NE ? new Condition.Negation(eq) : eq;
        }
        if (operand instanceof Operand.Num || operand instanceof Operand.Text) {
            return new Condition.Ordered(field, order, operand);
        }
        return new Condition.Constant(false); // booleans, null and structures are never ordered
    }

    /** Nested ANDs inside an AND (ORs inside an OR) join their parent. */
    private static List<Condition> flatten(List<Criteria> parts, boolean and) {
        List<Condition> out = new ArrayList<>();
        for (Criteria p : parts) {
            Condition c = of(p);
            if (and && c instanceof Condition.AllOf all) {
                out.addAll(all.parts());
            } else if (!and && c instanceof Condition.AnyOf any) {
                out.addAll(any.parts());
            } else {
                out.add(c);
            }
        }
        return out;
    }
}
