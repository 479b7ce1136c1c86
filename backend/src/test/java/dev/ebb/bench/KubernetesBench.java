package dev.ebb.bench;

import static dev.ebb.support.Services.path;
import static org.awaitility.Awaitility.await;

import dev.ebb.gateway.Gateway;
import dev.ebb.runtime.ExposedService;
import dev.ebb.runtime.RevisionDeployment;
import dev.ebb.runtime.RevisionKey;
import dev.ebb.runtime.kubernetes.ClusterActions;
import dev.ebb.runtime.kubernetes.DesiredObjects;
import dev.ebb.runtime.kubernetes.KubernetesRuntime;
import dev.ebb.spec.Template;
import dev.ebb.support.ApiTest;
import dev.ebb.support.Http;
import dev.ebb.support.RawHttp;
import dev.ebb.support.RealKubernetes;
import dev.ebb.support.TestKubelet;
import dev.ebb.support.TinyServer;
import io.kubernetes.client.custom.V1Patch;
import io.kubernetes.client.openapi.ApiClient;
import io.kubernetes.client.openapi.ApiException;
import io.kubernetes.client.openapi.apis.AppsV1Api;
import io.kubernetes.client.openapi.apis.CoreV1Api;
import io.kubernetes.client.openapi.models.V1Deployment;
import io.kubernetes.client.openapi.models.V1Pod;
import io.kubernetes.client.util.PatchUtils;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.JsonNode;

/**
 * The Kubernetes driver's figures against a real kube-apiserver 1.20.2 with kube-controller-manager and the test
 * kubelet, each beside a baseline measured in the same run: the same change made directly by a client and seen by the
 * same watch. Run with
 * {@code mvn -pl backend test -Dtest=KubernetesBench -Dsurefire.failIfNoSpecifiedTests=false}; writes
 * {@code bench/kubernetes/RESULTS.md}. Not a test: it asserts nothing and surefire's default pattern never picks it.
 */
@DirtiesContext
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {"ebb.runtime.enabled=true",
        "ebb.autoscaler.scale-to-zero-grace-period=0s", "ebb.kubernetes.in-cluster.name=bench", "ebb.placement.default-cluster=bench",
        "ebb.kubernetes.observe-interval=1s", "logging.level.dev.ebb=WARN"})
class KubernetesBench extends ApiTest {

    private static final int CREATES = Integer.getInteger("bench.creates", 100);
    private static final int RESYNC = Integer.getInteger("bench.resync", 1000);
    private static final int COLD = Integer.getInteger("bench.cold", 20);
    private static final String IMAGE = "dev.local/tiny:1";

    @Autowired
    Gateway gateway;

    @DynamicPropertySource
    static void serviceAccount(DynamicPropertyRegistry registry) {
        RealKubernetes.inCluster(registry);
    }

    private static Template template(String image) {
        return new Template(image, null, null, null, 8080, "http1", new Template.Readiness("/healthz", null), 300, null, null);
    }

