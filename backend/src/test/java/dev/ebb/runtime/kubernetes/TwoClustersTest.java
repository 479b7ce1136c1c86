package dev.ebb.runtime.kubernetes;

import static dev.ebb.support.Kubeconfigs.jsonString;
import static dev.ebb.support.Services.path;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.google.protobuf.StringValue;
import dev.ebb.gateway.Gateway;
import dev.ebb.support.Http;
import dev.ebb.support.KubeCluster;
import dev.ebb.support.KubeletTest;
import dev.ebb.support.ModelServer;
import dev.ebb.support.RawHttp;
import dev.ebb.support.RealKubernetes;
import dev.ebb.support.TcpProxy;
import dev.ebb.support.TestKubelet;
import dev.ebb.support.TinyServer;
import io.grpc.CallOptions;
import io.grpc.ManagedChannel;
import io.grpc.MethodDescriptor;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.protobuf.ProtoUtils;
import io.grpc.stub.ClientCalls;
import io.kubernetes.client.openapi.apis.AppsV1Api;
import io.kubernetes.client.openapi.apis.CoreV1Api;
import io.kubernetes.client.openapi.models.V1Deployment;
import io.kubernetes.client.openapi.models.V1Pod;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.test.annotation.DirtiesContext;
import tools.jackson.databind.JsonNode;

/**
 * Two clusters, each a real API server of its own (kube-apiserver, etcd and kube-controller-manager) whose pods a test
 * kubelet runs on loopback addresses of the cluster's own block (127.0.x.y in a, 127.1.x.y in b), driven by one control
 * plane, each with a gateway of its own listening on an address of its own (127.2.0.1 for a, 127.3.0.1 for b). A
 * request that enters b's gateway for a service that runs only in a crosses to a's gateway's peer listener (through a
 * TCP relay, where the test cuts the link between them).
 */
@DirtiesContext
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {"ebb.runtime.enabled=true",
        "ebb.kubernetes.observe-interval=200ms"})
class TwoClustersTest extends KubeletTest {

    private static final String GATEWAY_HOST_OF_A = "127.2.0.1";
    private static final String GATEWAY_HOST_OF_B = "127.3.0.1";
    /** The sample model server's server-streaming method, described as its README shows (no generated stub). */
    private static final MethodDescriptor<StringValue, StringValue> GENERATE = MethodDescriptor.<StringValue, StringValue>newBuilder()
            .setType(MethodDescriptor.MethodType.SERVER_STREAMING).setFullMethodName("ebb.example.Predictor/Generate")
            .setRequestMarshaller(ProtoUtils.marshaller(StringValue.getDefaultInstance()))
            .setResponseMarshaller(ProtoUtils.marshaller(StringValue.getDefaultInstance())).build();

    private static TestKubelet kubeletOfB;

    private final String clusterB = cluster + "-b";

    @BeforeAll
    static void startTheSecondCluster() throws Exception {
        KubeCluster b = RealKubernetes.second();
        b.withControllers();
        kubeletOfB = b.kubelet(Map.of(IMAGE, List.of(TinyServer.JAVA))).start();
    }

    @AfterAll
    static void stopItsKubelet() {
        kubeletOfB.close();
    }

    @Override
    protected List<String> clusters() {
        return List.of(cluster, clusterB);
    }

    /** Registers both clusters, each with its gateways' peer address; the two peer ports, a's first. */
    private int[] registerBoth() {
        int peerOfA = freePort(GATEWAY_HOST_OF_A);
        int peerOfB = freePort(GATEWAY_HOST_OF_B);
        register(cluster, RealKubernetes.first(), GATEWAY_HOST_OF_A + ":" + peerOfA);
        register(clusterB, RealKubernetes.second(), GATEWAY_HOST_OF_B + ":" + peerOfB);
        return new int[] {peerOfA, peerOfB};
    }

    private void register(String name, KubeCluster where, String gateway) {
        Http.Response registered = http().post("/api/v1/clusters", "{\"name\": \"" + name + "\", \"gateway\": \"" + gateway
                + "\", \"kubeconfig\": " + jsonString(where.kubeconfig()) + "}");
        assertThat(registered.status()).as(registered.body()).isEqualTo(201);
    }

    private static V1Deployment deployment(KubeCluster where, String namespace, String name) throws Exception {
        return new AppsV1Api(where.client()).readNamespacedDeployment(name, namespace).execute();
    }

    private static List<String> deploymentsNamed(KubeCluster where, String name) throws Exception {
        return new AppsV1Api(where.client()).listDeploymentForAllNamespaces().execute().getItems().stream()
                .map(d -> d.getMetadata().getName()).filter(name::equals).toList();
    }

