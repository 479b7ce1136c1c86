package dev.ebb.runtime.kubernetes;

import static dev.ebb.support.Services.path;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.ebb.gateway.StandaloneGateway;
import dev.ebb.support.Http;
import dev.ebb.support.RealKubernetes;
import dev.ebb.support.TcpProxy;
import dev.ebb.support.TestFork;
import dev.ebb.support.TinyServer;
import io.kubernetes.client.openapi.apis.CoreV1Api;
import io.kubernetes.client.openapi.models.V1Pod;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two clusters on one host: pods on loopback addresses of each cluster's own block (this test JVM's loopback blocks 0
 * in a and 1 in b, e.g. 127.0.x.y and 127.1.x.y), each cluster's gateway a Spring application in this JVM listening on
 * an address of its own (in blocks 2 and 3); b reaches a's gateway's peer listener through a TCP relay, where the test
 * cuts the link. Runs everywhere, where {@link TwoClustersAcrossNetworkNamespacesTest} needs root; also places one
 * service in both.
 */
class TwoClustersTest extends TwoClustersScenarios {

    private static final String GATEWAY_HOST_OF_A = TestFork.loopbackPrefix(2) + "0.1";
    private static final String GATEWAY_HOST_OF_B = TestFork.loopbackPrefix(3) + "0.1";

    @Override
    protected String clusterOfPod(String address) {
        return address.startsWith(TestFork.loopbackPrefix(1)) ? "b" : "a";
    }

    @Override
    protected Gateways registerAndStartGateways(Path data) throws Exception {
        int peerOfA = freePort(GATEWAY_HOST_OF_A);
        int peerOfB = freePort(GATEWAY_HOST_OF_B);
        TcpProxy link = TcpProxy.start(new InetSocketAddress(GATEWAY_HOST_OF_A, peerOfA));
        register(cluster, RealKubernetes.first(), "127.0.0.1:" + link.port());
        register(clusterB, RealKubernetes.second(), GATEWAY_HOST_OF_B + ":" + peerOfB);
        StandaloneGateway a;
        StandaloneGateway b;
        try {
            a = gatewayIn(cluster, GATEWAY_HOST_OF_A, peerOfA, data.resolve("a"));
        } catch (RuntimeException e) {
            link.close();
            throw e;
        }
        try {
            b = gatewayIn(clusterB, GATEWAY_HOST_OF_B, peerOfB, data.resolve("b"));
        } catch (RuntimeException e) {
            a.close();
            link.close();
            throw e;
        }
        assertThat(a.gateway().peerPort()).as("a's peer listener, where b forwards").isEqualTo(peerOfA);
        InetSocketAddress entryOfB = new InetSocketAddress(GATEWAY_HOST_OF_B, b.gateway().port());
        return new Gateways() {
            @Override
            public InetSocketAddress entryOfB() {
                return entryOfB;
            }

            @Override
            public void cut() throws IOException {
                link.cut();
            }

            @Override
            public void restore() throws IOException {
                link.restore();
            }

            @Override
            public void close() throws IOException {
                try {
                    b.close();
                    a.close();
                } finally {
                    link.close();
                }
            }
        };
    }

    /** Registers both clusters, each with its gateways' peer address, directly; the two peer ports, a's first. */
    private int[] registerBoth() {
        int peerOfA = freePort(GATEWAY_HOST_OF_A);
        int peerOfB = freePort(GATEWAY_HOST_OF_B);
        register(cluster, RealKubernetes.first(), GATEWAY_HOST_OF_A + ":" + peerOfA);
        register(clusterB, RealKubernetes.second(), GATEWAY_HOST_OF_B + ":" + peerOfB);
        return new int[] {peerOfA, peerOfB};
    }

    @Test
    void aServiceOnBothClustersRunsInProportionToTheWeightsServesLocallyAndFailsOverWhenOneHasNoReadyInstance(@TempDir Path data)
            throws Exception {
        int[] peers = registerBoth();
        Http.Response created = http().post(path(ns), """
                {"name": "split", "placement": {"clusters": ["%s", "%s"], "weights": {"%s": 2}}, "template": {"image": "%s",
                 "command": ["%s"], "args": ["%s", "$(PORT)"], "port": %d, "readiness": {"path": "/healthz"}, "scale": {"min": 3}}}"""
                .formatted(cluster, clusterB, clusterB, IMAGE, TinyServer.JAVA, TinyServer.program(), instancePort));
        assertThat(created.status()).as(created.body()).isEqualTo(201);
        awaitReady("split-00001", 3);
        assertThat(deployment(RealKubernetes.first(), ns, "split-00001").getSpec().getReplicas()).as("weight 1 of 3").isEqualTo(1);
        assertThat(deployment(RealKubernetes.second(), ns, "split-00001").getSpec().getReplicas()).as("weight 2 of 3").isEqualTo(2);

        try (StandaloneGateway a = gatewayIn(cluster, GATEWAY_HOST_OF_A, peers[0], data.resolve("a"));
                StandaloneGateway b = gatewayIn(clusterB, GATEWAY_HOST_OF_B, peers[1], data.resolve("b"))) {
            int entryOfA = a.gateway().port();
            int entryOfB = b.gateway().port();
            String authority = "split." + ns + ".svc.cluster.local";
            await().atMost(SLOW).ignoreExceptions().untilAsserted(() -> {
                assertThat(servedFrom(GATEWAY_HOST_OF_A, entryOfA, authority)).as("a's gateway prefers a's instance").isEqualTo("a");
                assertThat(servedFrom(GATEWAY_HOST_OF_B, entryOfB, authority)).as("b's gateway prefers b's").isEqualTo("b");
            });

            // a's only pod goes, and its replacement cannot start: a has no ready instance, so a's gateway sends to b.
            try {
                kubelet().only(namespace -> !namespace.equals(ns));
                CoreV1Api coreOfA = new CoreV1Api(RealKubernetes.first().client());
                for (V1Pod pod : coreOfA.listNamespacedPod(ns).execute().getItems()) {
                    coreOfA.deleteNamespacedPod(pod.getMetadata().getName(), ns).execute();
                }
                await().atMost(SLOW).untilAsserted(() -> assertThat(http().get(path(ns, "split") + "/revisions/split-00001").json()
                        .at("/status/instances/ready").asInt()).isEqualTo(2));
                await().atMost(SLOW).ignoreExceptions().untilAsserted(() -> {
                    for (int i = 0; i < 5; i++) {
                        assertThat(servedFrom(GATEWAY_HOST_OF_A, entryOfA, authority)).as("failed over to b").isEqualTo("b");
                    }
                });
            } finally {
                kubelet().only(namespace -> true);
            }
            // Once a runs its pod again, a's gateway serves from it again.
            await().atMost(SLOW).ignoreExceptions().untilAsserted(() -> assertThat(servedFrom(GATEWAY_HOST_OF_A, entryOfA, authority))
                    .isEqualTo("a"));
        }
    }
}
