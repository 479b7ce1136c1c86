package dev.ebb.revision;

import java.time.Instant;

/** The readiness of one revision: what a service's status is computed from. */
public record RevisionState(long serviceId, String name, int generation, String readyStatus, String readyReason,
        String readyMessage, Instant readyChangedAt) {

    public boolean ready() {
        return Condition.TRUE.equals(readyStatus);
    }

    public boolean failed() {
        return Condition.FALSE.equals(readyStatus);
    }

    public Condition readyCondition() {
        return new Condition("Ready", readyStatus, readyReason, readyMessage, readyChangedAt);
    }
}
