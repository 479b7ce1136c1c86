package dev.ebb.runtime.kubernetes;

import static dev.ebb.support.Kubeconfigs.clusterBody;
import static dev.ebb.support.Services.path;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.ebb.gateway.Gateway;
import dev.ebb.support.KubeletTest;
import dev.ebb.support.Http;
import dev.ebb.support.RawHttp;
import dev.ebb.support.RealKubernetes;
import dev.ebb.support.TcpProxy;
import dev.ebb.support.TestFork;
import dev.ebb.support.TestKubelet;
import dev.ebb.support.TinyServer;
import io.kubernetes.client.openapi.ApiException;
import io.kubernetes.client.openapi.apis.AppsV1Api;
import io.kubernetes.client.openapi.apis.CoreV1Api;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.annotation.DirtiesContext;
import tools.jackson.databind.JsonNode;

/**
 * Ebb with a registered Kubernetes cluster, end to end: a real kube-apiserver and kube-controller-manager (Deployments
 * really make ReplicaSets and Pods), a test kubelet that runs the pods as local processes on their own loopback
 * addresses, and requests from Ebb's gateway to those pods.
 */
@DirtiesContext
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {"ebb.runtime.enabled=true",
        "ebb.autoscaler.scale-to-zero-grace-period=0s", "ebb.kubernetes.observe-interval=200ms",
        "ebb.autoscaler.allow-zero-initial-scale=true"})
class KubernetesEndToEndTest extends KubeletTest {

    @Autowired
    Gateway gateway;

    private void register() {
        Http.Response registered = http().post("/api/v1/clusters", clusterBody(cluster, RealKubernetes.kubeconfig()));
        assertThat(registered.status()).as(registered.body()).isEqualTo(201);
    }

    private String service(String name, String image, String extra) {
        return """
                {"name": "%s", "placement": {"clusters": ["%s"]}, "template": {"image": "%s", "args": ["%s", "$(PORT)"],
                 "readiness": {"path": "/healthz"}%s}}""".formatted(name, cluster, image, TinyServer.program(),
                extra.isEmpty() ? "" : ", " + extra);
    }

    private JsonNode revision(String service) {
        return http().get(path(ns, service) + "/revisions/" + service + "-00001").json();
    }

