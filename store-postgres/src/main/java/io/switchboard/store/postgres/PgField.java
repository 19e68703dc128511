package io.switchboard.store.postgres;

import io.switchboard.core.query.plan.FieldRef;

import java.util.List;

/**
 * How SQL reaches one criteria or sort field. A data field is {@code data -> 'a' -> 'b'} with
 * each segment a bound text parameter: {@code ->} with a text key yields NULL on anything but an
 * object, which is exactly how {@code CriteriaMatcher.resolve} walks a dotted field. ({@code #>}
 * with a text[] path would also index into arrays when a segment looks like a number, which the
 * reference semantics do not.) Meta fields map to their columns.
 */
final class PgField {
    private final FieldRef.Column column;
    private final List<String> segments;

    private PgField(FieldRef.Column column, List<String> segments) {
        this.column = column;
        this.segments = segments;
    }

    static PgField of(FieldRef ref) {
        if (ref instanceof FieldRef.Meta m) {
            return new PgField(m.column(), null);
        }
        return new PgField(null, ((FieldRef.Data) ref).segments());
    }

    boolean isColumn() {
        return column != null;
    }

    FieldRef.Column column() {
        return column;
    }

    List<String> segments() {
        return segments;
    }

    /** The column name of a meta field. */
    String columnName() {
        return switch (column) {
            case PATH -> "path";
            case CREATED -> "created";
            case MODIFIED -> "modified";
            case VERSION -> "version";
        };
    }

    /** The field's jsonb value (NULL when missing); data fields only. */
    PgFragment jsonb() {
        return walk(new PgFragment().sql("data"));
    }

    /**
     * The field's value as the client's JSON text (compact, keys in written order), read from the
     * verbatim {@code body}; sorting containers by it reproduces the reference order exactly.
     */
    PgFragment jsonText() {
        return walk(new PgFragment().sql("((body::json)")).sql(")::text");
    }

    private PgFragment walk(PgFragment f) {
        for (String s : segments) {
            f.sql(" -> ").param(s).sql("::text");
        }
        return f;
    }
}
