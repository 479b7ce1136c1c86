package dev.ebb.cluster;

import java.time.Instant;
import java.util.List;

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
 * @param gateways the cluster's gateways reporting to this control plane, and how they reach the other clusters'
 */
public record ClusterStatus(boolean reachable, String message, String version, Instant lastReconciled, int revisions,
        Instances instances, Drift drift, Gateways gateways) {

    /** The status without what its gateways report. */
    public ClusterStatus(boolean reachable, String message, String version, Instant lastReconciled, int revisions,
            Instances instances, Drift drift) {
        this(reachable, message, version, lastReconciled, revisions, instances, drift, new Gateways(0, List.of()));
    }

    /** The same status with what the cluster's gateways report. */
    public ClusterStatus withGateways(Gateways now) {
        return new ClusterStatus(reachable, message, version, lastReconciled, revisions, instances, drift, now);
    }

    /**
     * @param connected gateways of the cluster that reported in the last few seconds
     * @param peers how they reach each other cluster's gateways, from their probes
     */
    public record Gateways(int connected, List<PeerLink> peers) {

        public Gateways {
            peers = List.copyOf(peers);
        }
    }

    /**
     * The link from this cluster's gateways to another cluster's.
     *
     * @param reachable whether every gateway here that probes it got an answer last time
     * @param gateways how many gateways here probe it
     * @param rttMillis the slowest of their last answered probes' round trips; null before any answered
     * @param error why a probe failed, when one did
     * @param since when the first of them last changed between reachable and not
     */
    public record PeerLink(String cluster, boolean reachable, int gateways, Double rttMillis, String error, Instant since) {
    }

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
