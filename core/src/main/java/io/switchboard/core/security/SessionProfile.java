package io.switchboard.core.security;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.switchboard.core.session.Principal;
import io.switchboard.core.session.SessionType;

import java.util.List;

/**
 * A session profile (SPEC section 6): matches a session by user, group, type and IP; the first
 * matching profile of {@link SecurityConfig#profiles()} applies. Null/empty match fields match
 * anything; a limit of 0 means none.
 *
 * @param users        usernames or user ids
 * @param groups       any of these groups
 * @param type         stateful or stateless (null: both)
 * @param ipPrefixes   textual prefixes of the remote address, e.g. {@code "10.0."}
 * @param ttlMs        the session ends this long after it authenticated
 * @param inactivityMs the session ends after this long without an operation
 * @param usageLimit   the session ends after this many operations
 * @param permissions  narrowed permissions: an op must be allowed by these too (null: not narrowed)
 */
public record SessionProfile(String name, List<String> users, List<String> groups, SessionType type,
                             List<String> ipPrefixes, long ttlMs, long inactivityMs, long usageLimit,
                             ObjectNode permissions) {
    public SessionProfile {
        users = users == null ? List.of() : List.copyOf(users);
        groups = groups == null ? List.of() : List.copyOf(groups);
        ipPrefixes = ipPrefixes == null ? List.of() : List.copyOf(ipPrefixes);
    }

    public boolean matches(Principal p, SessionType t, String ip) {
        if (!users.isEmpty() && !users.contains(p.username()) && !users.contains(p.userId())) {
            return false;
        }
        if (!groups.isEmpty() && groups.stream().noneMatch(p.groups()::contains)) {
            return false;
        }
        if (type != null && type != t) {
            return false;
        }
        return ipPrefixes.isEmpty() || (ip != null && ipPrefixes.stream().anyMatch(ip::startsWith));
    }

    /** The first profile of {@code profiles} matching, or null. */
    public static SessionProfile first(List<SessionProfile> profiles, Principal p, SessionType t, String ip) {
        for (SessionProfile sp : profiles) {
            if (sp.matches(p, t, ip)) {
                return sp;
            }
        }
        return null;
    }
}
