package io.switchboard.store.postgres;

import io.switchboard.core.error.SwitchboardException;

import java.sql.SQLException;

/** Maps PostgreSQL failures to the catalogue: the client sees a short reason, never SQL text. */
final class PgErrors {
    private PgErrors() {
    }

    static SwitchboardException unavailable(SQLException e) {
        return SwitchboardException.unavailable("store unavailable (postgresql " + e.getSQLState() + ")", e);
    }

    static SwitchboardException closed() {
        return SwitchboardException.unavailable("store is closed", null);
    }

    /**
     * SQLSTATE class 22 ("data exception"): the value itself cannot be held, e.g. {@code \u0000}
     * inside jsonb or a number beyond {@code numeric}'s range. The input's fault, not the store's.
     */
    static boolean isDataError(SQLException e) {
        return e.getSQLState() != null && e.getSQLState().startsWith("22");
    }

    /** A read whose input PostgreSQL cannot represent (a criteria value with U+0000): bad input. */
    static SwitchboardException forRead(SQLException e) {
        return isDataError(e) ? SwitchboardException.badRequest("criteria", "holds a value PostgreSQL cannot compare")
                : unavailable(e);
    }
}
