package dev.ebb.cluster;

import java.util.Optional;

/** The status of the clusters this control plane drives; implemented where the drivers live. */
public interface ClusterStates {

    /** None: a control plane whose runtime is off drives no cluster. */
    ClusterStates NONE = cluster -> Optional.empty();

    /** The cluster's status; empty when this control plane does not drive it. */
    Optional<ClusterStatus> status(String cluster);
}
