package io.switchboard.store.sqlite;

import io.switchboard.core.query.plan.FieldRef;

/**
 * How SQL reaches one criteria/sort field: its JSON type (SQLite's json_type names, NULL when
 * missing), its SQL value, and a json_each source for array elements. Data fields become a
 * bound JSON path {@code $."a"."b"}; meta fields map to columns.
 */
final class SqlField {
    private final String field;
    private final String column;
    private final String columnType;
    private final String jsonPath;

    private SqlField(String field, String column, String columnType, String jsonPath) {
        this.field = field;
        this.column = column;
        this.columnType = columnType;
        this.jsonPath = jsonPath;
    }

    static SqlField of(FieldRef ref) {
        if (ref instanceof FieldRef.Meta m) {
            return switch (m.column()) {
                case PATH -> new SqlField("_meta.path", "path", "'text'", null);
                case CREATED -> new SqlField("_meta.created", "created", "'integer'", null);
                case MODIFIED -> new SqlField("_meta.modified", "modified", "'integer'", null);
                case VERSION -> new SqlField("_meta.version", "version", "'integer'", null);
            };
        }
        FieldRef.Data d = (FieldRef.Data) ref;
        return new SqlField(d.dotted(), null, null, quotedPath(d));
    }

    /** {@code $."a"."b"}, or null when a segment holds a character the path syntax can't quote. */
    private static String quotedPath(FieldRef.Data d) {
        StringBuilder sb = new StringBuilder("$");
        for (String seg : d.segments()) {
            for (int i = 0; i < seg.length(); i++) {
                char ch = seg.charAt(i);
                if (ch == '"' || ch == '\\' || ch < 0x20) {
                    return null;
                }
            }
            sb.append(".\"").append(seg).append('"');
        }
        return sb.toString();
    }

    boolean isColumn() {
        return column != null;
    }

    /** The JSON text holding the field's value (only for data fields). */
    private void source(SqlFragment f) {
        if (jsonPath != null) {
            f.sql("data, ").param(jsonPath);
        } else {
            f.sql("sb_field(data, ").param(field).sql("), '$'");
        }
    }

    void type(SqlFragment f) {
        if (column != null) {
            f.sql(columnType);
        } else {
            f.sql("json_type(");
            source(f);
            f.sql(")");
        }
    }

    void value(SqlFragment f) {
        if (column != null) {
            f.sql(column);
        } else {
            f.sql("json_extract(");
            source(f);
            f.sql(")");
        }
    }

    /** A table-valued source of the field's array elements (columns type, value). */
    void each(SqlFragment f) {
        f.sql("json_each(");
        source(f);
        f.sql(")");
    }
}
