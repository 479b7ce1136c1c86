package dev.ebb.runtime.kubernetes;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.ebb.registry.RegistryLogin;
import dev.ebb.runtime.ExposedService;
import dev.ebb.runtime.RevisionDeployment;
import dev.ebb.runtime.RevisionKey;
import dev.ebb.runtime.RevisionObservation;
import dev.ebb.spec.Template;
import dev.ebb.support.RealKubernetes;
import io.kubernetes.client.custom.V1Patch;
import io.kubernetes.client.openapi.ApiClient;
import io.kubernetes.client.openapi.ApiException;
import io.kubernetes.client.openapi.apis.AppsV1Api;
import io.kubernetes.client.openapi.apis.CoreV1Api;
import io.kubernetes.client.openapi.models.V1Deployment;
import io.kubernetes.client.openapi.models.V1Secret;
import io.kubernetes.client.util.PatchUtils;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The driver against a real kube-apiserver: server-side apply, scaling, pruning, drift, status in words. */
class KubernetesRuntimeTest {

    private static final Duration SLOW = Duration.ofSeconds(30);

    private final String ns = "t-" + UUID.randomUUID().toString().substring(0, 8);
    private final RevisionKey key = new RevisionKey(ns, "hello", "hello-00001");
    private ApiClient client;
    private AppsV1Api apps;
    private CoreV1Api core;
    private KubernetesRuntime runtime;
    private final List<String> actions = new CopyOnWriteArrayList<>();
    private final ClusterActions recorded = new ClusterActions() {
        @Override
        public void namespaceCreated(String cluster, String namespace) {
            actions.add("namespace " + namespace);
        }

        @Override
        public void driftReverted(String cluster, RevisionKey revision, String what) {
            actions.add("drift " + revision.revision() + ": " + what);
        }
    };

    @BeforeEach
    void start() {
        client = RealKubernetes.client();
        apps = new AppsV1Api(client);
        core = new CoreV1Api(client);
        runtime = new KubernetesRuntime("test", RealKubernetes.clients(), new DesiredObjects.Gateway("ebb-gateway", "ebb-system"),
                Duration.ofMillis(200), recorded);
        runtime.start();
    }

    @AfterEach
    void stop() {
        runtime.close();
    }

    private static Template template(String image) {
        return new Template(image, null, null, null, 8080, "http1", new Template.Readiness("/healthz", null), 300, null, null);
    }

    private V1Deployment deployment(String name) throws ApiException {
        return apps.readNamespacedDeployment(name, ns).execute();
    }

    @Test
    void aRevisionBecomesADeploymentInANamespaceEbbCreatesAndItsServiceNamePointsAtTheGateway() throws ApiException {
        runtime.expose(List.of(new ExposedService(ns, "hello", List.of("stable"))));
        runtime.apply(List.of(new RevisionDeployment(key, template("registry.example/hello:1"), 2)));

        V1Deployment created = deployment("hello-00001");
        assertThat(created.getSpec().getReplicas()).isEqualTo(2);
        assertThat(created.getMetadata().getLabels()).containsEntry("app.kubernetes.io/managed-by", "ebb")
                .containsEntry("ebb.dev/revision", "hello-00001");
        assertThat(core.readNamespace(ns).execute().getMetadata().getLabels()).containsEntry("app.kubernetes.io/managed-by", "ebb");
        var service = core.readNamespacedService("hello", ns).execute();
        assertThat(service.getSpec().getType()).isEqualTo("ExternalName");
        assertThat(service.getSpec().getExternalName()).isEqualTo("ebb-gateway.ebb-system.svc.cluster.local");
        assertThat(core.readNamespacedService("stable-hello", ns).execute().getSpec().getExternalName())
                .as("a tag's own name").isEqualTo("ebb-gateway.ebb-system.svc.cluster.local");
        // Pending once another test class has started the controller manager (pods then exist, with no node here).
        await().atMost(SLOW).untilAsserted(() -> assertThat(runtime.observe()).singleElement().satisfies(o -> {
            assertThat(o.readyStatus()).isEqualTo("Unknown");
            assertThat(o.reason()).isIn("Deploying", "Pending");
        }));
        assertThat(actions).as("for the audit trail").contains("namespace " + ns);
    }

    @Test
    void scalingChangesOnlyTheReplicasAndARevisionNoLongerWantedIsPruned() throws ApiException {
        runtime.expose(List.of(new ExposedService(ns, "hello", List.of())));
        runtime.apply(List.of(new RevisionDeployment(key, template("registry.example/hello:1"), 1)));
        String hash = deployment("hello-00001").getMetadata().getAnnotations().get("ebb.dev/spec-hash");

        double scalePatches = scalePatches();
        runtime.apply(List.of(new RevisionDeployment(key, template("registry.example/hello:1"), 0)));
        assertThat(deployment("hello-00001").getSpec().getReplicas()).isZero();
        assertThat(deployment("hello-00001").getMetadata().getAnnotations()).containsEntry("ebb.dev/spec-hash", hash);
        assertThat(scalePatches()).as("the count went through the scale subresource").isGreaterThan(scalePatches);

        runtime.expose(List.of());
        runtime.apply(List.of());
        await().atMost(SLOW).untilAsserted(() -> assertThat(apps.listNamespacedDeployment(ns).execute().getItems()).isEmpty());
        assertThat(core.listNamespacedService(ns).execute().getItems()).isEmpty();
    }

