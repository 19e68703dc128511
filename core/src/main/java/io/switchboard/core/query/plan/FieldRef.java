package io.switchboard.core.query.plan;

import io.switchboard.core.query.Criteria;

import java.util.List;

/** What a condition or sort key reads: a document's meta column, or a dotted path into its data. */
public sealed interface FieldRef {
    /** {@code _meta.path} (text) and the integer bookkeeping columns. */
    enum Column { PATH, CREATED, MODIFIED, VERSION }

    /** A meta field; never an array, so conditions on it are never element-wise. */
    record Meta(Column column) implements FieldRef { }

    /** A data field by its segments; {@code dotted} is how the client wrote it. */
    record Data(List<String> segments, String dotted) implements FieldRef {
        public Data {
            segments = List.copyOf(segments);
        }
    }

    /** The reference for a criteria or sort field as the parser accepted it. */
    static FieldRef of(String field) {
        if (Criteria.isMetaField(field)) {
            return new Meta(switch (field) {
                case "_meta.path" -> Column.PATH;
                case "_meta.created" -> Column.CREATED;
                case "_meta.modified" -> Column.MODIFIED;
                case "_meta.version" -> Column.VERSION;
                default -> throw new IllegalArgumentException("unknown meta field " + field);
            });
        }
        return new Data(List.of(field.split("\\.", -1)), field);
    }
}
