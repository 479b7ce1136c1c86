package dev.ebb.runtime;

import java.util.List;

/**
 * What a driver sees of one revision.
 *
 * @param readyStatus {@code True} once the revision has served as ready, {@code False} when it failed
 *     (with {@code reason} and {@code message}), {@code Unknown} while it is still deploying
 * @param endpoints the instances that answer their readiness probe now
 */
public record RevisionObservation(RevisionKey key, int desired, int ready, String readyStatus, String reason,
        String message, List<Endpoint> endpoints) {
}
