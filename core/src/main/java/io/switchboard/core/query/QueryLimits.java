package io.switchboard.core.query;

import io.switchboard.core.error.SwitchboardException;

/**
 * Fixed bounds on the size of a query, checked when it is parsed so that a query either runs or
 * is refused as {@code BAD_REQUEST} naming the limit; a store never sees a query it might fail
 * to plan. The values leave room: stores render criteria as balanced trees and {@code $in} as
 * value lists, so a query at every limit at once still runs.
 */
public final class QueryLimits {
    /** Conditions on fields (each operator of each field) in one criteria object. */
    public static final int MAX_CRITERIA_TERMS = 1000;
    /** Values in one {@code $in}/{@code $nin} list. */
    public static final int MAX_IN_VALUES = 1000;
    /** Keys of one {@code sort}. */
    public static final int MAX_SORT_KEYS = 32;
    /** Characters of one {@code $regex} pattern. */
    public static final int MAX_REGEX_LENGTH = 1000;

    private QueryLimits() {
    }

    /** Refuses criteria with more than {@link #MAX_CRITERIA_TERMS} terms, naming {@code field}. */
    static void checkTerms(Criteria c, String field) {
        if (terms(c) > MAX_CRITERIA_TERMS) {
            throw SwitchboardException.badRequest(field, "has more than " + MAX_CRITERIA_TERMS
                    + " conditions (limit of one criteria object)");
        }
    }

    /** Refuses a sort with more than {@link #MAX_SORT_KEYS} keys. */
    public static void checkSortKeys(int count, String field) {
        if (count > MAX_SORT_KEYS) {
            throw SwitchboardException.badRequest(field, "has more than " + MAX_SORT_KEYS
                    + " keys (limit of one sort)");
        }
    }

    private static int terms(Criteria c) {
        if (c instanceof Criteria.And and) {
            return and.parts().stream().mapToInt(QueryLimits::terms).sum();
        } else if (c instanceof Criteria.Or or) {
            return or.parts().stream().mapToInt(QueryLimits::terms).sum();
        } else if (c instanceof Criteria.Not not) {
            return terms(not.inner());
        }
        return c instanceof Criteria.All ? 0 : 1;
    }
}
