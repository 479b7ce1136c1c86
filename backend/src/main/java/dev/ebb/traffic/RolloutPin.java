package dev.ebb.traffic;

import dev.ebb.spec.Names;

/**
 * A service's latest rollout as routing sees it: which revision the latestRevision share stays on (the stable one),
 * which one takes part of it (the candidate), how much, and in what state. It applies only to a service whose rollout
 * strategy is not immediate.
 *
 * @param stable the revision the rollout started from; null when the candidate was taken as stable with nothing to roll from
 * @param candidate the revision being rolled out
 * @param state {@code progressing}, {@code paused}, {@code succeeded}, {@code failed}, {@code aborted} or {@code superseded}
 * @param percent the candidate's share of the latestRevision traffic, 0 to 100
 */
public record RolloutPin(String stable, String candidate, String state, int percent) {

    /** The tag that gives the candidate of a rollout in progress, failed or aborted its own URL, even at 0 %. */
    public static final String CANDIDATE_TAG = "candidate";

    /** Whether the rollout still moves (or waits to move) traffic. */
    public boolean active() {
        return "progressing".equals(state) || "paused".equals(state);
    }

    /** Whether the candidate was sent back: it keeps a tag for debugging. */
    boolean rolledBack() {
        return "failed".equals(state) || "aborted".equals(state);
    }

    /** The revision the latestRevision share is established on: the candidate once it succeeded, the stable one before. */
    String established() {
        return "succeeded".equals(state) || stable == null ? candidate : stable;
    }

    /** Whether {@code service}'s candidate may get the candidate tag: its host name fits in a DNS label. */
    static boolean tagFits(String service) {
        return Names.hostLabel(service, CANDIDATE_TAG).length() <= Names.MAX_LABEL;
    }
}
