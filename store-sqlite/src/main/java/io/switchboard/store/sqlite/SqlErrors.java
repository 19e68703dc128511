package io.switchboard.store.sqlite;

import io.switchboard.core.error.SwitchboardException;

import java.sql.SQLException;

/** Maps SQLite failures to the catalogue: the client sees a short reason, never SQL text. */
final class SqlErrors {
    private SqlErrors() {
    }

    static SwitchboardException unavailable(SQLException e) {
        return SwitchboardException.unavailable("store unavailable (sqlite error " + e.getErrorCode() + ")", e);
    }

    static SwitchboardException closed() {
        return SwitchboardException.unavailable("store is closed", null);
    }
}
