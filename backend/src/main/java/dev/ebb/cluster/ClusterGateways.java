package dev.ebb.cluster;

import java.util.List;

/** What the gateways of each cluster report about themselves; implemented where gateway reports arrive. */
public interface ClusterGateways {

    /** None: a control plane that hears from no gateway. */
    ClusterGateways NONE = cluster -> new ClusterStatus.Gateways(0, List.of());

    ClusterStatus.Gateways of(String cluster);
}
