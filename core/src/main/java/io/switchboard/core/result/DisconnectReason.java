package io.switchboard.core.result;

/**
 * Why the server ends a session; {@link #wire()} is the {@code reason} of
 * {@code {"sys":"disconnect"}} and of the WebSocket close frame.
 */
public enum DisconnectReason {
    /** The server is stopping. */
    SHUTDOWN("shutdown"),
    /** The client answered no ping for two heartbeat intervals. */
    HEARTBEAT_TIMEOUT("heartbeat-timeout"),
    /** The connection's outbound queue overflowed: the client reads too slowly. */
    SLOW_CONSUMER("slow-consumer"),
    /** The session's token (or its profile's ttl) expired. */
    TOKEN_EXPIRED("token-expired"),
    /** The session was idle longer than its profile's {@code inactivityMs}. */
    INACTIVITY_THRESHOLD("inactivity-threshold"),
    /** The session used up its profile's {@code usageLimit}. */
    USAGE_LIMIT("usage-limit"),
    /** The token or login session was revoked (logout, admin, rolled keys). */
    TOKEN_REVOKED("token-revoked"),
    /** The user was revoked or deleted. */
    USER_REVOKED("user-revoked"),
    /** The stream could not be set up (SSE subscribe failed after the headers went out). */
    ERROR("error");

    private final String wire;

    DisconnectReason(String wire) {
        this.wire = wire;
    }

    public String wire() {
        return wire;
    }
}
