package dev.ebb.install;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ebb.support.RealKubernetes;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Predicate;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * The install under {@code k8s/} and each overlay, rendered by kubectl's kustomize and applied server-side to a real
 * kube-apiserver 1.20.2: what a cluster accepts, and the promises the README makes about it.
 */
class ManifestsTest {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final Path K8S = Path.of("..", "k8s").toAbsolutePath().normalize();
    private static final List<String> DIRECTORIES = List.of(".", "overlays/public-gateway", "overlays/external-database",
            "overlays/kubernetes-1.20", "overlays/cross-cluster", "overlays/workload-cluster");

    /** Every verb the Kubernetes driver may use, per API group and resource: the RBAC must stay within it. */
    private static final Map<String, Set<String>> DRIVER_VERBS = Map.of(
            "/namespaces", Set.of("get", "create"),
            "apps/deployments", Set.of("get", "list", "watch", "create", "patch", "delete"),
            "apps/deployments/scale", Set.of("get", "update", "patch"),
            "/services", Set.of("get", "list", "watch", "create", "patch", "delete"),
            "/secrets", Set.of("get", "create", "patch", "delete"),
            "/pods", Set.of("get", "list", "watch"),
            "/pods/log", Set.of("get"),
            "/events", Set.of("list", "watch"),
            "apps/replicasets", Set.of("list", "watch"));

    @TempDir
    static Path workDir;

    private static Kubectl kubectl;
    private static Path kubeconfig;
    private static final Map<String, List<JsonNode>> rendered = new LinkedHashMap<>();

    @BeforeAll
    static void render() throws Exception {
        assertThat(K8S.resolve("kustomization.yaml")).as("the install's kustomization").exists();
        kubectl = Kubectl.find(workDir);
        for (String directory : DIRECTORIES) {
            String yaml = kubectl.run(null, "kustomize", K8S.resolve(directory).toString()).orFail("kubectl kustomize k8s/" + directory).out();
            List<JsonNode> objects = new ArrayList<>();
            for (Object document : new Yaml(new SafeConstructor(new LoaderOptions())).loadAll(yaml)) {
                if (document != null) {
                    objects.add(JSON.valueToTree(document));
                }
            }
            rendered.put(directory, objects);
        }
        kubeconfig = workDir.resolve("kubeconfig");
        Files.writeString(kubeconfig, RealKubernetes.kubeconfig());
    }

    @Test
    void theInstallIsAcceptedByARealKubernetes120ApiServerAndStoredAsWritten() throws Exception {
        Kubectl.Result applied = apply(rendered.get("."), false);

        assertThat(applied.out()).contains("statefulset.apps/ebb serverside-applied", "deployment.apps/ebb-gateway serverside-applied",
                "statefulset.apps/ebb-postgres serverside-applied", "clusterrole.rbac.authorization.k8s.io/ebb-control-plane serverside-applied",
                "service/ebb-replicas serverside-applied", "poddisruptionbudget.policy/ebb serverside-applied");
        JsonNode gateway = JSON.readTree(kubectl("get", "deployment", "ebb-gateway", "-n", "ebb-system", "-o", "json").out());
        assertThat(gateway.at("/spec/replicas").asInt()).isEqualTo(2);
        assertThat(gateway.at("/spec/template/spec/containers/0/readinessProbe/httpGet/path").asString()).isEqualTo("/readyz");
        JsonNode budget = JSON.readTree(kubectl("get", "poddisruptionbudget", "ebb-gateway", "-n", "ebb-system", "-o", "json").out());
        assertThat(budget.at("/spec/minAvailable").asInt()).isEqualTo(1);
        JsonNode controlPlane = JSON.readTree(kubectl("get", "statefulset", "ebb", "-n", "ebb-system", "-o", "json").out());
        assertThat(controlPlane.at("/spec/replicas").asInt()).isEqualTo(2);

        // Nothing of Ebb's install should run in a test API server that other tests' kubelet may serve.
        kubectl("delete", "deployment,statefulset", "-n", "ebb-system", "-l", "app.kubernetes.io/part-of=ebb", "--wait=false");
    }

