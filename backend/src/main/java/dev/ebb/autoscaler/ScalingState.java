package dev.ebb.autoscaler;

import java.time.Instant;
import java.util.List;

/**
 * What one decision remembers for the next.
 *
 * @param panicSince when panic mode last saw load over the threshold, null when not panicking
 * @param maxPanicInstances the highest count wanted during this panic; panic never scales down
 * @param recent the counts wanted recently, for the scale-down delay
 * @param lastActive the last moment the revision had load (or was created)
 * @param everReady whether the revision has had a ready instance, which ends its initial scale
 */
public record ScalingState(Instant panicSince, int maxPanicInstances, List<Wanted> recent, Instant lastActive,
        boolean everReady) {

    /** A count wanted at a moment. */
    public record Wanted(Instant at, int instances) {
    }

    /** The state of a revision created at {@code created}. */
    public static ScalingState initial(Instant created) {
        return new ScalingState(null, 0, List.of(), created, false);
    }
}
