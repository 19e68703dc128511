package io.switchboard.core.op;

/**
 * Bounds on what one client message may hold, checked by {@link RequestParser} before any
 * stage or store sees the request, so every door enforces the same limits.
 *
 * @param maxDepth deepest nesting of objects/arrays in any field of a message ({@code data},
 *                 {@code meta}, {@code criteria}, ...); the message envelope itself does not count
 */
public record InputLimits(int maxDepth) {
    /** The ceiling of {@code maxDepth}: the JSON reader refuses deeper text, the writer handles twice it. */
    public static final int MAX_DEPTH_CEILING = 900;
    public static final InputLimits DEFAULTS = new InputLimits(64);

    public InputLimits {
        if (maxDepth < 1 || maxDepth > MAX_DEPTH_CEILING) {
            throw new IllegalArgumentException("maxDepth must be 1.." + MAX_DEPTH_CEILING);
        }
    }
}
