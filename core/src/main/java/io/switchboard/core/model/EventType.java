package io.switchboard.core.model;

import io.switchboard.core.error.SwitchboardException;

import java.util.Locale;

/** What an event in the log records. */
public enum EventType {
    SET, MERGE, REMOVE, PUBLISH;

    /** The lower-case name used on every wire. */
    public String wire() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static EventType parse(String s, String field) {
        if (s != null) {
            for (EventType t : values()) {
                if (t.wire().equals(s)) {
                    return t;
                }
            }
        }
        throw SwitchboardException.badRequest(field, "must be one of set, merge, remove, publish");
    }
}