    @Test
    void everyOverlayIsAcceptedByTheSameApiServer() throws Exception {
        // A dry run creates nothing, so the namespace that every other object lives in must exist for real.
        apply(kind(rendered.get("."), "Namespace"), false);
        for (String overlay : DIRECTORIES.subList(1, DIRECTORIES.size())) {
            Kubectl.Result applied = apply(rendered.get(overlay), true);
            assertThat(applied.out()).as(overlay).contains("deployment.apps/ebb-gateway serverside-applied (server dry run)");
        }
    }

    @Test
    void theInstallHasNoCustomResourcesNoWebhooksAndNoSidecars() {
        Set<String> forbidden = Set.of("CustomResourceDefinition", "MutatingWebhookConfiguration", "ValidatingWebhookConfiguration",
                "APIService");
        rendered.forEach((directory, objects) -> {
            assertThat(objects).as(directory).noneMatch(o -> forbidden.contains(o.at("/kind").asString()));
            for (JsonNode pod : podTemplates(objects)) {
                assertThat(pod.at("/spec/containers").size()).as("containers in %s of %s", pod.at("/name").asString(), directory).isEqualTo(1);
                assertThat(pod.at("/spec/initContainers").isMissingNode()).as("init containers in %s", directory).isTrue();
            }
        });
    }

    @Test
    void theControlPlanesRbacGrantsOnlyWhatTheDriverUses() {
        rendered.forEach((directory, objects) -> {
            for (JsonNode role : kind(objects, "ClusterRole", "Role")) {
                for (JsonNode rule : role.at("/rules")) {
                    for (JsonNode group : rule.at("/apiGroups")) {
                        for (JsonNode resource : rule.at("/resources")) {
                            String key = group.asString() + "/" + resource.asString();
                            assertThat(DRIVER_VERBS).as("%s grants %s in %s", role.at("/metadata/name").asString(), key, directory)
                                    .containsKey(key);
                            assertThat(strings(rule.at("/verbs"))).as("verbs on %s in %s", key, directory).isSubsetOf(DRIVER_VERBS.get(key));
                            if (key.equals("/secrets") && !strings(rule.at("/verbs")).equals(Set.of("create"))) {
                                assertThat(strings(rule.at("/resourceNames"))).as("the Secrets Ebb may read, change or delete in %s", directory)
                                        .containsExactly("ebb-registry-credentials");
                            }
                        }
                    }
                }
            }
            assertThat(kind(objects, "ClusterRoleBinding")).extracting(b -> b.at("/roleRef/name").asString()).containsExactly("ebb-control-plane");
            assertThat(kind(objects, "Role")).as("leadership is a lock in PostgreSQL, not a Lease").isEmpty();
            JsonNode gatewayAccount = named(objects, "ServiceAccount", "ebb-gateway");
            assertThat(gatewayAccount.at("/automountServiceAccountToken").asBoolean(true)).as("the gateway holds no API token").isFalse();
        });
    }

    @Test
    void everyContainerRunsAsNonRootOnAReadOnlyRootWithProbesRequestsAndLimits() {
        for (JsonNode pod : podTemplates(rendered.get("."))) {
            JsonNode container = pod.at("/spec/containers/0");
            String name = container.at("/name").asString();
            assertThat(pod.at("/spec/securityContext/runAsNonRoot").asBoolean()).as("%s runs as non-root", name).isTrue();
            assertThat(container.at("/securityContext/readOnlyRootFilesystem").asBoolean()).as("%s has a read-only root", name).isTrue();
            assertThat(container.at("/securityContext/allowPrivilegeEscalation").asBoolean(true)).as(name).isFalse();
            assertThat(container.at("/readinessProbe").isObject()).as("%s has a readiness probe", name).isTrue();
            assertThat(container.at("/livenessProbe").isObject()).as("%s has a liveness probe", name).isTrue();
            assertThat(container.at("/resources/requests/cpu").isString()).as("%s requests cpu", name).isTrue();
            assertThat(container.at("/resources/requests/memory").isString()).as("%s requests memory", name).isTrue();
            assertThat(container.at("/resources/limits/memory").isString()).as("%s limits memory", name).isTrue();
            Set<String> writable = new TreeSet<>();
            container.at("/volumeMounts").forEach(mount -> writable.add(mount.at("/mountPath").asString()));
            assertThat(writable).as("%s can write its temporary files", name).contains("/tmp");
        }
    }

