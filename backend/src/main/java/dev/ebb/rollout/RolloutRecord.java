package dev.ebb.rollout;

import dev.ebb.spec.Rollout;
import java.time.Instant;
import java.util.List;

/** A stored rollout (see {@code db/migrations/V17__rollouts.sql}). */
record RolloutRecord(long id, long serviceId, String from, String to, String strategy, Rollout settings,
        List<RolloutPlan.Step> plan, int step, int percent, String state, String reason, List<StepRecord> steps,
        Instant startedAt, Instant stepStartedAt, Instant updatedAt, Instant endedAt, long version) {

    static final String PROGRESSING = "progressing";
    static final String PAUSED = "paused";
    static final String SUCCEEDED = "succeeded";
    static final String FAILED = "failed";
    static final String ABORTED = "aborted";
    static final String SUPERSEDED = "superseded";

    boolean active() {
        return PROGRESSING.equals(state) || PAUSED.equals(state);
    }

    /** The revision the latestRevision share is established on. */
    String established() {
        return SUCCEEDED.equals(state) || from == null ? to : from;
    }

    /** Identifies the current step's measuring window: the step and when it (re)started. */
    String windowKey() {
        return step + "@" + stepStartedAt.toEpochMilli();
    }

    RolloutRecord with(int step, int percent, String state, String reason, List<StepRecord> steps, Instant stepStartedAt,
            Instant now, Instant endedAt) {
        return new RolloutRecord(id, serviceId, from, to, strategy, settings, plan, step, percent, state, reason, steps,
                startedAt, stepStartedAt, now, endedAt, version);
    }
}
