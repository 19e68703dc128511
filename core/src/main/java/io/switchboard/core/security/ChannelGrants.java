package io.switchboard.core.security;

import io.switchboard.core.path.Pattern;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/**
 * Compiles channel memberships into permissions of the channel area: for each channel, get,
 * subscribe and publish on {@code /_channels/{id}} and below, except that the channel's
 * {@code members} path (where the server publishes membership events) is read-only.
 */
final class ChannelGrants {
    /**
     * The area, on the paths permissions are checked on: a global user's {@code /_channels}
     * and every tenant's {@code /t/{tenant}/_channels} (a global user with {@code /**} must not
     * read a tenant's channels either); for a tenant user its own {@code /_channels}.
     */
    static final List<Pattern> AREA = List.of(
            Pattern.compile(ChannelMemberships.ROOT, "pattern"),
            Pattern.compile(ChannelMemberships.ROOT + "/**", "pattern"),
            Pattern.compile("/t/*" + ChannelMemberships.ROOT, "pattern"),
            Pattern.compile("/t/*" + ChannelMemberships.ROOT + "/**", "pattern"));

    private static final int MEMBER = Action.GET.bit() | Action.SUBSCRIBE.bit() | Action.PUBLISH.bit();
    private static final int READ = Action.GET.bit() | Action.SUBSCRIBE.bit();

    private ChannelGrants() {
    }

    static Permissions of(Collection<String> channelIds) {
        List<Permissions.Rule> rules = new ArrayList<>(channelIds.size() * 3);
        for (String id : channelIds) {
            String root = ChannelMemberships.ROOT + "/" + id;
            try {
                rules.add(new Permissions.Rule(Pattern.compile(root, "pattern"), MEMBER, 0));
                rules.add(new Permissions.Rule(Pattern.compile(root + "/**", "pattern"), MEMBER, 0));
                rules.add(new Permissions.Rule(Pattern.compile(root + "/" + ChannelMemberships.MEMBERS_SEGMENT, "pattern"),
                        READ, Action.ALL & ~READ));
            } catch (RuntimeException e) {
                // ids are validated when a channel is created; an odd one grants nothing
            }
        }
        return Permissions.of(rules);
    }
}
