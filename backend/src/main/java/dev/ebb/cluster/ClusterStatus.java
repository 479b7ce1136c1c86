package dev.ebb.cluster;

import java.time.Instant;

/**
 * How a cluster is, as the control plane that answers sees it.
 *
 * @param reachable whether the cluster answers (its API server, for Kubernetes)
 * @param message what is wrong, a sentence; null when nothing is
 * @param version the cluster's version ({@code v1.20.2}), {@code local} for the local runtime; null when not known yet
 * @param lastReconciled when this replica last applied the desired state there; null when it follows or never did
 * @param revisions how many revisions Ebb runs there
 * @param instances their instances, desired and ready
 * @param drift what Ebb put back there since it started
 */
public record ClusterStatus(boolean reachable, String message, String version, Instant lastReconciled, int revisions,
        Instances instances, Drift drift) {

    /** Instances of every revision on the cluster. */
    public record Instances(int desired, int ready) {
    }

    /**
     * @param reverted how often someone changed what Ebb runs there and Ebb put it back
     * @param last when it last did; null when never
     * @param lastWhat what it put back then; null when never
     */
    public record Drift(long reverted, Instant last, String lastWhat) {
    }
}
