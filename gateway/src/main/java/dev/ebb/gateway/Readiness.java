package dev.ebb.gateway;

import java.util.Optional;
import java.util.function.BooleanSupplier;

/**
 * Whether the gateway routes with a snapshot yet: one it was given, one it read back from its file at start (so a
 * gateway restarted while the control plane is away is ready at once), or the control plane's word that its
 * routing, possibly still empty, is current. Once ready it stays ready while it runs (it keeps routing with its last
 * snapshot), and is not ready from the moment it begins to stop, so that a load balancer in front sends it nothing new.
 *
 * @param source where snapshots come from, or null when nothing feeds this gateway
 * @param stopping whether the gateway has begun to stop
 */
record Readiness(RoutingState routes, RoutingSource source, BooleanSupplier stopping) {

    /** Why the gateway is not ready, in a few words; empty when it is. */
    Optional<String> notReadyBecause() {
        if (stopping.getAsBoolean()) {
            return Optional.of("stopping: draining the requests in flight");
        }
        if (routes.version() > 0) {
            return Optional.empty();
        }
        if (source == null) {
            return Optional.of("no routing snapshot and no source of one: set EBB_GATEWAY_CONTROL_PLANE_URL");
        }
        return source.awaiting().map(what -> "no routing snapshot yet: waiting for " + what);
    }
}
