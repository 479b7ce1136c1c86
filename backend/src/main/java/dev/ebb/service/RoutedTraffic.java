package dev.ebb.service;

import dev.ebb.spec.Placement;
import dev.ebb.traffic.ResolvedTarget;
import java.util.List;

/**
 * What gateways need to know about one service: its visibility, its traffic with each target resolved to a
 * revision, and the clusters it runs on. {@code serviceId} tells a service apart from an earlier one of the same name
 * that was deleted.
 */
public record RoutedTraffic(long serviceId, String visibility, List<ResolvedTarget> targets, Placement placement) {
}