    @Test
    void aServicePlacedOnTheClusterRunsInPodsAndTheGatewayReachesThemFromZero() throws Exception {
        register();
        Http.Response created = http().post(path(ns), service("hello", IMAGE, "\"scale\": {\"window\": \"6s\"}"));
        assertThat(created.status()).as(created.body()).isEqualTo(201);

        String host = "hello." + ns + ".svc.cluster.local";
        await().atMost(SLOW).untilAsserted(() -> assertThat(RawHttp.get(gateway.port(), host, "/healthz").status()).isEqualTo(200));
        assertThat(revision("hello").at("/status/conditions/0/status").asString()).isEqualTo("True");
        // Its instances are its pods: name, node, IP, ready, restarts.
        await().atMost(SLOW).untilAsserted(() -> assertThat(revision("hello").at("/status/instances/items")).singleElement()
                .satisfies(pod -> {
                    assertThat(pod.get("name").asString()).startsWith("hello-00001-");
                    assertThat(pod.get("node").asString()).isEqualTo(TestKubelet.NODE);
                    assertThat(pod.get("ip").asString()).startsWith(TestFork.loopbackPrefix(0));
                    assertThat(pod.get("ready").asBoolean()).isTrue();
                    assertThat(pod.get("restarts").asInt()).isZero();
                }));
        RawHttp.Answer env = RawHttp.get(gateway.port(), host, "/env");
        assertThat(env.body()).contains("K_REVISION=hello-00001", "HOST=" + TestFork.loopbackPrefix(0));
        // Its output comes from the pod log API, each line with its time and pod.
        await().atMost(SLOW).untilAsserted(() -> assertThat(http().get(path(ns, "hello") + "/revisions/hello-00001/logs").body())
                .containsPattern("(?m)^\\d{4}-\\d\\d-\\d\\dT\\S+ hello-00001-\\S+ tiny server listening on \\d+$"));

        var k8s = RealKubernetes.client();
        assertThat(new CoreV1Api(k8s).readNamespacedService("hello", ns).execute().getSpec().getExternalName())
                .isEqualTo("ebb-gateway.ebb-system.svc.cluster.local");

        // Idle: to zero, the pods go; the next request brings one back and is held until it is ready.
        await().atMost(SLOW).untilAsserted(() -> assertThat(new AppsV1Api(k8s).readNamespacedDeployment("hello-00001", ns).execute()
                .getSpec().getReplicas()).isZero());
        await().atMost(SLOW).until(() -> revision("hello").at("/status/instances/ready").asInt() == 0);
        RawHttp.Answer cold = RawHttp.get(gateway.port(), host, "/healthz");
        assertThat(cold.status()).isEqualTo(200);
        assertThat(cold.headers()).containsKey("ebb-cold-start");
        // Its record has the phases the cluster reported: placed on the node, image pulled, container started, ready.
        await().atMost(SLOW).untilAsserted(() -> {
            JsonNode coldStarts = http().get(path(ns, "hello") + "/coldstarts").json().get("items");
            assertThat(coldStarts).isNotEmpty();
            JsonNode record = coldStarts.get(0);
            for (String phase : List.of("scheduled", "imagePulled", "instanceStarted", "instanceReady", "forwarded", "firstByte")) {
                assertThat(record.get(phase).isNull()).as(phase + " in " + record).isFalse();
            }
        });

        // Deleting the service prunes what Ebb made on the cluster.
        assertThat(http().delete(path(ns, "hello")).status()).isEqualTo(204);
        await().atMost(SLOW).untilAsserted(() -> {
            assertThat(new AppsV1Api(k8s).listNamespacedDeployment(ns).execute().getItems()).isEmpty();
            assertThat(new CoreV1Api(k8s).listNamespacedService(ns).execute().getItems()).isEmpty();
        });
    }

    @Test
    void aServiceStartedAtZeroIsReadyWithoutAPodAndItsFirstRequestStartsOne() throws Exception {
        register();
        Http.Response created = http().post(path(ns), service("lazy", IMAGE, "\"scale\": {\"initial\": 0, \"window\": \"6s\"}"));
        assertThat(created.status()).as(created.body()).isEqualTo(201);

        await().atMost(SLOW).untilAsserted(() -> {
            JsonNode ready = revision("lazy").at("/status/conditions/0");
            assertThat(ready.get("status").asString()).as(ready.toString()).isEqualTo("True");
            assertThat(ready.get("message").asString()).contains("Started at zero");
        });
        assertThat(new AppsV1Api(RealKubernetes.client()).readNamespacedDeployment("lazy-00001", ns).execute().getSpec()
                .getReplicas()).as("no pod before a request").isZero();

        RawHttp.Answer first = RawHttp.get(gateway.port(), "lazy." + ns + ".svc.cluster.local", "/healthz");
        assertThat(first.status()).isEqualTo(200);
        assertThat(first.headers()).containsKey("ebb-cold-start");
    }

