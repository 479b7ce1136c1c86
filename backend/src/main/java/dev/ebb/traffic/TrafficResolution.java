package dev.ebb.traffic;

import dev.ebb.spec.TrafficTarget;
import java.util.List;

/** Resolves a split to revision names: {@code latestRevision} targets follow the latest ready revision. */
public final class TrafficResolution {

    private TrafficResolution() {
    }

    public static List<ResolvedTarget> resolve(List<TrafficTarget> targets, String latestReadyRevision) {
        return targets.stream()
                .map(t -> new ResolvedTarget(t.followsLatest() ? latestReadyRevision : t.revision(),
                        t.followsLatest(), t.percentOrZero(), t.tag()))
                .toList();
    }
}
