package io.switchboard.core.query;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.List;

/**
 * A parsed mongo-style filter. Field names are dotted paths into the document's data, or one of
 * {@code _meta.created}, {@code _meta.modified}, {@code _meta.path}, {@code _meta.version}.
 * Stores translate this tree to their query language; {@link CriteriaMatcher} evaluates it in
 * memory with the same semantics (the reference the store contract checks against).
 */
public sealed interface Criteria {
    /** Matches everything (an empty criteria object). */
    record All() implements Criteria { }

    record And(List<Criteria> parts) implements Criteria { }

    record Or(List<Criteria> parts) implements Criteria { }

    record Not(Criteria inner) implements Criteria { }

    /** {@code field op value}: for EQ/NE an array field also matches when one element equals. */
    record Compare(String field, Op op, JsonNode value) implements Criteria { }

    /** {@code $in} / {@code $nin} (negated): value is one of {@code values}. */
    record In(String field, List<JsonNode> values, boolean negated) implements Criteria { }

    record Exists(String field, boolean exists) implements Criteria { }

    /** {@code flags} is a subset of "imsx" as in mongo. */
    record Regex(String field, String pattern, String flags) implements Criteria { }

    /** Comparison operators. */
    enum Op { EQ, NE, GT, GTE, LT, LTE }

    Criteria ALL = new All();

    /** Meta fields usable in criteria and sort. */
    List<String> META_FIELDS = List.of("_meta.created", "_meta.modified", "_meta.path", "_meta.version");

    static boolean isMetaField(String field) {
        return field.startsWith("_meta.");
    }
}
