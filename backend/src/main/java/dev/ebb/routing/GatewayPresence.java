package dev.ebb.routing;

import dev.ebb.cluster.ClusterGateways;
import dev.ebb.cluster.ClusterStatus;
import dev.ebb.feed.LoadReport;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Which gateways of each cluster report (a gateway reports its load twice a second, idle or not), and how they reach
 * the other clusters' gateways, from the probe results in their reports. A gateway that names no cluster counts for
 * the control plane's own cluster, where the in-process gateway runs.
 */
final class GatewayPresence implements ClusterGateways {

    /** A gateway silent for longer than this is no longer connected. */
    static final Duration SILENCE = Duration.ofSeconds(5);

    private final Clock clock;
    private final String defaultCluster;
    private final Map<String, Heard> gateways = new ConcurrentHashMap<>();

    GatewayPresence(Clock clock, String defaultCluster) {
        this.clock = clock;
        this.defaultCluster = defaultCluster;
    }

    private record Heard(String cluster, Instant at, List<LoadReport.PeerHealth> peers) {
    }

    void heard(LoadReport report) {
        Instant now = clock.instant();
        gateways.put(report.gateway() == null ? "" : report.gateway(), new Heard(report.cluster() == null ? defaultCluster
                : report.cluster(), now, report.peers()));
        gateways.values().removeIf(heard -> heard.at().isBefore(now.minus(SILENCE.multipliedBy(12))));
    }

    @Override
    public ClusterStatus.Gateways of(String cluster) {
        Instant since = clock.instant().minus(SILENCE);
        List<Heard> connected = gateways.values().stream()
                .filter(heard -> heard.cluster().equals(cluster) && !heard.at().isBefore(since)).toList();
        Map<String, List<LoadReport.PeerHealth>> byPeer = new TreeMap<>();
        connected.forEach(heard -> heard.peers().forEach(peer ->
                byPeer.computeIfAbsent(peer.cluster(), c -> new ArrayList<>()).add(peer)));
        List<ClusterStatus.PeerLink> links = new ArrayList<>();
        byPeer.forEach((peer, probes) -> links.add(link(peer, probes)));
        return new ClusterStatus.Gateways(connected.size(), links);
    }

    /** The gateways' probes of one peer together: reachable when all of them reached it, the slowest round trip. */
    static ClusterStatus.PeerLink link(String peer, List<LoadReport.PeerHealth> probes) {
        boolean reachable = probes.stream().allMatch(LoadReport.PeerHealth::reachable);
        Double rtt = probes.stream().map(LoadReport.PeerHealth::rttMillis).filter(Objects::nonNull).max(Double::compare)
                .orElse(null);
        String error = probes.stream().map(LoadReport.PeerHealth::error).filter(Objects::nonNull).findFirst().orElse(null);
        Instant since = probes.stream().map(LoadReport.PeerHealth::since).filter(Objects::nonNull).max(Instant::compareTo)
                .orElse(null);
        return new ClusterStatus.PeerLink(peer, reachable, probes.size(), rtt, error, since);
    }
}