    @Test
    void registryCredentialsOfANamespaceBecomeThePullSecretOfItsPodsUntilTheyAreDeleted() throws Exception {
        register();
        Http.Response credential = http().post("/api/v1/namespaces/" + ns + "/registry-credentials", """
                {"name": "local", "server": "localhost:32000", "username": "ci", "password": "s3cret"}""");
        assertThat(credential.status()).as(credential.body()).isEqualTo(201);
        Http.Response created = http().post(path(ns), service("private", IMAGE, ""));
        assertThat(created.status()).as(created.body()).isEqualTo(201);

        CoreV1Api core = new CoreV1Api(RealKubernetes.client());
        // Not found (404) until the reconciler's next look at the credentials.
        await().atMost(SLOW).ignoreExceptionsInstanceOf(ApiException.class).untilAsserted(() -> assertThat(new String(core.readNamespacedSecret("ebb-registry-credentials", ns)
                .execute().getData().get(".dockerconfigjson"), StandardCharsets.UTF_8)).contains("\"localhost:32000\""));
        await().atMost(SLOW).ignoreExceptionsInstanceOf(ApiException.class).untilAsserted(() -> assertThat(new AppsV1Api(RealKubernetes.client())
                .readNamespacedDeployment("private-00001", ns).execute().getSpec().getTemplate().getSpec().getImagePullSecrets())
                .singleElement().satisfies(reference -> assertThat(reference.getName()).isEqualTo("ebb-registry-credentials")));

        assertThat(http().delete("/api/v1/namespaces/" + ns + "/registry-credentials/local").status()).isEqualTo(204);
        await().atMost(SLOW).untilAsserted(() -> assertThat(core.listNamespacedSecret(ns).execute().getItems())
                .noneMatch(secret -> secret.getMetadata().getName().equals("ebb-registry-credentials")));
    }

    @Test
    void whileTheApiServerIsAwayRunningPodsKeepServingAndTheStatusSaysSo() throws Exception {
        try (TcpProxy relay = TcpProxy.start(RealKubernetes.apiServer())) {
            Http.Response registered = http().post("/api/v1/clusters", clusterBody(cluster,
                    RealKubernetes.kubeconfigThrough(relay.port())));
            assertThat(registered.status()).as(registered.body()).isEqualTo(201);
            assertThat(http().post(path(ns), service("steady", IMAGE, "\"scale\": {\"min\": 1}")).status()).isEqualTo(201);
            String host = "steady." + ns + ".svc.cluster.local";
            await().atMost(SLOW).untilAsserted(() -> assertThat(RawHttp.get(gateway.port(), host, "/healthz").status()).isEqualTo(200));

            relay.cut();
            await().atMost(SLOW).untilAsserted(() -> {
                JsonNode ready = revision("steady").at("/status/conditions/0");
                assertThat(ready.get("reason").asString()).isEqualTo("ClusterUnreachable");
                assertThat(ready.get("status").asString()).as("its pods need no API server to serve").isEqualTo("True");
                assertThat(ready.get("message").asString()).contains("Cannot reach cluster " + cluster, "last reported");
            });
            assertThat(RawHttp.get(gateway.port(), host, "/healthz").status()).isEqualTo(200);

            relay.restore();
            await().atMost(SLOW).untilAsserted(() -> assertThat(revision("steady").at("/status/conditions/0/reason").isNull())
                    .as(revision("steady").at("/status/conditions/0").toString()).isTrue());
            // Gone through the relay while it is there to carry the deletes.
            assertThat(http().delete(path(ns, "steady")).status()).isEqualTo(204);
            await().atMost(SLOW).until(() -> new AppsV1Api(RealKubernetes.client()).listNamespacedDeployment(ns).execute()
                    .getItems().isEmpty());
        }
    }

    @Test
    void anImageTheClusterCannotPullFailsTheRevisionWithTheRegistrysMessage() {
        register();
        assertThat(http().post(path(ns), service("broken", "dev.local/missing:1", "")).status()).isEqualTo(201);

        await().atMost(SLOW).untilAsserted(() -> {
            JsonNode ready = revision("broken").at("/status/conditions/0");
            assertThat(ready.get("status").asString()).isEqualTo("False");
            assertThat(ready.get("reason").asString()).isEqualTo("ImagePullFailed");
            assertThat(ready.get("message").asString()).contains("dev.local/missing:1", "not found");
        });
    }