    /** PATCHes of Deployments' scale subresource the API server has served. */
    private static double scalePatches() {
        return RealKubernetes.requestsServed(l -> l.contains("resource=\"deployments\"") && l.contains("subresource=\"scale\"")
                && l.contains("verb=\"PATCH\""));
    }

    @Test
    void scalingUpAndDownBeforeTheWatchBringsEachChangeIsNotTakenForDrift() {
        runtime.apply(List.of(new RevisionDeployment(key, template("registry.example/hello:1"), 1)));
        for (int round = 0; round < 8; round++) {
            int replicas = round % 2 == 0 ? 3 : 1;
            // The watcher works the states out at once after an apply, usually before the watch brings the new count.
            runtime.apply(List.of(new RevisionDeployment(key, template("registry.example/hello:1"), replicas)));
            await().atMost(SLOW).until(() -> {
                V1Deployment watched = runtime.watched(key);
                return watched != null && watched.getSpec().getReplicas() == replicas;
            });
        }
        assertThat(actions).as("Ebb's own counts, no edit by anyone else").noneMatch(a -> a.startsWith("drift"));
    }

    @Test
    void aNamespaceWithRegistryCredentialsGetsAPullSecretItsPodsUseAndLosesItWhenTheyGo() throws ApiException {
        runtime.expose(List.of(new ExposedService(ns, "hello", List.of())));
        runtime.pullWith(Map.of(ns, List.of(new RegistryLogin("ci", "localhost:32000", "ci", "s3cret", false, null))));
        runtime.apply(List.of(new RevisionDeployment(key, template("localhost:32000/hello:1"), 1)));

        V1Secret secret = core.readNamespacedSecret("ebb-registry-credentials", ns).execute();
        assertThat(secret.getType()).isEqualTo("kubernetes.io/dockerconfigjson");
        assertThat(new String(secret.getData().get(".dockerconfigjson"), StandardCharsets.UTF_8))
                .contains("\"localhost:32000\"", "\"auth\":\"Y2k6czNjcmV0\"");
        assertThat(deployment("hello-00001").getSpec().getTemplate().getSpec().getImagePullSecrets()).singleElement()
                .satisfies(reference -> assertThat(reference.getName()).isEqualTo("ebb-registry-credentials"));

        runtime.pullWith(Map.of(ns, List.of(new RegistryLogin("ci", "localhost:32000", "ci", "n3w", false, null))));
        runtime.apply(List.of(new RevisionDeployment(key, template("localhost:32000/hello:1"), 1)));
        assertThat(new String(core.readNamespacedSecret("ebb-registry-credentials", ns).execute().getData().get(".dockerconfigjson"),
                StandardCharsets.UTF_8)).as("a changed password").contains("\"password\":\"n3w\"");

        runtime.pullWith(Map.of());
        runtime.apply(List.of(new RevisionDeployment(key, template("localhost:32000/hello:1"), 1)));
        assertThat(core.listNamespacedSecret(ns).execute().getItems())
                .noneMatch(s -> s.getMetadata().getName().equals("ebb-registry-credentials"));
        assertThat(deployment("hello-00001").getSpec().getTemplate().getSpec().getImagePullSecrets()).isNullOrEmpty();
        assertThat(actions).as("Ebb's own changes, no drift").noneMatch(a -> a.startsWith("drift"));
    }

    @Test
    void aPullSecretAnEarlierEbbLeftWhereNothingPullsAnyMoreIsPruned() throws ApiException {
        runtime.expose(List.of(new ExposedService(ns, "hello", List.of())));
        runtime.pullWith(Map.of(ns, List.of(new RegistryLogin("ci", "localhost:32000", "ci", "s3cret", false, null))));
        runtime.apply(List.of(new RevisionDeployment(key, template("localhost:32000/hello:1"), 1)));
        assertThat(core.readNamespacedSecret("ebb-registry-credentials", ns).execute().getType()).isEqualTo("kubernetes.io/dockerconfigjson");
        runtime.close();

        // The next Ebb knows nothing of what the last one applied, and the service is gone while it was away.
        runtime = new KubernetesRuntime("test", RealKubernetes.clients(), new DesiredObjects.Gateway("ebb-gateway", "ebb-system"),
                Duration.ofMillis(200), recorded);
        runtime.start();
        runtime.expose(List.of());
        runtime.apply(List.of());

        await().atMost(SLOW).untilAsserted(() -> assertThat(core.listNamespacedSecret(ns).execute().getItems())
                .noneMatch(s -> s.getMetadata().getName().equals("ebb-registry-credentials")));
        assertThat(apps.listNamespacedDeployment(ns).execute().getItems()).isEmpty();
    }

