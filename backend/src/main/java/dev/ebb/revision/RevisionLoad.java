package dev.ebb.revision;

import java.util.Optional;

/** The load a revision carries, as the autoscaler last saw it; empty for a revision nobody autoscales. */
public interface RevisionLoad {

    Optional<Load> of(String namespace, String revision);

    /**
     * A revision's load at the autoscaler's last decision.
     *
     * @param averageConcurrency requests in flight or waiting for it, averaged over the autoscaler's panic window
     * @param excessBurstCapacity what its ready instances can take at once beyond that load and its target burst capacity
     *     (Knative's excess burst capacity); negative while the gateway buffers its requests
     * @param gatewayInPath whether the gateway buffers its requests while no instance has room, as Knative's activator
     *     does in the request path; false when they go straight to its instances
     */
    record Load(double averageConcurrency, double excessBurstCapacity, boolean gatewayInPath) {
    }
}