    /**
     * Kubernetes gives every pod Docker-link variables for each Service of its namespace unless told not to: the Service
     * ebb-gateway alone would set {@code EBB_GATEWAY_PORT=tcp://<address>:80} in the gateway's pods, which Spring binds
     * to the gateway's listener port, and the pod would never start.
     */
    @Test
    void noPodGetsDockerLinkVariablesThatWouldReadAsEbbSettings() {
        rendered.forEach((directory, objects) -> {
            for (JsonNode pod : podTemplates(objects)) {
                assertThat(pod.at("/spec/enableServiceLinks").asBoolean(true))
                        .as("k8s/%s: %s sets enableServiceLinks: false", directory, pod.at("/name").asString()).isFalse();
            }
        });
    }

    @Test
    void theGatewayAndTheControlPlaneEachRunTwiceBehindABudgetAndTheGatewaysFindEveryControlPlaneReplica() {
        List<JsonNode> objects = rendered.get(".");
        JsonNode gateway = named(objects, "Deployment", "ebb-gateway");
        assertThat(gateway.at("/spec/replicas").asInt()).isEqualTo(2);
        JsonNode probe = gateway.at("/spec/template/spec/containers/0/readinessProbe/httpGet");
        assertThat(probe.at("/path").asString()).isEqualTo("/readyz");
        assertThat(env(gateway, "EBB_GATEWAY_HEALTH_PORT")).isEqualTo("8086");
        assertThat(env(gateway, "EBB_GATEWAY_CONTROL_PLANE_URL")).isEqualTo("http://ebb-replicas.ebb-system.svc.cluster.local:8080");
        JsonNode replicas = named(objects, "Service", "ebb-replicas");
        assertThat(replicas.at("/spec/clusterIP").asString()).as("headless: one address per replica").isEqualTo("None");
        assertThat(replicas.at("/spec/ports/0/port").asInt()).isEqualTo(8080);
        assertThat(named(objects, "PodDisruptionBudget", "ebb-gateway").at("/spec/minAvailable").asInt()).isEqualTo(1);

        JsonNode gatewayService = named(objects, "Service", "ebb-gateway");
        assertThat(gatewayService.at("/spec/type").asString()).isEqualTo("ClusterIP");
        assertThat(gatewayService.at("/spec/ports/0/port").asInt()).isEqualTo(80);
        assertThat(containerPort(gateway, gatewayService.at("/spec/ports/0/targetPort").asString())).isEqualTo(8081);

        JsonNode controlPlane = named(objects, "StatefulSet", "ebb");
        assertThat(controlPlane.at("/spec/replicas").asInt()).isEqualTo(2);
        assertThat(controlPlane.at("/spec/serviceName").asString()).isEqualTo("ebb-replicas");
        assertThat(controlPlane.at("/spec/volumeClaimTemplates/0/metadata/name").asString()).as("a data directory each").isEqualTo("data");
        assertThat(named(objects, "PodDisruptionBudget", "ebb").at("/spec/minAvailable").asInt()).isEqualTo(1);
        JsonNode keys = null;
        for (JsonNode variable : controlPlane.at("/spec/template/spec/containers/0/env")) {
            if (variable.at("/name").asString().equals("EBB_SECRETS_KEYS")) {
                keys = variable.at("/valueFrom/secretKeyRef");
            }
        }
        assertThat(keys).as("the key that encrypts stored kubeconfigs").isNotNull();
        assertThat(keys.at("/name").asString()).isEqualTo("ebb-secrets-keys");
        assertThat(keys.at("/optional").asBoolean(false)).as("one key for every replica, never one each generates").isFalse();
        assertThat(env(controlPlane, "EBB_GATEWAY_ENABLED")).isEqualTo("false");
        assertThat(env(controlPlane, "EBB_PLACEMENT_DEFAULT_CLUSTER")).as("services go to the cluster Ebb runs in")
                .isEqualTo(env(controlPlane, "EBB_KUBERNETES_IN_CLUSTER_NAME")).isNotBlank();
        assertThat(env(controlPlane, "EBB_RUNTIME_LOCAL_ENABLED")).as("no child processes in the control plane's pod").isEqualTo("false");
        assertThat(named(objects, "Service", "ebb").at("/spec/ports/0/port").asInt()).isEqualTo(8080);
        for (String budget : List.of("ebb-gateway", "ebb")) {
            assertThat(named(rendered.get("overlays/kubernetes-1.20"), "PodDisruptionBudget", budget).at("/apiVersion").asString())
                    .isEqualTo("policy/v1beta1");
        }
    }

