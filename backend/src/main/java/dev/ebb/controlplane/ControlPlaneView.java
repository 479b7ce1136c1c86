package dev.ebb.controlplane;

import java.time.Instant;

/**
 * The control plane as the replica that answers sees it.
 *
 * @param replica the replica that answered (host and process; a pod's name on Kubernetes)
 * @param leads whether that replica leads
 * @param leader the replica that leads and since when; null while none does (an election under way)
 * @param gatewaysPolling separate gateways long-polling this replica for routing now (only the leader has any)
 */
public record ControlPlaneView(String replica, boolean leads, Leader leader, int gatewaysPolling) {

    /** The leading replica, and since when it leads. */
    public record Leader(String replica, Instant since) {
    }
}
