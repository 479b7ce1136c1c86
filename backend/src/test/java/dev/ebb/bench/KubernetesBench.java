package dev.ebb.bench;

import static dev.ebb.support.Services.path;

import dev.ebb.runtime.ExposedService;
import dev.ebb.runtime.RevisionDeployment;
import dev.ebb.runtime.RevisionKey;
import dev.ebb.runtime.kubernetes.ClusterActions;
import dev.ebb.runtime.kubernetes.DesiredObjects;
import dev.ebb.runtime.kubernetes.KubernetesRuntime;
import dev.ebb.spec.Template;
import dev.ebb.support.ApiTest;
import dev.ebb.support.Http;
import dev.ebb.support.RealKubernetes;
import io.kubernetes.client.custom.V1Patch;
import io.kubernetes.client.openapi.ApiClient;
import io.kubernetes.client.openapi.ApiException;
import io.kubernetes.client.openapi.apis.AppsV1Api;
import io.kubernetes.client.openapi.apis.CoreV1Api;
import io.kubernetes.client.openapi.models.V1Deployment;
import io.kubernetes.client.util.PatchUtils;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The Kubernetes driver's figures against a real kube-apiserver 1.20.2 (no nodes), each beside a baseline measured in
 * the same run: the API server's own time for the same object applied directly by a client. Run with
 * {@code mvn -pl backend test -Dtest=KubernetesBench -Dsurefire.failIfNoSpecifiedTests=false}; writes
 * {@code bench/kubernetes/RESULTS.md}. Not a test: it asserts nothing and surefire's default pattern never picks it.
 */
@DirtiesContext
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {"ebb.runtime.enabled=true",
        "ebb.gateway.enabled=false", "ebb.kubernetes.in-cluster.name=bench", "ebb.placement.default-cluster=bench",
        "ebb.kubernetes.observe-interval=1s", "logging.level.dev.ebb=WARN"})
class KubernetesBench extends ApiTest {

    private static final int CREATES = Integer.getInteger("bench.creates", 100);
    private static final int RESYNC = Integer.getInteger("bench.resync", 1000);
    private static final Pattern REQUESTS = Pattern.compile("^apiserver_request_total\\{[^}]*\\} ([0-9.e+]+)$", Pattern.MULTILINE);

    @DynamicPropertySource
    static void serviceAccount(DynamicPropertyRegistry registry) {
        RealKubernetes.inCluster(registry);
    }

    private static Template template(String image) {
        return new Template(image, null, null, null, 8080, "http1", new Template.Readiness("/healthz", null), 300, null, null);
    }