    @Test
    void onlyThePublicGatewayOverlayExposesThePublicListenerAndOnlyTheClusterOverlaysThePeerListener() {
        Predicate<JsonNode> exposed = s -> Set.of("LoadBalancer", "NodePort").contains(s.at("/spec/type").asString());
        rendered.forEach((directory, objects) -> {
            List<JsonNode> outside = kind(objects, "Service").stream().filter(exposed).toList();
            if (directory.equals("overlays/public-gateway")) {
                assertThat(outside).extracting(s -> s.at("/spec/ports/0/targetPort").asString()).containsExactly("public");
                assertThat(containerPort(named(objects, "Deployment", "ebb-gateway"), "public")).isEqualTo(8082);
            } else if (directory.equals("overlays/cross-cluster") || directory.equals("overlays/workload-cluster")) {
                assertThat(outside).as(directory).extracting(s -> s.at("/spec/ports/0/targetPort").asString()).containsExactly("peer");
                assertThat(containerPort(named(objects, "Deployment", "ebb-gateway"), "peer")).isEqualTo(8083);
            } else {
                assertThat(outside).as(directory).isEmpty();
            }
        });
    }

    @Test
    void aWorkloadClusterRunsOnlyTheGatewayWhichTakesItsClusterAndControlPlaneFromAConfigMapYouCreate() {
        List<JsonNode> objects = rendered.get("overlays/workload-cluster");
        assertThat(objects).extracting(o -> o.at("/kind").asString()).doesNotContain("StatefulSet", "Secret", "ConfigMap");
        JsonNode gateway = named(objects, "Deployment", "ebb-gateway");
        assertThat(gateway.at("/metadata/namespace").asString()).isEqualTo("ebb-system");
        assertThat(env(gateway, "EBB_GATEWAY_CLUSTER")).as("no literal value").isEmpty();
        String environment = gateway.at("/spec/template/spec/containers/0/env").toString();
        assertThat(environment).contains("{\"name\":\"EBB_GATEWAY_CLUSTER\",\"valueFrom\":{\"configMapKeyRef\":{\"key\":\"name\","
                + "\"name\":\"ebb-workload-cluster\"}}}", "{\"name\":\"EBB_GATEWAY_CONTROL_PLANE_URL\",\"valueFrom\":{\"configMapKeyRef\":"
                + "{\"key\":\"control-plane-url\",\"name\":\"ebb-workload-cluster\"}}}");
        assertThat(env(named(rendered.get("."), "Deployment", "ebb-gateway"), "EBB_GATEWAY_CLUSTER"))
                .as("the base's gateways route in the control plane's own cluster")
                .isEqualTo(env(named(rendered.get("."), "StatefulSet", "ebb"), "EBB_KUBERNETES_IN_CLUSTER_NAME"));
    }

