package io.switchboard.core.channel;

/**
 * Bounds on channels: members per channel, channels one user may belong to (owned ones
 * included), and the length of a channel's name in characters.
 */
public record ChannelLimits(int maxMembers, int maxPerUser, int maxNameLength) {
    /** The documented defaults ({@code channels.*} in the configuration). */
    public static final ChannelLimits DEFAULTS = new ChannelLimits(1000, 500, 200);
}