    @Test
    void run() throws Exception {
        ApiClient client = RealKubernetes.client();
        AppsV1Api apps = new AppsV1Api(client);
        List<String> report = new ArrayList<>();
        report.add("# Kubernetes driver: results");
        report.add("");
        report.add("Run at " + Instant.now() + " on " + Runtime.getRuntime().availableProcessors() + " cores, "
                + System.getProperty("os.name") + ", Java " + System.getProperty("java.version")
                + ", against kube-apiserver " + RealKubernetes.VERSION + " with etcd on the same machine (no nodes).");
        report.add("Command: `mvn -pl backend test -Dtest=KubernetesBench -Dsurefire.failIfNoSpecifiedTests=false` "
                + "(creates " + CREATES + ", resync " + RESYNC + ").");
        report.add("");

        // 1. A service created through Ebb's API until its Deployment exists, against the same Deployment applied directly.
        String ns = "bench-" + UUID.randomUUID().toString().substring(0, 6);
        List<Double> direct = new ArrayList<>();
        String directNs = ns + "-direct";
        new CoreV1Api(client).createNamespace(DesiredObjects.namespace(directNs)).execute();
        for (int i = 0; i < CREATES; i++) {
            V1Deployment object = DesiredObjects.deployment(new RevisionKey(directNs, "d" + i, "d" + i + "-00001"),
                    template("registry.example/model:1"), 1);
            String name = "d" + i + "-00001";
            long start = System.nanoTime();
            PatchUtils.patch(V1Deployment.class, () -> apps.patchNamespacedDeployment(name, directNs,
                    new V1Patch(DesiredObjects.json(object))).fieldManager("bench").force(true).buildCall(null),
                    V1Patch.PATCH_FORMAT_APPLY_YAML, client);
            direct.add((System.nanoTime() - start) / 1e6);
        }
        List<Double> throughEbb = new ArrayList<>();
        for (int i = 0; i < CREATES; i++) {
            String name = "s" + i;
            long start = System.nanoTime();
            Http.Response created = http().post(path(ns), "{\"name\": \"" + name + "\", \"template\": {\"image\": "
                    + "\"registry.example/model:1\", \"scale\": {\"initial\": 1}}}");
            if (created.status() != 201) {
                throw new IllegalStateException(created.toString());
            }
            while (!exists(apps, ns, name + "-00001")) {
                Thread.onSpinWait();
            }
            throughEbb.add((System.nanoTime() - start) / 1e6);
        }
        report.add("## Service created to Deployment applied");
        report.add("");
        report.add("| path | count | p50 ms | p99 ms | max ms | p99 / baseline p99 |");
        report.add("|---|---:|---:|---:|---:|---:|");
        report.add(row("direct server-side apply of the Deployment (baseline)", direct, percentile(direct, 99)));
        report.add(row("POST to Ebb's API until the Deployment exists", throughEbb, percentile(direct, 99)));
        report.add("");
        report.add("Goal (issue 14): p99 <= 100 ms. The Ebb path includes the API call (validation, PostgreSQL, audit), the "
                + "reconciler's wake-up and the apply, and the client's polling of the API server (one GET per try).");
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
        try (KubernetesRuntime runtime = new KubernetesRuntime("resync", RealKubernetes.clients(), new DesiredObjects.Gateway("ebb-gateway",
                "ebb-system"), Duration.ofHours(1), ClusterActions.NONE)) {
            runtime.expose(exposed);
            double before = requests(client);
            long start = System.nanoTime();
            runtime.apply(many);
            double firstMs = (System.nanoTime() - start) / 1e6;
            double firstRequests = requests(client) - before - 1;
            before = requests(client);
            start = System.nanoTime();
            runtime.apply(many);
            double secondMs = (System.nanoTime() - start) / 1e6;
            double secondRequests = requests(client) - before - 1;
            report.add("## A full pass over " + RESYNC + " services on one cluster");
            report.add("");
            report.add("| pass | seconds | API requests |");
            report.add("|---|---:|---:|");
            report.add(String.format(Locale.ROOT, "| first (every Deployment and Service created) | %.2f | %.0f |",
                    firstMs / 1000, firstRequests));
            report.add(String.format(Locale.ROOT, "| again, nothing changed | %.2f | %.0f |", secondMs / 1000, secondRequests));
            report.add("");
            report.add("Goal (issue 14): a full resync of 1,000 services <= 10 s. Requests counted from the API server's "
                    + "own apiserver_request_total (the benchmark's reads of that counter excluded).");
            report.add("");
        }

        // 3. Memory of the control plane holding the services of step 1 plus as many more, all on the cluster.
        for (int i = CREATES; i < RESYNC; i++) {
            http().post(path(ns), "{\"name\": \"s" + i + "\", \"template\": {\"image\": \"registry.example/model:1\", "
                    + "\"scale\": {\"initial\": 1}}}");
        }
        System.gc();
        long heap = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
        report.add("## Memory");
        report.add("");
        report.add(String.format(Locale.ROOT, "Heap in use after a full GC with %d services on the cluster: %.0f MiB (the whole "
                + "test JVM: Ebb, its driver and the benchmark's clients).", RESYNC, heap / 1048576.0));
        report.add("");
        report.add("Not measured here: autoscaler decision to replicas patched, and pod Ready to first request forwarded "
                + "(they need the test kubelet's pods; next increment).");
        Path out = Path.of("..", "bench", "kubernetes", "RESULTS.md");
        Files.writeString(out, String.join("\n", report) + "\n");
        System.out.println(String.join("\n", report));
    }

    private static boolean exists(AppsV1Api apps, String ns, String name) throws ApiException {
        try {
            apps.readNamespacedDeployment(name, ns).execute();
            return true;
        } catch (ApiException e) {
            if (e.getCode() == 404) {
                return false;
            }
            throw e;
        }
    }

    /** Requests the API server has served so far, from its own metrics. */
    private static double requests(ApiClient client) throws IOException {
        String metrics = client.getHttpClient().newCall(new okhttp3.Request.Builder().url(client.getBasePath() + "/metrics")
                .build()).execute().body().string();
        double total = 0;
        Matcher m = REQUESTS.matcher(metrics);
        while (m.find()) {
            total += Double.parseDouble(m.group(1));
        }
        return total;
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