    @Test
    void theExternalDatabaseOverlayBringsNoPostgresAndNoCredentials() {
        List<JsonNode> objects = rendered.get("overlays/external-database");
        assertThat(kind(objects, "StatefulSet")).extracting(s -> s.at("/metadata/name").asString()).containsExactly("ebb");
        assertThat(kind(objects, "Secret")).extracting(s -> s.at("/metadata/name").asString()).doesNotContain("ebb-database");
        assertThat(named(objects, "StatefulSet", "ebb").at("/spec/template/spec/containers/0/env").toString())
                .contains("\"name\":\"EBB_DATABASE_URL\"", "\"name\":\"ebb-database\"");
        assertThat(kind(rendered.get("."), "StatefulSet")).extracting(s -> s.at("/metadata/name").asString())
                .containsExactlyInAnyOrder("ebb", "ebb-postgres");
    }

    /**
     * Applies server-side. The 1.20 API server has no policy/v1, which the base uses (policy/v1beta1 left in 1.25):
     * such a PodDisruptionBudget goes as policy/v1beta1, whose spec has the same fields, and nothing else may lack a version.
     */
    private static Kubectl.Result apply(List<JsonNode> objects, boolean dryRun) throws Exception {
        List<JsonNode> items = new ArrayList<>();
        for (JsonNode object : objects) {
            if (object.at("/apiVersion").asString().equals("policy/v1") && object.at("/kind").asString().equals("PodDisruptionBudget")) {
                items.add(((ObjectNode) object.deepCopy()).put("apiVersion", "policy/v1beta1"));
            } else {
                items.add(object);
            }
        }
        ObjectNode list = JSON.createObjectNode().put("apiVersion", "v1").put("kind", "List");
        list.putArray("items").addAll(items);
        List<String> args = new ArrayList<>(List.of("--kubeconfig", kubeconfig.toString(), "apply", "--server-side",
                "--field-manager=ebb-install-test", "-f", "-"));
        if (dryRun) {
            args.add("--dry-run=server");
        }
        return kubectl.run(JSON.writeValueAsString(list), args.toArray(String[]::new)).orFail("kubectl " + String.join(" ", args));
    }

    private static Kubectl.Result kubectl(String... args) throws Exception {
        List<String> all = new ArrayList<>(List.of("--kubeconfig", kubeconfig.toString()));
        all.addAll(List.of(args));
        return kubectl.run(null, all.toArray(String[]::new)).orFail("kubectl " + String.join(" ", args));
    }

    private static List<JsonNode> kind(List<JsonNode> objects, String... kinds) {
        Set<String> wanted = Set.of(kinds);
        return objects.stream().filter(o -> wanted.contains(o.at("/kind").asString())).toList();
    }

    private static JsonNode named(List<JsonNode> objects, String kind, String name) {
        return kind(objects, kind).stream().filter(o -> o.at("/metadata/name").asString().equals(name)).findFirst()
                .orElseThrow(() -> new AssertionError("no " + kind + " " + name + " in " + objects.size() + " objects"));
    }

    /** The pod templates of every workload, each as {@code {"name": <workload>, "spec": <pod spec>}}. */
    private static List<JsonNode> podTemplates(List<JsonNode> objects) {
        return kind(objects, "Deployment", "StatefulSet", "DaemonSet", "Job").stream()
                .map(o -> (JsonNode) JSON.createObjectNode().put("name", o.at("/metadata/name").asString())
                        .set("spec", o.at("/spec/template/spec")))
                .toList();
    }

    private static String env(JsonNode workload, String name) {
        for (JsonNode variable : workload.at("/spec/template/spec/containers/0/env")) {
            if (variable.at("/name").asString().equals(name)) {
                return variable.at("/value").asString();
            }
        }
        throw new AssertionError("no " + name + " in " + workload.at("/metadata/name").asString());
    }

    private static int containerPort(JsonNode workload, String portName) {
        for (JsonNode port : workload.at("/spec/template/spec/containers/0/ports")) {
            if (port.at("/name").asString().equals(portName)) {
                return port.at("/containerPort").asInt();
            }
        }
        throw new AssertionError("no port " + portName + " in " + workload.at("/metadata/name").asString());
    }

    private static Set<String> strings(JsonNode array) {
        Set<String> values = new TreeSet<>();
        array.forEach(value -> values.add(value.asString()));
        return values;
    }
}
