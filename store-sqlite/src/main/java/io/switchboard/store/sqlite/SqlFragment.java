package io.switchboard.store.sqlite;

import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/**
 * A piece of SQL with its bind parameters in order. Every user-supplied value, field name and
 * pattern travels as a parameter, so nothing a client sends is ever spliced into SQL text.
 */
final class SqlFragment {
    private final StringBuilder sql = new StringBuilder();
    private final List<Object> params = new ArrayList<>();

    SqlFragment sql(String text) {
        sql.append(text);
        return this;
    }

    /** Appends one {@code ?} bound to {@code value}. */
    SqlFragment param(Object value) {
        sql.append('?');
        params.add(value);
        return this;
    }

    SqlFragment append(SqlFragment other) {
        sql.append(other.sql);
        params.addAll(other.params);
        return this;
    }

    String text() {
        return sql.toString();
    }

    List<Object> params() {
        return params;
    }

    /** Binds the parameters starting at index {@code first}; returns the next free index. */
    int bind(PreparedStatement ps, int first) throws SQLException {
        int i = first;
        for (Object p : params) {
            if (p == null) {
                ps.setNull(i++, java.sql.Types.NULL);
            } else if (p instanceof Long l) {
                ps.setLong(i++, l);
            } else if (p instanceof Integer n) {
                ps.setLong(i++, n);
            } else if (p instanceof Double d) {
                ps.setDouble(i++, d);
            } else {
                ps.setString(i++, p.toString());
            }
        }
        return i;
    }

    @Override
    public String toString() {
        return sql.toString();
    }
}
