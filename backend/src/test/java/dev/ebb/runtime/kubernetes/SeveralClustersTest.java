package dev.ebb.runtime.kubernetes;

import static dev.ebb.support.Kubeconfigs.jsonString;
import static dev.ebb.support.Services.path;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.ebb.feed.LoadReport;
import dev.ebb.gateway.ControlPlaneLoadSink;
import dev.ebb.gateway.ControlPlanes;
import dev.ebb.gateway.StandaloneGateway;
import dev.ebb.support.Http;
import dev.ebb.support.KubeletTest;
import dev.ebb.support.RawHttp;
import dev.ebb.support.RealKubernetes;
import dev.ebb.support.RoutingJson;
import dev.ebb.support.TinyServer;
import io.kubernetes.client.openapi.apis.AppsV1Api;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.annotation.DirtiesContext;
import tools.jackson.databind.JsonNode;

/**
 * A service placed on two clusters at once, the local runtime and a real Kubernetes cluster (a real kube-apiserver and
 * kube-controller-manager, with the test kubelet running pods as local processes): each runs its share of the
 * instances, the revision is ready once one of them serves it, and each cluster's gateways get their own routing: their
 * own instances, where else each revision runs, and the other clusters' gateways with the token they accept.
 */
@DirtiesContext
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {"ebb.runtime.enabled=true",
        "ebb.kubernetes.observe-interval=200ms", "ebb.autoscaler.scale-to-zero-grace-period=0s",
        "ebb.autoscaler.allow-zero-initial-scale=true"})
class SeveralClustersTest extends KubeletTest {

    private void register(String gateway) {
        Http.Response registered = http().post("/api/v1/clusters", "{\"name\": \"" + cluster + "\", \"gateway\": \"" + gateway
                + "\", \"kubeconfig\": " + jsonString(RealKubernetes.kubeconfig()) + "}");
        assertThat(registered.status()).as(registered.body()).isEqualTo(201);
        assertThat(registered.json().get("gateway").asString()).isEqualTo(gateway);
    }

    /** Runs on both: the local runtime runs the command, the test kubelet the image's (the same tiny server). */
    private String service(String name, String placement, int min) {
        return """
                {"name": "%s", "placement": %s, "template": {"image": "%s", "command": ["%s"], "args": ["%s", "$(PORT)"],
                 "port": %d, "readiness": {"path": "/healthz"}, "scale": {"min": %d}}}""".formatted(name, placement, IMAGE,
                TinyServer.JAVA, TinyServer.program(), instancePort, min);
    }

    private JsonNode revisionIn(JsonNode snapshot, String name) {
        return RoutingJson.revision(snapshot, ns, name);
    }

    @Test
    void aServiceOnTwoClustersRunsEachClustersShareAndEachClustersGatewaysRouteWithTheirOwnInstances() throws Exception {
        register("127.0.0.1:18083");
        Http.Response created = http().post(path(ns), service("both", "{\"clusters\": [\"local\", \"" + cluster
                + "\"], \"weights\": {\"" + cluster + "\": 2}}", 3));
        assertThat(created.status()).as(created.body()).isEqualTo(201);
        assertThat(created.json().at("/placement/weights/" + cluster).asInt()).isEqualTo(2);

        // Three instances in all: one local process, two pods.
        await().atMost(SLOW).untilAsserted(() -> {
            JsonNode revision = http().get(path(ns, "both") + "/revisions/both-00001").json();
            assertThat(revision.at("/status/conditions/0/status").asString()).as(revision.toString()).isEqualTo("True");
            assertThat(revision.at("/status/instances/ready").asInt()).isEqualTo(3);
        });
        assertThat(new AppsV1Api(RealKubernetes.client()).readNamespacedDeployment("both-00001", ns).execute().getSpec().getReplicas())
                .isEqualTo(2);

        JsonNode local = gateway().get("/internal/v1/routing?cluster=local").json();
        assertThat(local.get("cluster").asString()).isEqualTo("local");
        JsonNode here = revisionIn(local, "both-00001");
        assertThat(here.get("endpoints")).hasSize(1);
        assertThat(here.get("placedHere").asBoolean()).isTrue();
        assertThat(here.get("remotes")).singleElement().satisfies(remote -> {
            assertThat(remote.get("cluster").asString()).isEqualTo(cluster);
            assertThat(remote.get("ready").asInt()).isEqualTo(2);
        });
        JsonNode peer = local.get("peers").valueStream().filter(p -> p.get("cluster").asString().equals(cluster)).findFirst()
                .orElseThrow();
        assertThat(peer.get("host").asString()).isEqualTo("127.0.0.1");
        assertThat(peer.get("port").asInt()).isEqualTo(18083);

        JsonNode remote = gateway().get("/internal/v1/routing?cluster=" + cluster).json();
        assertThat(revisionIn(remote, "both-00001").get("endpoints")).hasSize(2);
        assertThat(remote.get("peerTokens").valueStream().map(JsonNode::asString).toList())
                .as("the cluster's gateways accept the token the others send them").contains(peer.get("token").asString());
        assertThat(remote.get("peers").valueStream().map(p -> p.get("cluster").asString()).toList())
                .as("the local cluster registered no gateway").doesNotContain("local", cluster);

        JsonNode all = gateway().get("/internal/v1/routing").json();
        assertThat(revisionIn(all, "both-00001").get("endpoints")).as("a gateway that names no cluster gets all").hasSize(3);

        // Moved to the Kubernetes cluster alone: the local process goes, the pods take all three.
        Http.Response moved = http().put(path(ns, "both"), service("both", "{\"clusters\": [\"" + cluster + "\"]}", 3));
        assertThat(moved.status()).as(moved.body()).isEqualTo(200);
        await().atMost(SLOW).untilAsserted(() -> assertThat(new AppsV1Api(RealKubernetes.client())
                .readNamespacedDeployment("both-00001", ns).execute().getSpec().getReplicas()).isEqualTo(3));
        await().atMost(SLOW).untilAsserted(() -> {
            JsonNode elsewhere = revisionIn(gateway().get("/internal/v1/routing?cluster=local").json(), "both-00001");
            assertThat(elsewhere.get("placedHere").asBoolean()).isFalse();
            assertThat(elsewhere.get("endpoints")).isEmpty();
            assertThat(elsewhere.at("/remotes/0/ready").asInt()).isEqualTo(3);
        });
    }

