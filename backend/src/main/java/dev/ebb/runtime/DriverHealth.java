package dev.ebb.runtime;

import java.time.Instant;

/**
 * How a cluster is as far as its driver knows, for the API's cluster status.
 *
 * @param reachable whether the cluster answers (its API server, for Kubernetes)
 * @param message what is wrong, a sentence; null when nothing is
 * @param version the cluster's version ({@code v1.20.2}), {@code local} for the local runtime; null when not known yet
 * @param driftReverted how often since Ebb started someone changed what Ebb runs there and Ebb put it back
 * @param lastDrift when it last did; null when never
 * @param lastDriftWhat what it put back then ({@code hello-00001: it was deleted}); null when never
 */
public record DriverHealth(boolean reachable, String message, String version, long driftReverted, Instant lastDrift,
        String lastDriftWhat) {

    /** A driver that says nothing about itself. */
    public static final DriverHealth UNKNOWN = new DriverHealth(true, null, null, 0, null, null);
}
