package io.switchboard.core.pipeline;

/**
 * The positions of the pipeline, in the order a request passes them (the result passes them
 * back in reverse). A slot holds zero or more stages. On the way in a request is admitted,
 * authenticated, rate-limited, authorized on the paths the client sees, mapped to stored
 * (tenant) paths, checked by write/validate rules and served by the cache before the engine;
 * on the way out the result is filtered by read rules, mapped back to the client's paths and
 * encoded by the door.
 */
public enum Slot {
    /** Session state: open, connected, connect ordering. */
    ADMIT,
    /** Credentials on connect; expiry, revocation and usage on every later op. */
    AUTHENTICATE,
    /** Token buckets per op and key. */
    RATE_LIMIT,
    /** Permissions on the client's paths. */
    AUTHORIZE,
    /** The client's paths to stored paths and back ({@code /t/{tenant}}). */
    TENANT,
    /** Write and validate rules on the way in, read rules on the way out. */
    RULES,
    /** Documents and query results served from memory. */
    CACHE
}