    @Test
    void run() throws Exception {
        RealKubernetes.withControllers();
        ApiClient client = RealKubernetes.client();
        AppsV1Api apps = new AppsV1Api(client);
        List<String> report = new ArrayList<>();
        report.add("# Kubernetes driver: results");
        report.add("");
        report.add("Run at " + Instant.now() + " on " + Runtime.getRuntime().availableProcessors() + " cores, "
                + System.getProperty("os.name") + ", Java " + System.getProperty("java.version")
                + ", against kube-apiserver " + RealKubernetes.VERSION + " with etcd and kube-controller-manager on the same "
                + "machine, pods run by the test kubelet as local processes; load average at the start "
                + String.format(Locale.ROOT, "%.2f", ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage()) + ".");
        report.add("Command: `mvn -pl backend test -Dtest=KubernetesBench -Dsurefire.failIfNoSpecifiedTests=false` "
                + "(creates " + CREATES + ", cold starts " + COLD + ", resync " + RESYNC + ").");
        report.add("");
        String ns = "bench-" + UUID.randomUUID().toString().substring(0, 6);

        coldStarts(client, ns + "-cold", report);

        // 1. A service created through Ebb's API until a watch sees its Deployment, against the same Deployment applied
        //    directly until the same watch sees it.
        String directNs = ns + "-direct";
        new CoreV1Api(client).createNamespace(DesiredObjects.namespace(directNs)).execute();
        List<Double> direct = new ArrayList<>();
        List<Double> throughEbb = new ArrayList<>();
        List<Double> answered = new ArrayList<>();
        try (Seen<V1Deployment> deployments = Seen.deployments()) {
            for (int i = 0; i < CREATES; i++) {
                V1Deployment object = DesiredObjects.deployment(new RevisionKey(directNs, "d" + i, "d" + i + "-00001"),
                        template("registry.example/model:1"), 1);
                String name = "d" + i + "-00001";
                Instant start = Instant.now();
                PatchUtils.patch(V1Deployment.class, () -> apps.patchNamespacedDeployment(name, directNs,
                        new V1Patch(DesiredObjects.json(object))).fieldManager("bench").force(true).buildCall(null),
                        V1Patch.PATCH_FORMAT_APPLY_YAML, client);
                direct.add(ms(start, deployments.arrived(directNs + "/" + name, d -> true)));
            }
            for (int i = 0; i < CREATES; i++) {
                String name = "s" + i;
                Instant start = Instant.now();
                Http.Response created = http().post(path(ns), "{\"name\": \"" + name + "\", \"template\": {\"image\": "
                        + "\"dev.local/model:1\", \"scale\": {\"initial\": 1}}}");
                if (created.status() != 201) {
                    throw new IllegalStateException(created.toString());
                }
                answered.add(ms(start, Instant.now()));
                throughEbb.add(ms(start, deployments.arrived(ns + "/" + name + "-00001", d -> true)));
            }
        }
        report.add("## Service created to Deployment applied");
        report.add("");
        report.add("| path | count | p50 ms | p99 ms | max ms | p99 / baseline p99 |");
        report.add("|---|---:|---:|---:|---:|---:|");
        report.add(row("direct server-side apply of the Deployment, until a watch sees it (baseline)", direct,
                percentile(direct, 99)));
        report.add(row("POST to Ebb's API, until the same watch sees the Deployment", throughEbb, percentile(direct, 99)));
        report.add(row("of which the POST's own answer", answered, percentile(direct, 99)));
        report.add("");
        report.add("Goal (issue 14): p99 <= 100 ms. The Ebb path includes the API call (validation, PostgreSQL, audit), the "
                + "reconciler's wake-up and the apply.");
        report.add("");

        // 2. A full pass of the driver over many revisions on a fresh driver: every Deployment created, then a pass with
        //    nothing to change.
        String resyncNs = ns + "-resync";
        List<RevisionDeployment> many = new ArrayList<>();
        List<ExposedService> exposed = new ArrayList<>();
        for (int i = 0; i < RESYNC; i++) {
            many.add(new RevisionDeployment(new RevisionKey(resyncNs, "r" + i, "r" + i + "-00001"),
                    template("registry.example/model:1"), 0));
            exposed.add(new ExposedService(resyncNs, "r" + i, List.of()));
        }
        try (KubernetesRuntime runtime = new KubernetesRuntime("resync", RealKubernetes.clients(), new DesiredObjects.Gateway(
                "ebb-gateway", "ebb-system"), Duration.ofHours(1), ClusterActions.NONE)) {
            runtime.expose(exposed);
            double before = RealKubernetes.requestsServed(l -> true);
            long start = System.nanoTime();
            runtime.apply(many);
            double firstMs = (System.nanoTime() - start) / 1e6;
            double firstRequests = Math.max(0, RealKubernetes.requestsServed(l -> true) - before - 1);
            before = RealKubernetes.requestsServed(l -> true);
            start = System.nanoTime();
            runtime.apply(many);
            double secondMs = (System.nanoTime() - start) / 1e6;
            double secondRequests = Math.max(0, RealKubernetes.requestsServed(l -> true) - before - 1);
            report.add("## A full pass over " + RESYNC + " services on one cluster");
            report.add("");
            report.add("| pass | seconds | API requests |");
            report.add("|---|---:|---:|");
            report.add(String.format(Locale.ROOT, "| first (every Deployment and Service created) | %.2f | %.0f |",
                    firstMs / 1000, firstRequests));
            report.add(String.format(Locale.ROOT, "| again, nothing changed | %.2f | %.0f |", secondMs / 1000, secondRequests));
            report.add("");
            report.add("Goal (issue 14): a full resync of 1,000 services <= 10 s. Requests counted from the API server's "
                    + "own apiserver_request_total (the benchmark's reads of that counter excluded), from every client: "
                    + "kube-controller-manager makes a ReplicaSet for each new Deployment meanwhile.");
            report.add("");
        }

        // 3. Memory of the control plane holding the services of step 1 plus as many more, all on the cluster.
        for (int i = CREATES; i < RESYNC; i++) {
            http().post(path(ns), "{\"name\": \"s" + i + "\", \"template\": {\"image\": \"dev.local/model:1\", "
                    + "\"scale\": {\"initial\": 1}}}");
        }
        System.gc();
        long heap = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
        report.add("## Memory");
        report.add("");
        report.add(String.format(Locale.ROOT, "Heap in use after a full GC with %d services on the cluster: %.0f MiB (the whole "
                + "test JVM: Ebb, its driver, its watches' caches and the benchmark's clients).", RESYNC, heap / 1048576.0));
        Path out = Path.of("..", "bench", "kubernetes", "RESULTS.md");
        Files.writeString(out, String.join("\n", report) + "\n");
        System.out.println(String.join("\n", report));
    }

