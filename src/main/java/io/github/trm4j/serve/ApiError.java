package io.github.trm4j.serve;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * A request the server answers with an error status and {@code {"error": message, "field": field}}.
 * 503s carry a Retry-After in seconds. Never wraps a stack trace: the message is all a client sees.
 */
final class ApiError extends RuntimeException {
    final int status;
    final String field;
    final int retryAfterSeconds;

    private ApiError(int status, String field, String message, int retryAfterSeconds) {
        super(message, null, false, false);
        this.status = status;
        this.field = field;
        this.retryAfterSeconds = retryAfterSeconds;
    }

    /** 400; {@code message} starts with the field's name. */
    static ApiError badField(String field, String message) {
        return new ApiError(400, field, field + ": " + message, 0);
    }

    static ApiError tooLarge(int limit) {
        return new ApiError(413, "body", "body: larger than the limit of " + limit + " bytes", 0);
    }

    /** 408: the body did not arrive in time; {@code why} ends the message. */
    static ApiError slowBody(String why) {
        return new ApiError(408, "body", "body: " + why, 0);
    }

    static ApiError busy(String message, int retryAfterSeconds) {
        return new ApiError(503, null, message, retryAfterSeconds);
    }

    /** The JSON body of the response. */
    Body body() {
        return new Body(getMessage(), field);
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    record Body(String error, String field) {}
}
