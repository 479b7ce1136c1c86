package dev.ebb.traffic;

import dev.ebb.spec.TrafficTarget;
import java.util.ArrayList;
import java.util.List;

/**
 * Resolves a split to revision names: {@code latestRevision} targets follow the latest ready revision, unless a rollout
 * holds them: then each such target's share is split between the rollout's stable revision and its candidate, or stays
 * on the stable one until the latest ready revision's rollout starts. Targets that name a revision are left alone, as
 * Knative leaves them.
 */
public final class TrafficResolution {

    private TrafficResolution() {
    }

    public static List<ResolvedTarget> resolve(List<TrafficTarget> targets, String latestReadyRevision) {
        return targets.stream()
                .map(t -> new ResolvedTarget(t.followsLatest() ? latestReadyRevision : t.revision(),
                        t.followsLatest(), t.percentOrZero(), t.tag()))
                .toList();
    }

    /**
     * The split with {@code service}'s rollout applied.
     *
     * @param pin the service's latest rollout; null when it has none or rolls out immediately
     */
    public static List<ResolvedTarget> resolve(String service, List<TrafficTarget> targets, String latestReadyRevision,
            RolloutPin pin) {
        if (pin == null || latestReadyRevision == null) {
            return resolve(targets, latestReadyRevision);
        }
        boolean rolling = pin.active() && pin.stable() != null && latestReadyRevision.equals(pin.candidate());
        boolean rolledBack = pin.rolledBack() && latestReadyRevision.equals(pin.candidate());
        String established = rolledBack ? pin.stable() : pin.established();
        if (!rolling && latestReadyRevision.equals(established)) {
            return resolve(targets, latestReadyRevision);
        }
        List<ResolvedTarget> resolved = new ArrayList<>();
        for (TrafficTarget t : targets) {
            if (!t.followsLatest()) {
                resolved.add(new ResolvedTarget(t.revision(), false, t.percentOrZero(), t.tag()));
            } else if (rolling) {
                int share = t.percentOrZero();
                int candidate = Math.round(share * pin.percent() / 100f);
                resolved.add(new ResolvedTarget(pin.stable(), true, share - candidate, null));
                resolved.add(new ResolvedTarget(pin.candidate(), true, candidate, t.tag()));
            } else {
                resolved.add(new ResolvedTarget(established, true, t.percentOrZero(), t.tag()));
            }
        }
        boolean tagTaken = targets.stream().anyMatch(t -> RolloutPin.CANDIDATE_TAG.equals(t.tag()));
        if ((rolling || rolledBack) && !tagTaken && RolloutPin.tagFits(service)) {
            resolved.add(new ResolvedTarget(pin.candidate(), false, 0, RolloutPin.CANDIDATE_TAG));
        }
        return List.copyOf(resolved);
    }
}