    /**
     * Cold starts of services on the cluster, with pods run by the test kubelet: from the autoscaler's request for an
     * instance to the Deployment's replicas patched, and from the kubelet's Ready status to the gateway forwarding the
     * held request; each beside what a bare watch on the same API server sees of the same change.
     */
    private void coldStarts(ApiClient client, String ns, List<String> report) throws Exception {
        List<Double> scalePatched = new ArrayList<>();
        List<Double> readyForwarded = new ArrayList<>();
        List<Double> readyWatched = new ArrayList<>();
        try (TestKubelet kubelet = new TestKubelet(client, Map.of(IMAGE, List.of(TinyServer.JAVA)), Path.of("target", "kube", "bench"))
                .only(ns::equals).start();
                Seen<V1Deployment> deployments = Seen.deployments();
                Seen<V1Pod> pods = Seen.pods()) {
            List<String> names = new ArrayList<>();
            for (int i = 0; i < COLD; i++) {
                String name = "c" + i;
                names.add(name);
                Http.Response created = http().post(path(ns), """
                        {"name": "%s", "template": {"image": "%s", "args": ["%s", "$(PORT)"], "readiness": {"path": "/healthz"},
                         "scale": {"window": "6s"}}}""".formatted(name, IMAGE, TinyServer.program()));
                if (created.status() != 201) {
                    throw new IllegalStateException(created.toString());
                }
            }
            for (String name : names) {
                await().atMost(Duration.ofMinutes(5)).until(() -> revision(ns, name).at("/status/conditions/0/status").asString()
                        .equals("True"));
            }
            for (String name : names) {
                await().atMost(Duration.ofMinutes(5)).until(() -> apps(client).readNamespacedDeployment(name + "-00001", ns).execute()
                        .getSpec().getReplicas() == 0 && revision(ns, name).at("/status/instances/ready").asInt() == 0);
            }
            for (String name : names) {
                RawHttp.Answer answer = RawHttp.get(gateway.port(), name + "." + ns + ".svc.cluster.local", "/healthz");
                if (answer.status() != 200) {
                    throw new IllegalStateException("cold request to " + name + ": " + answer.status());
                }
                JsonNode record = await().atMost(Duration.ofMinutes(1)).until(() -> http().get(path(ns, name) + "/coldstarts")
                        .json().get("items"), items -> !items.isEmpty()).get(0);
                String pod = record.get("instance").asString();
                Instant forwarded = Instant.parse(record.get("forwarded").asString());
                Instant ready = kubelet.readyReported(pod).orElseThrow();
                readyForwarded.add(ms(ready, forwarded));
                readyWatched.add(ms(ready, pods.arrived(ns + "/" + pod, Seen::ready)));
                if (!record.get("scaleRequested").isNull()) {
                    Instant requested = Instant.parse(record.get("scaleRequested").asString());
                    scalePatched.add(ms(requested, deployments.firstSeen(ns + "/" + name + "-00001",
                            d -> d.getSpec().getReplicas() != null && d.getSpec().getReplicas() > 0, requested)));
                }
            }
        }
        List<Double> directScale = directScaleUps(client, ns + "-scale");
        report.add("## Cold starts on the cluster (" + COLD + " services, one cold request each)");
        report.add("");
        report.add("| path | count | p50 ms | p99 ms | max ms | p99 / baseline p99 |");
        report.add("|---|---:|---:|---:|---:|---:|");
        report.add(row("direct PATCH of a Deployment's replicas, until a watch sees it (baseline)", directScale,
                percentile(directScale, 99)));
        report.add(row("autoscaler asked for an instance, until a watch sees the replicas patched", scalePatched,
                percentile(directScale, 99)));
        report.add(row("kubelet sent the pod's Ready status, until a bare watch sees it (baseline)", readyWatched,
                percentile(readyWatched, 99)));
        report.add(row("kubelet sent the pod's Ready status, until Ebb's gateway forwards the held request", readyForwarded,
                percentile(readyWatched, 99)));
        report.add("");
        report.add("Goals (issue 14): decision to replicas patched p99 <= 100 ms; pod Ready to first request forwarded p99 <= "
                + "50 ms. Times from one clock (the same JVM): the autoscaler's and the gateway's records, the test kubelet's "
                + "send time, the watches' receive time.");
        report.add("");
    }

