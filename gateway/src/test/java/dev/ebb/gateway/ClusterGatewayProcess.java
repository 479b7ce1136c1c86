package dev.ebb.gateway;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import dev.ebb.feed.ColdStart;
import dev.ebb.feed.LoadReport;
import dev.ebb.feed.RoutingSnapshot;
import dev.ebb.feed.RoutingSnapshot.Protocol;
import dev.ebb.feed.RoutingSnapshot.Remote;
import dev.ebb.feed.RoutingSnapshot.Revision;
import dev.ebb.feed.RoutingSnapshot.Service;
import dev.ebb.feed.RoutingSnapshot.Target;
import dev.ebb.feed.RoutingSnapshot.Visibility;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.LoggerFactory;

/**
 * One cluster's gateway as a process of its own, with a fixed routing snapshot, for {@link NetworkNamespaceTest} to run
 * inside a network namespace. {@code serve <cluster> <peerPort> <token>} runs service {@code echo} ({@link GrpcEcho})
 * here and takes forwarded requests on the peer port; {@code forward <cluster> <peerCluster> <host> <port> <token>}
 * routes {@code echo} to that cluster's gateway. Both listen internally on {@link #PORT} of every address, print
 * {@code READY} once they do, and {@code PEER <cluster> reachable=<true|false> error=<why>} when a probe changes a
 * peer's reachability.
 */
final class ClusterGatewayProcess {

    static final int PORT = 9081;
    static final String HOST = "echo.ml.svc.cluster.local";

    private ClusterGatewayProcess() {
    }

    public static void main(String[] args) throws Exception {
        ((Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME)).setLevel(Level.INFO);
        ((Logger) LoggerFactory.getLogger("ebb.gateway.access")).setLevel(Level.WARN);
        String cluster = args[1];
        RoutingState routes = new RoutingState(new GatewayDomains("svc.cluster.local", "example.com"), null);
        Integer peerPort = null;
        if (args[0].equals("serve")) {
            peerPort = Integer.parseInt(args[2]);
            GrpcEcho echo = GrpcEcho.start();
            routes.apply(snapshot(cluster, List.of(), List.of(args[3]),
                    new Revision("ml", "echo-00001", "echo", Protocol.H2C, 30, 0, List.of(Snapshots.at("echo-00001-a", echo.port())),
                            true, List.of())));
        } else {
            RoutingSnapshot.Peer peer = new RoutingSnapshot.Peer(args[2], args[3], Integer.parseInt(args[4]), args[5]);
            routes.apply(snapshot(cluster, List.of(peer), List.of(),
                    new Revision("ml", "echo-00001", "echo", Protocol.H2C, 30, 0, List.of(), false, List.of(new Remote(peer.cluster(), 1)))));
        }
        Gateway gateway = new Gateway(GatewayProperties.listeningOn("0.0.0.0", PORT, 0, null)
                .inCluster(cluster, peerPort, Duration.ofMillis(500)), routes, new PeerChanges());
        gateway.start();
        System.out.println("READY");
        System.out.flush();
        Thread.currentThread().join();
    }

    private static RoutingSnapshot snapshot(String cluster, List<RoutingSnapshot.Peer> peers, List<String> tokens, Revision revision) {
        return new RoutingSnapshot(1, cluster, List.of(new Service("ml", "echo", Visibility.CLUSTER_LOCAL,
                List.of(new Target("echo-00001", 100, null)))), List.of(revision), peers, tokens);
    }

    /** Prints each change of a peer's reachability that the load reports show. */
    private static final class PeerChanges implements LoadSink {

        private final Map<String, Boolean> reachable = new ConcurrentHashMap<>();

        @Override
        public void report(LoadReport report) {
            for (LoadReport.PeerHealth peer : report.peers()) {
                Boolean before = reachable.put(peer.cluster(), peer.reachable());
                if (before == null || before != peer.reachable()) {
                    System.out.println("PEER " + peer.cluster() + " reachable=" + peer.reachable() + " error=" + peer.error());
                    System.out.flush();
                }
            }
        }

        @Override
        public void demand(String namespace, String revision) {
        }

        @Override
        public void coldStart(ColdStart coldStart) {
        }
    }
}
