package io.switchboard.core.op;

import io.switchboard.core.model.InviteModel;

/**
 * The channel operations (a {@link Request.Channel} carries one). Channel ids and user ids are
 * validated by {@link ChannelRequests}; who may do what is decided by the channel service from
 * the caller's identity and the channel's owner, invite model and members.
 */
public sealed interface ChannelCommand {
    /** The wire op name. */
    String op();

    /** {@code id} null: the server picks one. {@code model} null: {@code owner}. */
    record Create(String id, String name, InviteModel model) implements ChannelCommand {
        public String op() { return "channelCreate"; }
    }

    /** Owner only; null fields stay as they are. */
    record Update(String id, String name, InviteModel model) implements ChannelCommand {
        public String op() { return "channelUpdate"; }
    }

    /** Owner only. */
    record Delete(String id) implements ChannelCommand {
        public String op() { return "channelDelete"; }
    }

    /** Adds {@code user} as the invite model allows; idempotent. */
    record Invite(String id, String user) implements ChannelCommand {
        public String op() { return "channelInvite"; }
    }

    /** Adds the caller to a {@code self} channel; idempotent. */
    record Join(String id) implements ChannelCommand {
        public String op() { return "channelJoin"; }
    }

    /** The caller leaves (the owner cannot). */
    record Leave(String id) implements ChannelCommand {
        public String op() { return "channelLeave"; }
    }

    /** The owner removes a member. */
    record RemoveMember(String id, String user) implements ChannelCommand {
        public String op() { return "channelRemove"; }
    }

    /** The caller's channels. */
    record ListMine() implements ChannelCommand {
        public String op() { return "channelList"; }
    }

    /** One channel with its members; members only. */
    record Get(String id) implements ChannelCommand {
        public String op() { return "channelGet"; }
    }
}
