package io.switchboard.core.result;

import io.switchboard.core.error.SwitchboardException;

/**
 * A message the server sends a session on its own, not as the reply to a request. Each door
 * encodes notices in its wire format (native: {@code {"sys": ...}}). Disconnects are not
 * notices: they go through {@code Session.end}, which tells the client once and closes.
 */
public sealed interface Notice {
    /** A {@code deferred} write's delivery counts, after its reply. */
    record Published(long requestId, Long offset, DeliveryCounts counts) implements Notice { }

    /** A refresh rolled the session's token; the client should use {@code token} from now on. */
    record TokenRolled(String token) implements Notice { }

    /** A subscription ended without the client asking (its catch-up failed). */
    record SubscriptionEnded(String sub, SwitchboardException error) implements Notice { }
}
