package dev.ebb.routing;

import dev.ebb.feed.RoutingSnapshot;
import dev.ebb.runtime.RevisionKey;
import dev.ebb.spec.Placement;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;

/** Assembles a routing snapshot from what each service routes to and where each revision's ready instances are. */
final class RoutingSnapshots {

    private RoutingSnapshots() {
    }

    /**
     * One service's routing: itself, and the revisions its targets name (endpoints still empty). {@code serviceId}
     * tells it apart from a service of the same name that was deleted before.
     */
    record ServiceRouting(long serviceId, RoutingSnapshot.Service service, List<RoutingSnapshot.Revision> revisions,
            Placement placement) {

    }

    /**
     * The revision routes of a service's previous routing that a refresh may keep rather than read again: a revision's
     * template never changes, but a name may now belong to a new service, the old one deleted and created again
     * (both changes seen in one refresh).
     */
    static Map<String, RoutingSnapshot.Revision> reusable(ServiceRouting previous, long serviceId) {
        if (previous == null || previous.serviceId() != serviceId) {
            return Map.of();
        }
        return previous.revisions().stream().collect(Collectors.toMap(RoutingSnapshot.Revision::name, Function.identity()));
    }

    /**
     * The snapshot's content in a stable order, so equal routing compares equal.
     *
     * @param direct the revisions whose requests the gateway forwards straight to their instances, not buffering them
     */
    static RoutingSnapshot assemble(long version, Iterable<ServiceRouting> services,
            Map<RevisionKey, List<RoutingSnapshot.Endpoint>> endpoints, Set<RevisionKey> direct) {
        List<RoutingSnapshot.Service> allServices = new ArrayList<>();
        List<RoutingSnapshot.Revision> allRevisions = new ArrayList<>();
        for (ServiceRouting routing : services) {
            allServices.add(routing.service());
            for (RoutingSnapshot.Revision revision : routing.revisions()) {
                RevisionKey key = new RevisionKey(revision.namespace(), revision.service(), revision.name());
                List<RoutingSnapshot.Endpoint> ready = endpoints.getOrDefault(key, List.of());
                allRevisions.add(new RoutingSnapshot.Revision(revision.namespace(), revision.name(), revision.service(),
                        revision.protocol(), revision.timeoutSeconds(), revision.concurrencyLimit(),
                        ready.stream().sorted(Comparator.comparing(RoutingSnapshot.Endpoint::instance)).toList())
                        .buffered(!direct.contains(key)));
            }
        }
        allServices.sort(Comparator.comparing(RoutingSnapshot.Service::namespace).thenComparing(RoutingSnapshot.Service::name));
        allRevisions.sort(Comparator.comparing(RoutingSnapshot.Revision::namespace).thenComparing(RoutingSnapshot.Revision::name));
        return new RoutingSnapshot(version, allServices, allRevisions);
    }

    /**
     * The snapshot of one cluster's gateways: each revision's endpoints are its instances in {@code cluster}; the other
     * clusters it is placed on are its remotes, the heavier first (the earlier listed on a tie), each with its ready
     * instances; the peers are the other clusters whose gateways take forwarded requests.
     *
     * @param endpoints each cluster's ready instances of each revision
     * @param direct the revisions whose requests the gateway forwards straight to their instances
     */
    static RoutingSnapshot forCluster(long version, String cluster, Iterable<ServiceRouting> services,
            Map<String, Map<RevisionKey, List<RoutingSnapshot.Endpoint>>> endpoints, Set<RevisionKey> direct,
            List<RoutingSnapshot.Peer> peers, List<String> peerTokens) {
        List<RoutingSnapshot.Service> allServices = new ArrayList<>();
        List<RoutingSnapshot.Revision> allRevisions = new ArrayList<>();
        Map<RevisionKey, List<RoutingSnapshot.Endpoint>> here = endpoints.getOrDefault(cluster, Map.of());
        for (ServiceRouting routing : services) {
            allServices.add(routing.service());
            Placement placement = routing.placement();
            List<String> others = placement.clusters().stream().filter(c -> !c.equals(cluster))
                    .sorted(Comparator.comparingInt(placement::weight).reversed()).toList();
            for (RoutingSnapshot.Revision revision : routing.revisions()) {
                RevisionKey key = new RevisionKey(revision.namespace(), revision.service(), revision.name());
                List<RoutingSnapshot.Remote> remotes = others.stream().map(other -> new RoutingSnapshot.Remote(other,
                        endpoints.getOrDefault(other, Map.of()).getOrDefault(key, List.of()).size())).toList();
                allRevisions.add(new RoutingSnapshot.Revision(revision.namespace(), revision.name(), revision.service(),
                        revision.protocol(), revision.timeoutSeconds(), revision.concurrencyLimit(),
                        here.getOrDefault(key, List.of()).stream().sorted(Comparator.comparing(RoutingSnapshot.Endpoint::instance))
                                .toList(), placement.clusters().contains(cluster), remotes, !direct.contains(key)));
            }
        }
        allServices.sort(Comparator.comparing(RoutingSnapshot.Service::namespace).thenComparing(RoutingSnapshot.Service::name));
        allRevisions.sort(Comparator.comparing(RoutingSnapshot.Revision::namespace).thenComparing(RoutingSnapshot.Revision::name));
        return new RoutingSnapshot(version, cluster, allServices, allRevisions, peers, peerTokens);
    }

    /** The next version: above the last one and at least the wall clock in milliseconds, so it grows across restarts. */
    static long nextVersion(long last, long nowMillis) {
        return Math.max(last + 1, nowMillis);
    }
}