    @Test
    void aManualEditIsPutBack() throws ApiException {
        runtime.apply(List.of(new RevisionDeployment(key, template("registry.example/hello:1"), 1)));
        String edit = "{\"spec\": {\"replicas\": 7, \"template\": {\"spec\": {\"containers\": [{\"name\": \"user-container\", "
                + "\"image\": \"registry.example/evil:1\"}]}}}}";
        V1Deployment edited = PatchUtils.patch(V1Deployment.class, () -> apps.patchNamespacedDeployment("hello-00001", ns,
                new V1Patch(edit)).buildCall(null), V1Patch.PATCH_FORMAT_STRATEGIC_MERGE_PATCH, client);
        // What the API server stored; reading it back may already find Ebb's spec, the watch being that quick.
        assertThat(edited.getSpec().getReplicas()).isEqualTo(7);

        await().atMost(SLOW).untilAsserted(() -> {
            V1Deployment now = deployment("hello-00001");
            assertThat(now.getSpec().getReplicas()).isEqualTo(1);
            assertThat(now.getSpec().getTemplate().getSpec().getContainers().get(0).getImage()).isEqualTo("registry.example/hello:1");
        });
        await().atMost(SLOW).untilAsserted(() -> assertThat(actions).as("for the audit trail")
                .anySatisfy(a -> assertThat(a).startsWith("drift hello-00001: its pod template")));
    }

    @Test
    void aDeploymentDeletedByHandIsCreatedAgain() throws ApiException {
        runtime.apply(List.of(new RevisionDeployment(key, template("registry.example/hello:1"), 1)));
        String first = deployment("hello-00001").getMetadata().getUid();

        apps.deleteNamespacedDeployment("hello-00001", ns).execute();

        // Not found until it is back.
        await().atMost(SLOW).ignoreExceptionsInstanceOf(ApiException.class)
                .untilAsserted(() -> assertThat(deployment("hello-00001").getMetadata().getUid()).isNotEqualTo(first));
        await().atMost(SLOW).untilAsserted(() -> assertThat(actions).as("for the audit trail")
                .contains("drift hello-00001: it was deleted"));
    }

    @Test
    void aReplicaThatFollowsSeesWhatTheLeaderRunsAndPutsNothingBack() throws Exception {
        List<RevisionDeployment> desired = List.of(new RevisionDeployment(key, template("registry.example/hello:1"), 2));
        runtime.apply(desired);
        try (KubernetesRuntime follower = new KubernetesRuntime("test", RealKubernetes.clients(),
                new DesiredObjects.Gateway("ebb-gateway", "ebb-system"), Duration.ofMillis(200), recorded)) {
            follower.start();
            follower.observeOnly(desired);
            await().atMost(SLOW).untilAsserted(() -> assertThat(follower.observe()).singleElement()
                    .satisfies(o -> assertThat(o.desired()).isEqualTo(2)));

            // The leader stands down (it was killed, say), and someone deletes the Deployment meanwhile.
            runtime.standDown();
            apps.deleteNamespacedDeployment("hello-00001", ns).execute();
            await().atMost(SLOW).untilAsserted(() -> assertThat(follower.observe()).singleElement()
                    .satisfies(o -> assertThat(o.reason()).isEqualTo("Deploying")));

            // A runtime that led puts a deleted Deployment back once the watch has had 5 s to bring it: wait longer.
            await().during(Duration.ofSeconds(7)).atMost(Duration.ofSeconds(30))
                    .until(() -> apps.listNamespacedDeployment(ns).execute().getItems().isEmpty());
            assertThat(actions).as("neither replica put it back").noneMatch(a -> a.startsWith("drift"));
        }
    }

    @Test
    void aTemplateWithoutAnImageFailsWithTheFix() {
        Template commandOnly = new Template(null, List.of("python3", "server.py"), null, null, 8080, "http1", null, 300, null, null);
        runtime.apply(List.of(new RevisionDeployment(key, commandOnly, 1)));

        await().atMost(SLOW).untilAsserted(() -> assertThat(runtime.observe()).singleElement().satisfies(o -> {
            assertThat(o.readyStatus()).isEqualTo("False");
            assertThat(o.reason()).isEqualTo("NoImage");
            assertThat(o.message()).contains("set template.image");
        }));
    }

    @Test
    void anUnreachableApiServerMarksItsRevisionsUnknownWithTheReason() {
        ApiClients nowhere = new ApiClients(new ApiClient().setBasePath("http://127.0.0.1:9"),
                new ApiClient().setBasePath("http://127.0.0.1:9"));
        try (KubernetesRuntime cut = new KubernetesRuntime("gone", nowhere, new DesiredObjects.Gateway("g", "ebb-system"),
                Duration.ofMillis(200), ClusterActions.NONE)) {
            cut.start();
            cut.apply(List.of(new RevisionDeployment(key, template("registry.example/hello:1"), 1)));
            await().atMost(SLOW).untilAsserted(() -> assertThat(cut.observe()).singleElement().satisfies((RevisionObservation o) -> {
                assertThat(o.readyStatus()).isEqualTo("Unknown");
                assertThat(o.reason()).isEqualTo("ClusterUnreachable");
                assertThat(o.message()).contains("Cannot reach cluster gone");
            }));
        }
    }
}
