package dev.ebb.rollout;

import java.time.Instant;

/**
 * One step of a rollout as it ended: the new revision's percent, what the gateways measured of both revisions during it,
 * and what was decided and why.
 *
 * @param decision {@code advanced}, {@code succeeded}, {@code failed}, {@code promoted}, {@code aborted}, {@code superseded}
 *        or {@code resumed}
 */
public record StepRecord(int step, int percent, Instant startedAt, Instant endedAt, RevisionFigures candidate,
        RevisionFigures stable, String decision, String reason) {
}
