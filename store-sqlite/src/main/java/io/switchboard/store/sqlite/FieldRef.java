package io.switchboard.store.sqlite;

import io.switchboard.core.query.Criteria;

/**
 * How SQL reaches one criteria/sort field: its JSON type (SQLite's json_type names, NULL when
 * missing), its SQL value, and a json_each source for array elements. Dotted data fields become
 * a bound JSON path {@code $."a"."b"}; {@code _meta.*} fields map to columns.
 */
final class FieldRef {
    private final String field;
    private final String column;
    private final String columnType;
    private final String jsonPath;

    private FieldRef(String field, String column, String columnType, String jsonPath) {
        this.field = field;
        this.column = column;
        this.columnType = columnType;
        this.jsonPath = jsonPath;
    }

    static FieldRef of(String field) {
        if (Criteria.isMetaField(field)) {
            return switch (field) {
                case "_meta.path" -> new FieldRef(field, "path", "'text'", null);
                case "_meta.created" -> new FieldRef(field, "created", "'integer'", null);
                case "_meta.modified" -> new FieldRef(field, "modified", "'integer'", null);
                case "_meta.version" -> new FieldRef(field, "version", "'integer'", null);
                default -> throw new IllegalArgumentException("unknown meta field");
            };
        }
        return new FieldRef(field, null, null, quotedPath(field));
    }

    /** {@code $."a"."b"}, or null when a segment holds a character the path syntax can't quote. */
    private static String quotedPath(String field) {
        StringBuilder sb = new StringBuilder("$");
        for (String seg : field.split("\\.")) {
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