    /**
     * Whether the gateway routed the request: before its snapshot knows the service it answers 404, and while the
     * service's first revision is not ready yet, 503 {@code no-traffic}.
     */
    private static boolean routed(RawHttp.Answer answer) {
        return answer.status() != 404 && !(answer.status() == 503 && answer.body().contains("urn:ebb:problem:no-traffic"));
    }

    @Test
    void aRequestInOneClusterReachesAServiceThatRunsOnlyInTheOtherAndStartsItFromZero(@TempDir Path data) throws Exception {
        int peerPort = freePort("127.0.0.1");
        register("127.0.0.1:" + peerPort);
        Http.Response created = http().post(path(ns), """
                {"name": "remote", "placement": {"clusters": ["%s"]}, "template": {"image": "%s", "command": ["%s"],
                 "args": ["%s", "$(PORT)"], "port": %d, "readiness": {"path": "/healthz"}, "scale": {"initial": 0, "window": "6s"}}}"""
                .formatted(cluster, IMAGE, TinyServer.JAVA, TinyServer.program(), instancePort));
        assertThat(created.status()).as(created.body()).isEqualTo(201);

        try (StandaloneGateway there = gatewayIn(cluster, "127.0.0.1", peerPort, data.resolve("k"));
                StandaloneGateway here = gatewayIn("local", "127.0.0.1", 0, data.resolve("local"))) {
            assertThat(there.gateway().peerPort()).as("its peer listener, as registered").isEqualTo(peerPort);
            int entry = here.gateway().port();
            String host = "remote." + ns + ".svc.cluster.local";
            // Once the local gateway's snapshot routes the service (see routed), a request to it there crosses to the other
            // cluster's gateway, which holds it while the autoscaler starts a pod there: the first answer is that cold start.
            await().atMost(SLOW).ignoreExceptions().untilAsserted(() -> assertThat(new AppsV1Api(RealKubernetes.client())
                    .readNamespacedDeployment("remote-00001", ns).execute().getSpec().getReplicas()).as("at zero before any request")
                    .isZero());
            RawHttp.Answer cold = await().atMost(SLOW).until(() -> RawHttp.get(entry, host, "/env"), SeveralClustersTest::routed);
            assertThat(cold.status()).as(cold.body()).isEqualTo(200);
            assertThat(cold.body()).as("served by a pod of the other cluster").contains("K_REVISION=remote-00001");
            assertThat(cold.headers()).containsKey("ebb-cold-start");
            assertThat(new AppsV1Api(RealKubernetes.client()).readNamespacedDeployment("remote-00001", ns).execute().getSpec()
                    .getReplicas()).isEqualTo(1);

            // The other cluster's gateways report, and the local one's probes of them show in the local cluster's status.
            await().atMost(SLOW).untilAsserted(() -> {
                assertThat(http().get("/api/v1/clusters/" + cluster).json().at("/status/gateways/connected").asInt()).isEqualTo(1);
                JsonNode link = http().get("/api/v1/clusters/local").json().at("/status/gateways/peers/0");
                assertThat(link.get("cluster").asString()).isEqualTo(cluster);
                assertThat(link.get("reachable").asBoolean()).as(link.toString()).isTrue();
                assertThat(link.get("rttMillis").asDouble()).isPositive();
            });
        }
    }

