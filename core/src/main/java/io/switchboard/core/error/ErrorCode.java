package io.switchboard.core.error;

/** The one error catalogue, shared by every transport; docs/errors.md says when each code is raised. */
public enum ErrorCode {
    BAD_REQUEST(400),
    UNAUTHENTICATED(401),
    FORBIDDEN(403),
    NOT_FOUND(404),
    CONFLICT(409),
    PAYLOAD_TOO_LARGE(413),
    VALIDATION_FAILED(422),
    RATE_LIMITED(429),
    UNAVAILABLE(503),
    INTERNAL(500);

    private final int httpStatus;

    ErrorCode(int httpStatus) {
        this.httpStatus = httpStatus;
    }

    /** The HTTP status that carries this code. */
    public int httpStatus() {
        return httpStatus;
    }
}
