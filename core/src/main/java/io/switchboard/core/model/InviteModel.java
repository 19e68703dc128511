package io.switchboard.core.model;

import io.switchboard.core.error.SwitchboardException;

import java.util.Locale;

/** Who may add members to a channel. */
public enum InviteModel {
    /** Only the owner invites. */
    OWNER,
    /** Any member invites. */
    MEMBER,
    /** Anyone may join by themselves; members may also invite. */
    SELF;

    /** The wire name: {@code owner}, {@code member} or {@code self}. */
    public String wire() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** Parses a wire name; BAD_REQUEST naming {@code field} otherwise. */
    public static InviteModel parse(String text, String field) {
        if (text != null) {
            for (InviteModel m : values()) {
                if (m.wire().equals(text)) {
                    return m;
                }
            }
        }
        throw SwitchboardException.badRequest(field, "must be \"owner\", \"member\" or \"self\"");
    }
}
