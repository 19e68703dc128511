package io.switchboard.core.security;

import java.util.Collection;
import java.util.List;

/**
 * Who belongs to which channel, as the security model needs it: channel messages live under
 * {@link #ROOT} ({@code /_channels/{id}/...} on the paths a client sees), and there membership
 * alone decides — members may {@code get}, {@code subscribe} and {@code publish}, nobody else
 * anything, whatever their groups grant. The channel directory implements it; the security
 * service compiles it into each session's {@link Permissions}, so every check (ops, filtered
 * reads, fan-out) sees it, and a change of {@link #version} acts on the next delivered event.
 */
public interface ChannelMemberships {
    /** The root of the channel area on a client's (tenant-local) paths. */
    String ROOT = "/_channels";
    /** Where membership events of a channel are published (members may read, not write, them). */
    String MEMBERS_SEGMENT = "members";

    /** No channels: the area is closed to everyone. */
    ChannelMemberships NONE = new ChannelMemberships() {
        @Override
        public long version() {
            return 0;
        }

        @Override
        public Collection<String> channelsOf(String tenant, String userId) {
            return List.of();
        }
    };

    /** Grows whenever any membership changes. */
    long version();

    /** The ids of the channels {@code userId} of {@code tenant} (null = global) belongs to. */
    Collection<String> channelsOf(String tenant, String userId);
}
