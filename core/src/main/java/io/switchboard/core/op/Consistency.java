package io.switchboard.core.op;

import io.switchboard.core.error.SwitchboardException;

/** When a write's reply is sent (SPEC section 3). */
public enum Consistency {
    /** After durability and hand-over of the event to every subscriber's queue (default). */
    TRANSACTIONAL,
    /** After durability; a later {@code published} notice reports the delivery counts. */
    DEFERRED,
    /** After every recipient acknowledged, or the ack timeout passed. */
    ACKNOWLEDGED;

    public static Consistency parse(String s, String field) {
        if (s == null) {
            return TRANSACTIONAL;
        }
        return switch (s) {
            case "transactional" -> TRANSACTIONAL;
            case "deferred" -> DEFERRED;
            case "acknowledged" -> ACKNOWLEDGED;
            default -> throw SwitchboardException.badRequest(field, "must be transactional, deferred or acknowledged");
        };
    }
}