    /** Replicas of fresh Deployments patched 0 -> 1 directly, each until a watch sees it. */
    private static List<Double> directScaleUps(ApiClient client, String ns) throws Exception {
        AppsV1Api apps = apps(client);
        new CoreV1Api(client).createNamespace(DesiredObjects.namespace(ns)).execute();
        List<Double> times = new ArrayList<>();
        try (Seen<V1Deployment> deployments = Seen.deployments()) {
            for (int i = 0; i < COLD; i++) {
                String name = "z" + i + "-00001";
                V1Deployment object = DesiredObjects.deployment(new RevisionKey(ns, "z" + i, name), template("registry.example/model:1"), 0);
                PatchUtils.patch(V1Deployment.class, () -> apps.patchNamespacedDeployment(name, ns,
                        new V1Patch(DesiredObjects.json(object))).fieldManager("bench").force(true).buildCall(null),
                        V1Patch.PATCH_FORMAT_APPLY_YAML, client);
                Instant start = Instant.now();
                PatchUtils.patch(V1Deployment.class, () -> apps.patchNamespacedDeployment(name, ns,
                        new V1Patch("{\"spec\": {\"replicas\": 1}}")).buildCall(null), V1Patch.PATCH_FORMAT_STRATEGIC_MERGE_PATCH, client);
                times.add(ms(start, deployments.arrived(ns + "/" + name, d -> d.getSpec().getReplicas() == 1)));
            }
        }
        return times;
    }

    private JsonNode revision(String ns, String name) {
        return http().get(path(ns, name) + "/revisions/" + name + "-00001").json();
    }

    private static AppsV1Api apps(ApiClient client) {
        return new AppsV1Api(client);
    }

    private static double ms(Instant from, Instant to) {
        return Duration.between(from, to).toNanos() / 1e6;
    }

    private static double percentile(List<Double> values, int p) {
        List<Double> sorted = new ArrayList<>(values);
        Collections.sort(sorted);
        return sorted.get(Math.min(sorted.size() - 1, (int) Math.ceil(p / 100.0 * sorted.size()) - 1));
    }

    private static String row(String name, List<Double> values, double baselineP99) {
        return String.format(Locale.ROOT, "| %s | %d | %.2f | %.2f | %.2f | %.2f |", name, values.size(), percentile(values, 50),
                percentile(values, 99), Collections.max(values), percentile(values, 99) / baselineP99);
    }
}