    @Test
    void aCrashingContainerIsACrashLoopWithItsExitCodeAndItsCrashedRunCanBeRead() {
        register();
        String crashing = """
                {"name": "crashy", "placement": {"clusters": ["%s"]}, "template": {"image": "%s", "command": ["sh"],
                 "args": ["-c", "echo model file missing; exit 3"]}}""".formatted(cluster, IMAGE);
        assertThat(http().post(path(ns), crashing).status()).isEqualTo(201);

        await().atMost(SLOW).untilAsserted(() -> {
            JsonNode ready = revision("crashy").at("/status/conditions/0");
            assertThat(ready.get("reason").asString()).isEqualTo("CrashLoop");
            assertThat(ready.get("message").asString()).contains("exited with 3", "last output:\nmodel file missing");
            assertThat(revision("crashy").at("/status/instances/items/0/restarts").asInt()).isPositive();
        });
        String pod = revision("crashy").at("/status/instances/items/0/name").asString();
        String previous = http().get(path(ns, "crashy") + "/revisions/crashy-00001/logs?previous=true&instance=" + pod).body();
        assertThat(previous.lines()).as("the crashed run, read through the pod log API's previous")
                .anyMatch(line -> line.endsWith(" " + pod + " model file missing"));
        assertThat(http().get(path(ns, "crashy") + "/revisions/crashy-00001/logs?instance=no-such-pod").body()).isEmpty();
    }

    @Test
    void followingTheLogsOfARevisionStreamsWhatItsPodsPrint() throws Exception {
        register();
        String ticker = """
                {"name": "ticker", "placement": {"clusters": ["%s"]}, "template": {"image": "%s", "scale": {"min": 1},
                 "command": ["sh"], "args": ["-c", "i=0; while true; do echo tick $i; i=$((i+1)); sleep 0.1; done"]}}"""
                .formatted(cluster, IMAGE);
        assertThat(http().post(path(ns), ticker).status()).isEqualTo(201);
        await().atMost(SLOW).until(() -> http().get(path(ns, "ticker") + "/revisions/ticker-00001/logs").body().contains(" tick "));

        HttpRequest request = HttpRequest.newBuilder(URI.create("http://localhost:" + port + path(ns, "ticker")
                + "/revisions/ticker-00001/logs?tail=0&follow=true")).header("Authorization", "Bearer " + TOKEN).timeout(SLOW).build();
        HttpResponse<Stream<String>> response = HttpClient.newHttpClient().send(request, HttpResponse.BodyHandlers.ofLines());

        assertThat(response.statusCode()).isEqualTo(200);
        try (Stream<String> lines = response.body()) {
            assertThat(lines.filter(line -> line.contains(" tick ")).limit(5).toList()).hasSize(5)
                    .allSatisfy(line -> assertThat(line).contains(" ticker-00001-"));
        }
    }

    @Test
    void aPodThatNeverPassesItsReadinessProbeSaysWhatTheKubeletSaid() {
        register();
        String unready = """
                {"name": "unready", "placement": {"clusters": ["%s"]}, "template": {"image": "%s", "args": ["%s", "$(PORT)"],
                 "readiness": {"path": "/not-here"}}}""".formatted(cluster, IMAGE, TinyServer.program());
        assertThat(http().post(path(ns), unready).status()).isEqualTo(201);

        await().atMost(SLOW).untilAsserted(() -> {
            JsonNode ready = revision("unready").at("/status/conditions/0");
            assertThat(ready.get("status").asString()).isEqualTo("Unknown");
            assertThat(ready.get("reason").asString()).isEqualTo("ReadinessProbeFailing");
            assertThat(ready.get("message").asString()).contains("Readiness probe failed: HTTP probe failed with statuscode: 404");
        });
    }

    @Test
    void aPodAskingMoreCpuThanAnyNodeHasIsUnschedulableWithTheSchedulersMessage() {
        register();
        String greedy = service("greedy", IMAGE, "\"resources\": {\"requests\": {\"cpu\": \"" + (TestKubelet.NODE_CPU + 1) + "\"}}");
        assertThat(http().post(path(ns), greedy).status()).isEqualTo(201);

        await().atMost(SLOW).untilAsserted(() -> {
            JsonNode ready = revision("greedy").at("/status/conditions/0");
            assertThat(ready.get("status").asString()).isEqualTo("Unknown");
            assertThat(ready.get("reason").asString()).isEqualTo("Unschedulable");
            assertThat(ready.get("message").asString()).contains("Insufficient cpu");
        });
    }
}
