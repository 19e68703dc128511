package io.switchboard.core.error;

import java.util.UUID;

/**
 * An operation failure with a catalogue code. The message is shown to the client, so it
 * names the offending field and never carries another user's data.
 */
public class SwitchboardException extends RuntimeException {
    private final ErrorCode code;
    private final Long retryAfterMs;

    public SwitchboardException(ErrorCode code, String message) {
        this(code, message, null, null);
    }

    public SwitchboardException(ErrorCode code, String message, Long retryAfterMs, Throwable cause) {
        super(message, cause, false, cause != null);
        this.code = code;
        this.retryAfterMs = retryAfterMs;
    }

    public ErrorCode code() {
        return code;
    }

    /** Only set for {@link ErrorCode#RATE_LIMITED}. */
    public Long retryAfterMs() {
        return retryAfterMs;
    }

    public static SwitchboardException badRequest(String field, String problem) {
        return new SwitchboardException(ErrorCode.BAD_REQUEST, "'" + field + "' " + problem);
    }

    public static SwitchboardException notFound(String what) {
        return new SwitchboardException(ErrorCode.NOT_FOUND, what);
    }

    public static SwitchboardException conflict(String what) {
        return new SwitchboardException(ErrorCode.CONFLICT, what);
    }

    public static SwitchboardException unavailable(String what, Throwable cause) {
        return new SwitchboardException(ErrorCode.UNAVAILABLE, what, null, cause);
    }

    /**
     * Wraps an unexpected failure: the client sees only a correlation id, the log gets the cause
     * under the same id.
     */
    public static SwitchboardException internal(Throwable cause) {
        String id = UUID.randomUUID().toString().substring(0, 8);
        org.slf4j.LoggerFactory.getLogger(SwitchboardException.class).error("internal error [{}]", id, cause);
        return new SwitchboardException(ErrorCode.INTERNAL, "internal error, correlation id " + id, null, cause);
    }

    /** Normalizes any throwable (unwrapping completion wrappers) to a catalogue error. */
    public static SwitchboardException of(Throwable t) {
        Throwable c = t;
        while ((c instanceof java.util.concurrent.CompletionException
                || c instanceof java.util.concurrent.ExecutionException) && c.getCause() != null) {
            c = c.getCause();
        }
        if (c instanceof SwitchboardException se) {
            return se;
        }
        return internal(c);
    }
}
