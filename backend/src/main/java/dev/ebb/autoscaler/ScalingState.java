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
 * @param initialized whether the revision has had its initial scale ready once (Knative's ScaleTargetInitialized), which
 *     ends the initial scale's floor
 */
public record ScalingState(Instant panicSince, int maxPanicInstances, List<Wanted> recent, Instant lastActive,
        boolean initialized) {

    /** A count wanted at a moment. */
    public record Wanted(Instant at, int instances) {
    }

    /**
     * The state of a revision the autoscaler starts to follow at {@code now} with {@code ready} instances ready: a new
     * revision, or one already running when Ebb (or its leadership) restarted. As in Knative, more than one instance
     * ready starts in panic at that count, since the load history that justified them is gone: the revision keeps them
     * until a stable window of new samples says otherwise. One that has its initial scale ready is initialized.
     */
    public static ScalingState start(Instant now, int ready, ScalingSettings settings) {
        return new ScalingState(ready > 1 ? now : null, ready > 1 ? ready : 0, List.of(), now,
                ready >= Kpa.initializedAt(settings, true));
    }
}
