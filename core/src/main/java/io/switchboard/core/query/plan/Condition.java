package io.switchboard.core.query.plan;

import java.util.List;

/**
 * Criteria compiled into the few shapes a store has to render, with every decision that does not
 * depend on a document already taken: {@code $ne}/{@code $nin}/{@code $exists:false} become a
 * {@link Negation}, {@code $eq} and {@code $in} one {@link OneOf}, orderings on booleans, nulls or
 * structures and an empty {@code $in} a {@link Constant}, and operands carry their JSON kind.
 * Semantics are {@code CriteriaMatcher}'s: a missing field satisfies no positive condition;
 * on a data field holding an array, a condition whose operand is not an array also holds when it
 * holds for one element ({@link Operand#elementWise()}); numbers compare by value and strings by
 * code point.
 */
public sealed interface Condition {
    /** Matches every document or none. */
    record Constant(boolean value) implements Condition { }

    record AllOf(List<Condition> parts) implements Condition { }

    record AnyOf(List<Condition> parts) implements Condition { }

    record Negation(Condition inner) implements Condition { }

    /** The field is present (it may hold null). */
    record Present(FieldRef field) implements Condition { }

    /** The field equals one of the operands (never empty). */
    record OneOf(FieldRef field, List<Operand> operands) implements Condition { }

    /** The field is ordered against a number or a text operand. */
    record Ordered(FieldRef field, Comparison comparison, Operand operand) implements Condition { }

    /** The field is a string in which the RE2 pattern finds a match; element-wise on arrays. */
    record Matches(FieldRef field, String pattern, String flags) implements Condition { }

    /** Orderings. */
    enum Comparison { GT, GTE, LT, LTE }
}
