package dev.ebb.gateway;

import dev.ebb.feed.RoutingSnapshot;
import dev.ebb.spec.Names;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A routing snapshot compiled for lookups by host: one exact-match map per listener.
 *
 * <p>The internal listener answers {@code <name>.<namespace>.<internal domain>} for every service and
 * {@code <name>.<namespace>.<external domain>} for public ones; the public listener answers only the
 * latter. A tagged target adds {@code <tag>-<name>.<namespace>.<domain>}, which always reaches its
 * revision, even at 0 %. Should a tag host collide with another service's own host, the service wins.
 */
final class RoutingTable {

    /**
     * What a host resolves to: a service's split, or a single revision for a tag host.
     *
     * @param tag the tag of a tag host; empty for the service's own host
     */
    record Route(String namespace, String service, String tag, TrafficSplit<RevisionRoute> split) {
    }

    private final long version;
    private final Map<String, Route> internal;
    private final Map<String, Route> external;
    private final Map<String, RevisionRoute> revisions;
    private final List<RoutingSnapshot.Peer> peers;
    private final byte[][] peerTokens;

    private RoutingTable(long version, Map<String, Route> internal, Map<String, Route> external,
            Map<String, RevisionRoute> revisions, List<RoutingSnapshot.Peer> peers, List<String> peerTokens) {
        this.version = version;
        this.internal = internal;
        this.external = external;
        this.revisions = revisions;
        this.peers = peers;
        this.peerTokens = peerTokens.stream().filter(t -> t != null && !t.isEmpty())
                .map(t -> t.getBytes(StandardCharsets.UTF_8)).toArray(byte[][]::new);
    }

    long version() {
        return version;
    }

    /** The route for a Host header value (port, case and a trailing dot ignored), or null when none is served there. */
    Route resolve(String host, Listener listener) {
        String name = Hosts.normalize(host);
        if (name == null) {
            return null;
        }
        return (listener == Listener.PUBLIC ? external : internal).get(name);
    }

    /** The gateways of the other clusters. */
    List<RoutingSnapshot.Peer> peers() {
        return peers;
    }

    /**
     * Whether {@code token} is one of the peer tokens this cluster accepts. Compared in constant time with each of them,
     * so that how long a wrong guess takes says nothing about how close it came.
     */
    boolean acceptsPeerToken(String token) {
        if (token == null || token.isEmpty()) {
            return false;
        }
        byte[] given = token.getBytes(StandardCharsets.UTF_8);
        boolean accepted = false;
        for (byte[] known : peerTokens) {
            accepted |= MessageDigest.isEqual(given, known);
        }
        return accepted;
    }

    /** A revision by {@link RevisionRoute#key()}, or null when this snapshot does not name it. */
    RevisionRoute revision(String key) {
        return revisions.get(key);
    }

    /**
     * Compiles a snapshot. {@code loads} carries the in-flight counters of instances over from the
     * previous table, and forgets instances that are gone.
     */
    static RoutingTable compile(RoutingSnapshot snapshot, GatewayDomains domains, Loads loads) {
        Map<String, RevisionRoute> revisions = new HashMap<>();
        Map<String, Backend> peers = new HashMap<>();
        for (RoutingSnapshot.Peer peer : snapshot.peers()) {
            peers.putIfAbsent(peer.cluster(), Backend.peer(peer));
        }
        Set<String> liveInstances = new HashSet<>();
        for (RoutingSnapshot.Revision revision : snapshot.revisions()) {
            List<Backend> backends = new ArrayList<>(revision.endpoints().size());
            for (RoutingSnapshot.Endpoint endpoint : revision.endpoints()) {
                String key = revision.namespace() + "/" + revision.name() + "/" + endpoint.instance();
                liveInstances.add(key);
                backends.add(new Backend(endpoint, loads.counter(key)));
            }
            revisions.put(RevisionRoute.key(revision.namespace(), revision.name()), new RevisionRoute(revision.namespace(),
                    revision.service(), revision.name(), revision.protocol(), revision.timeoutSeconds(),
                    revision.concurrencyLimit(), true, backends, revision.placedHere(), remotes(revision, peers), revision.buffered()));
        }
        loads.retain(liveInstances);

        Map<String, Route> servicesInternal = new HashMap<>();
        Map<String, Route> servicesExternal = new HashMap<>();
        Map<String, Route> tagsInternal = new HashMap<>();
        Map<String, Route> tagsExternal = new HashMap<>();
        for (RoutingSnapshot.Service service : snapshot.services()) {
            String ns = service.namespace();
            List<RevisionRoute> targets = new ArrayList<>();
            List<Integer> percents = new ArrayList<>();
            for (RoutingSnapshot.Target target : service.targets()) {
                RevisionRoute revision = revisions.computeIfAbsent(RevisionRoute.key(ns, target.revision()),
                        k -> new RevisionRoute(ns, service.name(), target.revision(), RoutingSnapshot.Protocol.HTTP1, 0, 0, false,
                                List.of()));
                targets.add(revision);
                percents.add(target.percent());
                if (target.tag() != null && !target.tag().isBlank()) {
                    Route tagged = new Route(ns, service.name(), target.tag(), TrafficSplit.single(revision));
                    String tagLabel = Names.hostLabel(service.name(), target.tag());
                    tagsInternal.put(host(tagLabel, ns, domains.internal()), tagged);
                    if (service.visibility() == RoutingSnapshot.Visibility.PUBLIC) {
                        tagsExternal.put(host(tagLabel, ns, domains.external()), tagged);
                    }
                }
            }
            Route route = new Route(ns, service.name(), "", TrafficSplit.of(targets, percents));
            servicesInternal.put(host(service.name(), ns, domains.internal()), route);
            if (service.visibility() == RoutingSnapshot.Visibility.PUBLIC) {
                servicesExternal.put(host(service.name(), ns, domains.external()), route);
            }
        }
        Map<String, Route> externalHosts = merge(servicesExternal, tagsExternal);
        Map<String, Route> internalHosts = merge(servicesInternal, tagsInternal);
        externalHosts.forEach(internalHosts::putIfAbsent);
        return new RoutingTable(snapshot.version(), internalHosts, externalHosts, revisions, snapshot.peers(), snapshot.peerTokens());
    }

    private static List<RevisionRoute.Remote> remotes(RoutingSnapshot.Revision revision, Map<String, Backend> peers) {
        if (revision.remotes().isEmpty()) {
            return List.of();
        }
        List<RevisionRoute.Remote> remotes = new ArrayList<>(revision.remotes().size());
        for (RoutingSnapshot.Remote remote : revision.remotes()) {
            remotes.add(new RevisionRoute.Remote(remote.cluster(), remote.ready(), peers.get(remote.cluster())));
        }
        return remotes;
    }

    private static String host(String label, String namespace, String domain) {
        return Names.host(label, namespace, domain).toLowerCase(Locale.ROOT);
    }

    private static Map<String, Route> merge(Map<String, Route> services, Map<String, Route> tags) {
        Map<String, Route> hosts = new HashMap<>(services);
        tags.forEach(hosts::putIfAbsent);
        return hosts;
    }

    /** In-flight counters per instance, shared by consecutive tables. */
    static final class Loads {

        private final Map<String, AtomicInteger> counters = new ConcurrentHashMap<>();

        AtomicInteger counter(String instanceKey) {
            return counters.computeIfAbsent(instanceKey, k -> new AtomicInteger());
        }

        void retain(Set<String> instanceKeys) {
            counters.keySet().retainAll(instanceKeys);
        }
    }
}