    @Test
    void aServiceOnTwoClustersComesBackFromZeroInTheClusterWhereItsRequestWaitsAndStaysThere(@TempDir Path data) throws Exception {
        register("127.0.0.1:" + freePort("127.0.0.1"));
        // Even weights would put a single instance on local, listed first, whose gateway no other cluster can reach.
        Http.Response created = http().post(path(ns), """
                {"name": "either", "placement": {"clusters": ["local", "%s"]}, "template": {"image": "%s", "command": ["%s"],
                 "args": ["%s", "$(PORT)"], "port": %d, "readiness": {"path": "/healthz"}, "scale": {"initial": 0, "window": "6s"}}}"""
                .formatted(cluster, IMAGE, TinyServer.JAVA, TinyServer.program(), instancePort));
        assertThat(created.status()).as(created.body()).isEqualTo(201);

        try (StandaloneGateway there = gatewayIn(cluster, "127.0.0.1", 0, data)) {
            int entry = there.gateway().port();
            String host = "either." + ns + ".svc.cluster.local";
            RawHttp.Answer cold = await().atMost(SLOW).until(() -> RawHttp.get(entry, host, "/env"), SeveralClustersTest::routed);
            assertThat(cold.status()).as(cold.body()).isEqualTo(200);
            assertThat(cold.body()).contains("K_REVISION=either-00001");
            var deployments = new AppsV1Api(RealKubernetes.client());
            assertThat(deployments.readNamespacedDeployment("either-00001", ns).execute().getSpec().getReplicas()).isEqualTo(1);
            // Served, the request no longer waits: the instance stays where it runs instead of moving to local.
            await().during(Duration.ofSeconds(3)).atMost(SLOW).until(() -> deployments.readNamespacedDeployment("either-00001", ns)
                    .execute().getSpec().getReplicas() == 1 && http().get(path(ns, "either") + "/revisions/either-00001").json()
                    .at("/status/instances/desired").asInt() == 1);
        }
    }

    @Test
    void aGatewayThatNamesAnUnknownClusterIsToldWhichAreKnown() {
        Http.Response unknown = gateway().get("/internal/v1/routing?cluster=lcoal");
        assertThat(unknown.status()).isEqualTo(404);
        assertThat(unknown.json().get("detail").asString()).contains("did you mean 'local'?", "EBB_GATEWAY_CLUSTER");
    }

    @Test
    void aClustersStatusShowsItsGatewaysAndHowTheyReachTheOthers() {
        register("ebb-peer.example.com:8083");
        Http.Response portless = http().post("/api/v1/clusters", "{\"name\": \"portless\", \"gateway\": \"ebb-peer.example.com\", "
                + "\"kubeconfig\": " + jsonString(RealKubernetes.kubeconfig()) + "}");
        assertThat(portless.status()).isEqualTo(422);
        assertThat(portless.json().at("/errors/0/field").asString()).isEqualTo("gateway");
        assertThat(portless.json().at("/errors/0/message").asString()).contains("has no port", "host:port");
        try (ControlPlaneLoadSink sink = new ControlPlaneLoadSink(new ControlPlanes(List.of(URI.create("http://localhost:" + port + "/"))),
                gatewayToken())) {
            Instant now = Instant.now();
            await().atMost(SLOW).untilAsserted(() -> {
                sink.report(new LoadReport("gw-" + cluster, cluster, Instant.now(), List.of(), List.of(
                        new LoadReport.PeerHealth("local", true, null, 1.5, now),
                        new LoadReport.PeerHealth("other", false, "connect timed out", null, now))));
                JsonNode gateways = http().get("/api/v1/clusters/" + cluster).json().at("/status/gateways");
                assertThat(gateways.get("connected").asInt()).isEqualTo(1);
                assertThat(gateways.at("/peers/0/cluster").asString()).isEqualTo("local");
                assertThat(gateways.at("/peers/0/rttMillis").asDouble()).isEqualTo(1.5);
                assertThat(gateways.at("/peers/1/reachable").asBoolean()).isFalse();
                assertThat(gateways.at("/peers/1/error").asString()).isEqualTo("connect timed out");
            });
        }
    }
}
