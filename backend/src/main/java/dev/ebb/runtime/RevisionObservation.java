package dev.ebb.runtime;

import dev.ebb.revision.InstanceCounts;
import java.util.List;

/**
 * What a driver sees of one revision.
 *
 * @param readyStatus {@code True} once the revision has served as ready, {@code False} when it failed
 *     (with {@code reason} and {@code message}), {@code Unknown} while it is still deploying
 * @param endpoints the instances that answer their readiness probe now
 * @param instances every instance the driver runs of it, ready or not
 */
public record RevisionObservation(RevisionKey key, int desired, int ready, String readyStatus, String reason,
        String message, List<Endpoint> endpoints, List<InstanceCounts.Instance> instances) {

    public RevisionObservation {
        instances = instances == null ? List.of() : List.copyOf(instances);
    }

    /** A revision with no instances to show (none yet, or the cluster cannot be asked). */
    public RevisionObservation(RevisionKey key, int desired, int ready, String readyStatus, String reason, String message,
            List<Endpoint> endpoints) {
        this(key, desired, ready, readyStatus, reason, message, endpoints, List.of());
    }
}
