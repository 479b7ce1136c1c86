package dev.ebb.problem;

import java.time.Duration;
import java.util.List;

/** The caller must wait before trying again (429); {@link #retryAfter()} becomes the Retry-After header. */
public class TooManyRequestsException extends EbbException {

    private final Duration retryAfter;

    public TooManyRequestsException(String detail, Duration retryAfter) {
        super(429, "too-many-requests", "Too many requests", detail, List.of());
        this.retryAfter = retryAfter;
    }

    public Duration retryAfter() {
        return retryAfter;
    }
}