    private void awaitReady(String revision, int instances) {
        String service = revision.substring(0, revision.lastIndexOf('-'));
        await().atMost(SLOW).untilAsserted(() -> {
            JsonNode status = http().get(path(ns, service) + "/revisions/" + revision).json();
            assertThat(status.at("/status/conditions/0/status").asString()).as(status.toString()).isEqualTo("True");
            assertThat(status.at("/status/instances/ready").asInt()).isEqualTo(instances);
        });
    }

    /** {@code ebb.example.Predictor/Generate} through the gateway at {@code host:port}; the tokens' messages as they came. */
    private static List<String> generate(String host, int port, String authority, int tokens) throws InterruptedException {
        ManagedChannel channel = NettyChannelBuilder.forAddress(host, port).overrideAuthority(authority).usePlaintext().build();
        try {
            List<String> received = new ArrayList<>();
            Iterator<StringValue> stream = ClientCalls.blockingServerStreamingCall(channel, GENERATE,
                    CallOptions.DEFAULT.withDeadlineAfter(30, TimeUnit.SECONDS),
                    StringValue.of("{\"prompt\": \"hello\", \"tokens\": " + tokens + "}"));
            stream.forEachRemaining(message -> received.add(message.getValue()));
            return received;
        } finally {
            channel.shutdownNow().awaitTermination(10, TimeUnit.SECONDS);
        }
    }

    @Test
    void aGrpcStreamEnteringClusterBReachesAServiceThatRunsOnlyInClusterA(@TempDir Path data) throws Exception {
        int[] peers = registerBoth();
        Http.Response created = http().post(path(ns), """
                {"name": "predictor", "placement": {"clusters": ["%s"]}, "template": {"image": "%s", "command": ["%s"],
                 "args": ["-jar", "%s"], "port": %d, "protocol": "h2c", "readiness": {"tcp": true},
                 "env": {"PROTOCOL": "h2c", "LOG_REQUESTS": "false"}, "scale": {"min": 1}}}"""
                .formatted(cluster, IMAGE, TinyServer.JAVA, ModelServer.JAR, instancePort));
        assertThat(created.status()).as(created.body()).isEqualTo(201);
        awaitReady("predictor-00001", 1);
        assertThat(deployment(RealKubernetes.first(), ns, "predictor-00001").getSpec().getReplicas()).isEqualTo(1);
        assertThat(deploymentsNamed(RealKubernetes.second(), "predictor-00001")).as("nothing of it runs in b").isEmpty();

        try (ConfigurableApplicationContext a = gatewayIn(cluster, GATEWAY_HOST_OF_A, peers[0], data.resolve("a"));
                ConfigurableApplicationContext b = gatewayIn(clusterB, GATEWAY_HOST_OF_B, peers[1], data.resolve("b"))) {
            assertThat(a.getBean(Gateway.class).peerPort()).as("a's peer listener, where b forwards").isEqualTo(peers[0]);
            int entryOfB = b.getBean(Gateway.class).port();
            String authority = "predictor." + ns + ".svc.cluster.local";
            // Until b's gateway has a snapshot with the service and has probed a's, the call may fail; then all of it arrives.
            List<String> tokens = await().atMost(SLOW).ignoreExceptions().until(() -> generate(GATEWAY_HOST_OF_B, entryOfB,
                    authority, 5), received -> received.size() == 5);
            for (int i = 0; i < tokens.size(); i++) {
                assertThat(tokens.get(i)).as("message %d, in order", i).contains("\"index\":" + i);
            }
            JsonNode routingOfB = gateway().get("/internal/v1/routing?cluster=" + clusterB).json();
            JsonNode revision = routingOfB.get("revisions").valueStream().filter(r -> r.get("name").asString().equals("predictor-00001"))
                    .findFirst().orElseThrow();
            assertThat(revision.get("endpoints")).as("b has no instance of its own").isEmpty();
            assertThat(revision.at("/remotes/0/cluster").asString()).isEqualTo(cluster);
        }
    }

    /** Which cluster's pod answered {@code /env} through the gateway at {@code host:port}: its HOST is its pod IP. */
    private static String servedFrom(String host, int port, String authority) throws Exception {
        RawHttp.Answer answer = RawHttp.get(host, port, authority, "/env");
        assertThat(answer.status()).as(answer.body()).isEqualTo(200);
        return answer.body().lines().filter(l -> l.startsWith("HOST=")).findFirst().orElseThrow().startsWith("HOST=127.1.") ? "b" : "a";
    }

