package io.switchboard.core.op;

import com.fasterxml.jackson.databind.JsonNode;
import io.switchboard.core.error.SwitchboardException;
import io.switchboard.core.model.InviteModel;

import static io.switchboard.core.json.Fields.requiredText;
import static io.switchboard.core.json.Fields.text;

/** Parses the channel ops ({@code channelCreate}, ...) of a wire message into {@link ChannelCommand}s. */
public final class ChannelRequests {
    /** Longest channel id, in characters. */
    static final int MAX_ID_LENGTH = 128;
    /** Longest user id, in characters. */
    static final int MAX_USER_LENGTH = 256;

    private ChannelRequests() {
    }

    /** The command for {@code op}, or null when {@code op} is not a channel op. */
    static Request parse(String op, JsonNode msg) {
        ChannelCommand c = switch (op) {
            case "channelCreate" -> new ChannelCommand.Create(optionalId(msg), text(msg, "name"), model(msg));
            case "channelUpdate" -> update(msg);
            case "channelDelete" -> new ChannelCommand.Delete(id(msg));
            case "channelInvite" -> new ChannelCommand.Invite(id(msg), user(msg));
            case "channelJoin" -> new ChannelCommand.Join(id(msg));
            case "channelLeave" -> new ChannelCommand.Leave(id(msg));
            case "channelRemove" -> new ChannelCommand.RemoveMember(id(msg), user(msg));
            case "channelList" -> new ChannelCommand.ListMine();
            case "channelGet" -> new ChannelCommand.Get(id(msg));
            default -> null;
        };
        return c == null ? null : new Request.Channel(c);
    }

    private static ChannelCommand update(JsonNode msg) {
        String name = text(msg, "name");
        InviteModel model = model(msg);
        if (name == null && model == null) {
            throw SwitchboardException.badRequest("inviteModel", "or 'name' is required");
        }
        return new ChannelCommand.Update(id(msg), name, model);
    }

    private static InviteModel model(JsonNode msg) {
        String m = text(msg, "inviteModel");
        return m == null ? null : InviteModel.parse(m, "inviteModel");
    }

    private static String optionalId(JsonNode msg) {
        return msg.hasNonNull("channel") ? id(msg) : null;
    }

    /** A channel id is one path segment: letters, digits, {@code - _ . :}, not starting with a dot. */
    static String id(JsonNode msg) {
        String id = requiredText(msg, "channel");
        checkId(id, "channel");
        return id;
    }

    /** BAD_REQUEST naming {@code field} unless {@code id} is a valid channel id. */
    public static void checkId(String id, String field) {
        if (id.isEmpty() || id.length() > MAX_ID_LENGTH) {
            throw SwitchboardException.badRequest(field, "must be 1 to " + MAX_ID_LENGTH + " characters");
        }
        if (id.charAt(0) == '.') {
            throw SwitchboardException.badRequest(field, "must not start with '.'");
        }
        for (int i = 0; i < id.length(); i++) {
            char ch = id.charAt(i);
            boolean ok = (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') || (ch >= '0' && ch <= '9')
                    || ch == '-' || ch == '_' || ch == '.' || ch == ':';
            if (!ok) {
                throw SwitchboardException.badRequest(field, "may hold only letters, digits and - _ . :");
            }
        }
    }

    private static String user(JsonNode msg) {
        String u = requiredText(msg, "user");
        if (u.isEmpty() || u.length() > MAX_USER_LENGTH) {
            throw SwitchboardException.badRequest("user", "must be 1 to " + MAX_USER_LENGTH + " characters");
        }
        return u;
    }
}
