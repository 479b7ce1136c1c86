package dev.ebb.autoscaler;

import dev.ebb.runtime.RevisionKey;
import java.time.Instant;
import java.util.List;

/**
 * Hears what every autoscaling round saw and decided, revision by revision, so that a history of load can be kept
 * without the autoscaler knowing who keeps it. Called on the autoscaler's thread: it must return quickly.
 */
public interface ScalingObserver {

    ScalingObserver NONE = (at, revisions) -> { };

    void round(Instant at, List<RevisionRound> revisions);

    /**
     * One revision in one round.
     *
     * @param requestsPerSecond whether {@code sample} is requests per second (metric {@code rps}) rather than requests
     *     in flight (metric {@code concurrency}), summed over the gateways
     * @param desired the instance count decided, floors and bounds applied
     * @param ready the instances the runtime had ready
     */
    record RevisionRound(RevisionKey revision, boolean requestsPerSecond, double sample, int desired, int ready) {
    }
}