    @Test
    void aServiceOnBothClustersRunsInProportionToTheWeightsServesLocallyAndFailsOverWhenOneHasNoReadyInstance(@TempDir Path data)
            throws Exception {
        int[] peers = registerBoth();
        Http.Response created = http().post(path(ns), """
                {"name": "split", "placement": {"clusters": ["%s", "%s"], "weights": {"%s": 2}}, "template": {"image": "%s",
                 "command": ["%s"], "args": ["%s", "$(PORT)"], "port": %d, "readiness": {"path": "/healthz"}, "scale": {"min": 3}}}"""
                .formatted(cluster, clusterB, clusterB, IMAGE, TinyServer.JAVA, TinyServer.source(), instancePort));
        assertThat(created.status()).as(created.body()).isEqualTo(201);
        awaitReady("split-00001", 3);
        assertThat(deployment(RealKubernetes.first(), ns, "split-00001").getSpec().getReplicas()).as("weight 1 of 3").isEqualTo(1);
        assertThat(deployment(RealKubernetes.second(), ns, "split-00001").getSpec().getReplicas()).as("weight 2 of 3").isEqualTo(2);

        try (ConfigurableApplicationContext a = gatewayIn(cluster, GATEWAY_HOST_OF_A, peers[0], data.resolve("a"));
                ConfigurableApplicationContext b = gatewayIn(clusterB, GATEWAY_HOST_OF_B, peers[1], data.resolve("b"))) {
            int entryOfA = a.getBean(Gateway.class).port();
            int entryOfB = b.getBean(Gateway.class).port();
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

    @Test
    void aCutLinkToTheOtherClustersGatewayIsReportedAnswered502AndRecoveredFrom(@TempDir Path data) throws Exception {
        int peerOfA = freePort(GATEWAY_HOST_OF_A);
        int peerOfB = freePort(GATEWAY_HOST_OF_B);
        // Cluster b reaches a's gateway through a relay that the test cuts and restores, as a partition would.
        try (TcpProxy link = TcpProxy.start(new InetSocketAddress(GATEWAY_HOST_OF_A, peerOfA))) {
            register(cluster, RealKubernetes.first(), "127.0.0.1:" + link.port());
            register(clusterB, RealKubernetes.second(), GATEWAY_HOST_OF_B + ":" + peerOfB);
            Http.Response created = http().post(path(ns), """
                    {"name": "web", "placement": {"clusters": ["%s"]}, "template": {"image": "%s", "command": ["%s"],
                     "args": ["%s", "$(PORT)"], "port": %d, "readiness": {"path": "/healthz"}, "scale": {"min": 1}}}"""
                    .formatted(cluster, IMAGE, TinyServer.JAVA, TinyServer.source(), instancePort));
            assertThat(created.status()).as(created.body()).isEqualTo(201);
            awaitReady("web-00001", 1);

            try (ConfigurableApplicationContext a = gatewayIn(cluster, GATEWAY_HOST_OF_A, peerOfA, data.resolve("a"));
                    ConfigurableApplicationContext b = gatewayIn(clusterB, GATEWAY_HOST_OF_B, peerOfB, data.resolve("b"))) {
                assertThat(a.getBean(Gateway.class).peerPort()).isEqualTo(peerOfA);
                int entryOfB = b.getBean(Gateway.class).port();
                String authority = "web." + ns + ".svc.cluster.local";
                await().atMost(SLOW).ignoreExceptions().untilAsserted(() -> assertThat(servedFrom(GATEWAY_HOST_OF_B, entryOfB,
                        authority)).isEqualTo("a"));

                link.cut();
                // Until b's gateway has reported since the cut, the status may name no peer yet.
                await().atMost(SLOW).ignoreExceptions().untilAsserted(() -> {
                    JsonNode peer = http().get("/api/v1/clusters/" + clusterB).json().at("/status/gateways/peers/0");
                    assertThat(peer.get("cluster").asString()).isEqualTo(cluster);
                    assertThat(peer.get("reachable").asBoolean()).as(peer.toString()).isFalse();
                    assertThat(peer.get("error").asString()).isNotBlank();
                });
                RawHttp.Answer failed = RawHttp.get(GATEWAY_HOST_OF_B, entryOfB, authority, "/env");
                assertThat(failed.status()).as(failed.body()).isEqualTo(502);
                assertThat(failed.body()).contains("runs in cluster " + cluster + ", whose gateway cannot be reached");

                link.restore();
                await().atMost(SLOW).ignoreExceptions().untilAsserted(() -> assertThat(http().get("/api/v1/clusters/" + clusterB).json()
                        .at("/status/gateways/peers/0/reachable").asBoolean()).isTrue());
                await().atMost(SLOW).ignoreExceptions().untilAsserted(() -> assertThat(servedFrom(GATEWAY_HOST_OF_B, entryOfB,
                        authority)).isEqualTo("a"));
            }
        }
    }
}
