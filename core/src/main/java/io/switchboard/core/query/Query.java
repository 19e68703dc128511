package io.switchboard.core.query;

import io.switchboard.core.path.PathMatcher;

import java.util.List;

/**
 * A document query: the paths to consider, a filter, a projection, order and a window.
 * {@code limit} null means no limit; without a sort, results are ordered by path.
 * {@code maxBytes} (0 = none): a page whose documents' JSON would pass that many bytes is not
 * built; the query fails with {@code PAYLOAD_TOO_LARGE} instead.
 */
public record Query(PathMatcher target, Criteria criteria, List<String> fields, List<SortKey> sort,
                    Integer limit, int skip, boolean pathsOnly, long maxBytes) {
    /** A query without a byte bound. */
    public Query(PathMatcher target, Criteria criteria, List<String> fields, List<SortKey> sort,
                 Integer limit, int skip, boolean pathsOnly) {
        this(target, criteria, fields, sort, limit, skip, pathsOnly, 0);
    }

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
