package dev.ebb.runtime.kubernetes;

import static dev.ebb.support.Kubeconfigs.jsonString;
import static dev.ebb.support.Services.path;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.google.protobuf.StringValue;
import dev.ebb.support.Http;
import dev.ebb.support.KubeCluster;
import dev.ebb.support.KubeletTest;
import dev.ebb.support.ModelServer;
import dev.ebb.support.RawHttp;
import dev.ebb.support.RealKubernetes;
import dev.ebb.support.TestKubelet;
import dev.ebb.support.TinyServer;
import io.grpc.CallOptions;
import io.grpc.ManagedChannel;
import io.grpc.MethodDescriptor;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.protobuf.ProtoUtils;
import io.grpc.stub.ClientCalls;
import io.kubernetes.client.openapi.apis.AppsV1Api;
import io.kubernetes.client.openapi.models.V1Deployment;
import java.io.IOException;
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
import org.springframework.test.annotation.DirtiesContext;
import tools.jackson.databind.JsonNode;

/**
 * What two clusters do between them, whatever stands for their hosts: each cluster is a real API server of its own
 * (kube-apiserver, etcd and kube-controller-manager) whose pods a test kubelet runs, driven by one control plane, each
 * with a gateway of its own; a request that enters b's gateway for a service that runs only in a crosses to a's
 * gateway's peer listener, over a link the subclass can cut and restore.
 */
@DirtiesContext
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {"ebb.runtime.enabled=true",
        "ebb.kubernetes.observe-interval=200ms"})
abstract class TwoClustersScenarios extends KubeletTest {

    /** The sample model server's server-streaming method, described as its README shows (no generated stub). */
    private static final MethodDescriptor<StringValue, StringValue> GENERATE = MethodDescriptor.<StringValue, StringValue>newBuilder()
            .setType(MethodDescriptor.MethodType.SERVER_STREAMING).setFullMethodName("ebb.example.Predictor/Generate")
            .setRequestMarshaller(ProtoUtils.marshaller(StringValue.getDefaultInstance()))
            .setResponseMarshaller(ProtoUtils.marshaller(StringValue.getDefaultInstance())).build();

    private static TestKubelet kubeletOfB;

    protected final String clusterB = cluster + "-b";

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

    /** The kubelet of the second cluster's node. */
    protected static TestKubelet kubeletOfB() {
        return kubeletOfB;
    }

    @Override
    protected List<String> clusters() {
        return List.of(cluster, clusterB);
    }

    /** Both clusters' gateways, running, and the link that b's gateway crosses to reach a's. */
    protected interface Gateways extends AutoCloseable {

        /** Where b's gateway takes requests from clients. */
        InetSocketAddress entryOfB();

        /** Cuts the link from b's gateway to a's, as a partition would. */
        void cut() throws IOException;

        /** Joins them again. */
        void restore() throws IOException;

        @Override
        void close() throws IOException;
    }

    /**
     * Registers both clusters (a is {@link #cluster}, b {@link #clusterB}), each with where its gateway takes the other
     * cluster's requests, and starts both gateways, each routing with its own cluster's snapshot.
     */
    protected abstract Gateways registerAndStartGateways(Path data) throws Exception;

    /** Which cluster, "a" or "b", runs the pod at {@code address}. */
    protected abstract String clusterOfPod(String address);

    protected void register(String name, KubeCluster where, String gateway) {
        Http.Response registered = http().post("/api/v1/clusters", "{\"name\": \"" + name + "\", \"gateway\": \"" + gateway
                + "\", \"kubeconfig\": " + jsonString(where.kubeconfig()) + "}");
        assertThat(registered.status()).as(registered.body()).isEqualTo(201);
    }

    protected static V1Deployment deployment(KubeCluster where, String namespace, String name) throws Exception {
        return new AppsV1Api(where.client()).readNamespacedDeployment(name, namespace).execute();
    }

    private static List<String> deploymentsNamed(KubeCluster where, String name) throws Exception {
        return new AppsV1Api(where.client()).listDeploymentForAllNamespaces().execute().getItems().stream()
                .map(d -> d.getMetadata().getName()).filter(name::equals).toList();
    }

    protected void awaitReady(String revision, int instances) {
        String service = revision.substring(0, revision.lastIndexOf('-'));
        await().atMost(SLOW).untilAsserted(() -> {
            JsonNode status = http().get(path(ns, service) + "/revisions/" + revision).json();
            assertThat(status.at("/status/conditions/0/status").asString()).as(status.toString()).isEqualTo("True");
            assertThat(status.at("/status/instances/ready").asInt()).isEqualTo(instances);
        });
    }

