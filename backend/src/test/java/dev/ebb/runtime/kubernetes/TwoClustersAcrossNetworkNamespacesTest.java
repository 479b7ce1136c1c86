package dev.ebb.runtime.kubernetes;

import dev.ebb.support.GatewayProcess;
import dev.ebb.support.NetworkNamespaces;
import dev.ebb.support.RealKubernetes;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.function.IntFunction;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;

/**
 * Two clusters as hosts of their own: each cluster's gateway is the standalone gateway process inside a network namespace
 * of its own, joined to this host (the control plane, the API servers and the pods) by a veth pair, and to the other
 * cluster's gateway by a veth pair between the two namespaces that the test takes down as a partition would. With
 * X this JVM's {@linkplain NetworkNamespaces#addressBlock() block}: a's namespace is 10.X.16.2 and this host's end of
 * its link 10.X.16.1, where a's pods get addresses 10.X.17.n and up; b likewise on 10.X.32.0/20; the peer link is
 * 10.X.48.1 (a) to 10.X.48.2 (b). Needs root and {@code ip}; skipped otherwise, where {@link TwoClustersTest} covers the
 * same scenarios on loopback.
 */
class TwoClustersAcrossNetworkNamespacesTest extends TwoClustersScenarios {

    private static final String NET = "10." + NetworkNamespaces.addressBlock() + ".";
    /** The gateway's internal, public and health listeners: each namespace has ports of its own, so fixed ones do. */
    private static final int[] PORTS = {8081, 8082, 8086};
    private static final int PEER_PORT = 8083;

    private static NetworkNamespaces network;
    private static Host a;
    private static Host b;
    private static NetworkNamespaces.Link peerLink;

    /** One cluster's namespace, where its gateway runs, and its link to this host. */
    private record Host(String namespace, NetworkNamespaces.Link link, String rootAddress, String address, String peerAddress) {

        /** The n-th pod's address in the subnet of this host's link, put on this host's end so that the gateway reaches it. */
        IntFunction<String> podAddresses() {
            String[] root = rootAddress.split("\\.");
            return n -> {
                String pod = NET + (Integer.parseInt(root[2]) + 1 + n / 250) + "." + (n % 250 + 1);
                link.addToA(pod);
                return pod;
            };
        }
    }

    @BeforeAll
    static void makeTheHosts() {
        Optional<String> unavailable = NetworkNamespaces.unavailable();
        Assumptions.assumeTrue(unavailable.isEmpty(), () -> unavailable.orElseThrow()
                + ": the gateways do not run as hosts of their own here, TwoClustersTest covers the scenarios on loopback");
        GatewayProcess.jar(); // fails the class at once when the standalone gateway was not built
        network = new NetworkNamespaces();
        a = host("a", 16, NET + "48.1");
        b = host("b", 32, NET + "48.2");
        peerLink = network.between(a.namespace(), a.peerAddress(), b.namespace(), b.peerAddress(), 24);
        kubelet().podAddresses(a.podAddresses());
        kubeletOfB().podAddresses(b.podAddresses());
    }

    private static Host host(String role, int third, String peerAddress) {
        String namespace = network.namespace(role);
        String root = NET + third + ".1";
        String address = NET + third + ".2";
        return new Host(namespace, network.toRoot(namespace, root, address, 20), root, address, peerAddress);
    }

    @AfterAll
    static void removeTheHosts() {
        if (network != null) {
            network.close();
        }
    }

    @Override
    protected String clusterOfPod(String address) {
        int third = Integer.parseInt(address.split("\\.")[2]);
        return third >= 32 && third < 48 ? "b" : "a";
    }

    @Override
    protected Gateways registerAndStartGateways(Path data) throws Exception {
        register(cluster, RealKubernetes.first(), a.peerAddress() + ":" + PEER_PORT);
        register(clusterB, RealKubernetes.second(), b.peerAddress() + ":" + PEER_PORT);
        GatewayProcess gatewayOfA = gatewayIn(a, cluster, data.resolve("a"));
        GatewayProcess gatewayOfB;
        try {
            gatewayOfB = gatewayIn(b, clusterB, data.resolve("b"));
        } catch (Exception e) {
            gatewayOfA.close();
            throw e;
        }
        return new Gateways() {
            @Override
            public InetSocketAddress entryOfB() {
                return new InetSocketAddress(b.address(), gatewayOfB.port());
            }

            @Override
            public void cut() {
                peerLink.down();
            }

            @Override
            public void restore() {
                peerLink.up();
            }

            @Override
            public void close() {
                try {
                    gatewayOfB.close();
                    gatewayOfA.close();
                } finally {
                    peerLink.up();
                }
            }
        };
    }

    /** The standalone gateway of cluster {@code name} in {@code host}'s namespace, reaching this control plane over its link. */
    private GatewayProcess gatewayIn(Host host, String name, Path data) throws Exception {
        return GatewayProcess.start(data, NetworkNamespaces.inside(host.namespace()), host.address(), PORTS,
                "http://" + host.rootAddress() + ":" + port, newGatewayToken(), List.of("--ebb.gateway.host=0.0.0.0",
                        "--ebb.gateway.cluster=" + name, "--ebb.gateway.peer-port=" + PEER_PORT,
                        "--ebb.gateway.peer-probe-interval=500ms", "--ebb.gateway.max-backoff=200ms"));
    }
}
