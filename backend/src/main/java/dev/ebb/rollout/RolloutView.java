package dev.ebb.rollout;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.time.Instant;
import java.util.List;

/**
 * A service's latest rollout as the API shows it.
 *
 * @param revision the revision being rolled out
 * @param stableRevision the revision it rolls from; null when it was taken as stable with nothing to roll from
 * @param step the step in progress (or the last one), counted from 1, of {@code totalSteps}
 * @param percent the new revision's share of the latestRevision traffic
 * @param state {@code progressing}, {@code paused}, {@code succeeded}, {@code failed}, {@code aborted} or {@code superseded}
 * @param reason why it is in that state, with the numbers that failed it
 * @param steps the steps taken, each with what the gateways measured of both revisions and the decision
 * @param current what the step in progress has measured so far (on the leading replica; null elsewhere and once ended)
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record RolloutView(String namespace, String service, String revision, String stableRevision, String strategy,
        int step, int totalSteps, int percent, String state, String reason, List<StepRecord> steps, Current current,
        Instant startedAt, Instant updatedAt, Instant endedAt) {

    /** The step in progress: when it started and what was measured of both revisions since. */
    public record Current(Instant startedAt, RevisionFigures candidate, RevisionFigures stable) {
    }

    static RolloutView of(String namespace, String service, RolloutRecord r, Current current) {
        return new RolloutView(namespace, service, r.to(), r.from(), r.strategy(), r.step() + 1, r.plan().size(), r.percent(),
                r.state(), r.reason(), r.steps(), current, r.startedAt(), r.updatedAt(), r.endedAt());
    }
}
