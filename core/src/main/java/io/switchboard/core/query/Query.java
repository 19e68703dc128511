package io.switchboard.core.query;

import io.switchboard.core.path.PathMatcher;

import java.util.List;

/**
 * A document query: the paths to consider, a filter, a projection, order and a window.
 * {@code limit} null means no limit; without a sort, results are ordered by path.
 */
public record Query(PathMatcher target, Criteria criteria, List<String> fields, List<SortKey> sort,
                    Integer limit, int skip, boolean pathsOnly) {
    public Query {
        criteria = criteria == null ? Criteria.ALL : criteria;
        fields = fields == null ? List.of() : List.copyOf(fields);
        sort = sort == null ? List.of() : List.copyOf(sort);
    }

    /** All documents matching {@code target}, by path. */
    public static Query of(PathMatcher target) {
        return new Query(target, Criteria.ALL, List.of(), List.of(), null, 0, false);
    }
}