    /** {@code ebb.example.Predictor/Generate} through the gateway at {@code entry}; the tokens' messages as they came. */
    private static List<String> generate(InetSocketAddress entry, String authority, int tokens) throws InterruptedException {
        ManagedChannel channel = NettyChannelBuilder.forAddress(entry.getHostString(), entry.getPort()).overrideAuthority(authority)
                .usePlaintext().build();
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

    /** Which cluster's pod answered {@code /env} through the gateway at {@code host:port}: its HOST is its pod IP. */
    protected String servedFrom(String host, int port, String authority) throws Exception {
        RawHttp.Answer answer = RawHttp.get(host, port, authority, "/env");
        assertThat(answer.status()).as(answer.body()).isEqualTo(200);
        String pod = answer.body().lines().filter(l -> l.startsWith("HOST=")).findFirst().orElseThrow().substring("HOST=".length());
        return clusterOfPod(pod.strip());
    }

    @Test
    void aGrpcStreamEnteringClusterBReachesAServiceThatRunsOnlyInClusterA(@TempDir Path data) throws Exception {
        try (Gateways gateways = registerAndStartGateways(data)) {
            Http.Response created = http().post(path(ns), """
                    {"name": "predictor", "placement": {"clusters": ["%s"]}, "template": {"image": "%s", "command": ["%s"],
                     "args": ["-jar", "%s"], "port": %d, "protocol": "h2c", "readiness": {"tcp": true},
                     "env": {"PROTOCOL": "h2c", "LOG_REQUESTS": "false"}, "scale": {"min": 1}}}"""
                    .formatted(cluster, IMAGE, TinyServer.JAVA, ModelServer.JAR, instancePort));
            assertThat(created.status()).as(created.body()).isEqualTo(201);
            awaitReady("predictor-00001", 1);
            assertThat(deployment(RealKubernetes.first(), ns, "predictor-00001").getSpec().getReplicas()).isEqualTo(1);
            assertThat(deploymentsNamed(RealKubernetes.second(), "predictor-00001")).as("nothing of it runs in b").isEmpty();

            String authority = "predictor." + ns + ".svc.cluster.local";
            // Until b's gateway has a snapshot with the service and has probed a's, the call may fail; then all of it arrives.
            List<String> tokens = await().atMost(SLOW).ignoreExceptions().until(() -> generate(gateways.entryOfB(), authority, 5),
                    received -> received.size() == 5);
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

    @Test
    void aCutLinkToTheOtherClustersGatewayIsReportedAnswered502AndRecoveredFrom(@TempDir Path data) throws Exception {
        try (Gateways gateways = registerAndStartGateways(data)) {
            Http.Response created = http().post(path(ns), """
                    {"name": "web", "placement": {"clusters": ["%s"]}, "template": {"image": "%s", "command": ["%s"],
                     "args": ["%s", "$(PORT)"], "port": %d, "readiness": {"path": "/healthz"}, "scale": {"min": 1}}}"""
                    .formatted(cluster, IMAGE, TinyServer.JAVA, TinyServer.program(), instancePort));
            assertThat(created.status()).as(created.body()).isEqualTo(201);
            awaitReady("web-00001", 1);

            String hostOfB = gateways.entryOfB().getHostString();
            int entryOfB = gateways.entryOfB().getPort();
            String authority = "web." + ns + ".svc.cluster.local";
            await().atMost(SLOW).ignoreExceptions().untilAsserted(() -> assertThat(servedFrom(hostOfB, entryOfB, authority))
                    .isEqualTo("a"));

            gateways.cut();
            // Until b's gateway has reported since the cut, the status may name no peer yet.
            await().atMost(SLOW).ignoreExceptions().untilAsserted(() -> {
                JsonNode peer = http().get("/api/v1/clusters/" + clusterB).json().at("/status/gateways/peers/0");
                assertThat(peer.get("cluster").asString()).isEqualTo(cluster);
                assertThat(peer.get("reachable").asBoolean()).as(peer.toString()).isFalse();
                assertThat(peer.get("error").asString()).isNotBlank();
            });
            RawHttp.Answer failed = RawHttp.get(hostOfB, entryOfB, authority, "/env");
            assertThat(failed.status()).as(failed.body()).isEqualTo(502);
            assertThat(failed.body()).contains("runs in cluster " + cluster + ", whose gateway cannot be reached");

            gateways.restore();
            await().atMost(SLOW).ignoreExceptions().untilAsserted(() -> assertThat(http().get("/api/v1/clusters/" + clusterB).json()
                    .at("/status/gateways/peers/0/reachable").asBoolean()).isTrue());
            await().atMost(SLOW).ignoreExceptions().untilAsserted(() -> assertThat(servedFrom(hostOfB, entryOfB, authority))
                    .isEqualTo("a"));
        }
    }
}
