package io.switchboard.core.session;

import java.util.List;

/**
 * Who a session acts for. {@link #ANONYMOUS} is used in insecure mode. The security issue
 * fills in groups, scopes and tenant from the user and token.
 */
public record Principal(String userId, String username, String tenant, List<String> groups, List<String> scopes) {
    public static final Principal ANONYMOUS = new Principal(null, null, null, List.of(), List.of());

    public Principal {
        groups = groups == null ? List.of() : List.copyOf(groups);
        scopes = scopes == null ? List.of() : List.copyOf(scopes);
    }

    /** The name written into {@code modifiedBy} / an event's {@code by}. */
    public String actor() {
        return username;
    }
}
