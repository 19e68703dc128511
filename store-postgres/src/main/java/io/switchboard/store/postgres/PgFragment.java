package io.switchboard.store.postgres;

import java.math.BigDecimal;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Types;
import java.util.ArrayList;
import java.util.List;

/**
 * A piece of PostgreSQL SQL with its bind parameters in order. Every user-supplied value, field
 * name and pattern travels as a parameter, so nothing a client sends is ever spliced into SQL text.
 */
final class PgFragment {
    /** An array parameter: bound with {@code createArrayOf(type, values)}. */
    record SqlArray(String type, Object[] values) { }

    private final StringBuilder sql = new StringBuilder();
    private final List<Object> params = new ArrayList<>();

    PgFragment sql(String text) {
        sql.append(text);
        return this;
    }

    /** Appends one {@code ?} bound to {@code value} (String, Long, BigDecimal, SqlArray or null). */
    PgFragment param(Object value) {
        sql.append('?');
        params.add(value);
        return this;
    }

    PgFragment append(PgFragment other) {
        sql.append(other.sql);
        params.addAll(other.params);
        return this;
    }

    boolean isEmpty() {
        return sql.length() == 0;
    }

    String text() {
        return sql.toString();
    }

    /** Binds the parameters starting at index {@code first}; returns the next free index. */
    int bind(PreparedStatement ps, int first) throws SQLException {
        int i = first;
        for (Object p : params) {
            if (p == null) {
                ps.setNull(i++, Types.BIGINT);
            } else if (p instanceof Long l) {
                ps.setLong(i++, l);
            } else if (p instanceof Integer n) {
                ps.setLong(i++, n);
            } else if (p instanceof BigDecimal d) {
                ps.setBigDecimal(i++, d);
            } else if (p instanceof SqlArray a) {
                ps.setArray(i++, ps.getConnection().createArrayOf(a.type(), a.values()));
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
