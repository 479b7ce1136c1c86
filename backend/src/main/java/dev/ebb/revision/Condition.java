package dev.ebb.revision;

import com.fasterxml.jackson.annotation.JsonIgnore;
import java.time.Instant;

/** One status condition, Kubernetes style: {@code status} is {@code True}, {@code False} or {@code Unknown}. */
public record Condition(String type, String status, String reason, String message, Instant lastTransitionTime) {

    public static final String TRUE = "True";
    public static final String FALSE = "False";
    public static final String UNKNOWN = "Unknown";

    @JsonIgnore
    public boolean isTrue() {
        return TRUE.equals(status);
    }

    @JsonIgnore
    public boolean isFalse() {
        return FALSE.equals(status);
    }
}
