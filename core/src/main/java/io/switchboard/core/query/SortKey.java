package io.switchboard.core.query;

/** One sort field (dotted data field or {@code _meta.*}) and its direction. */
public record SortKey(String field, boolean ascending) {
}
