package dev.ebb.resilience;

import static dev.ebb.support.Kubeconfigs.clusterBody;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.ebb.support.GatewayProcess;
import dev.ebb.support.Http;
import dev.ebb.support.Ports;
import dev.ebb.support.RealKubernetes;
import dev.ebb.support.TcpProxy;
import dev.ebb.support.TestKubelet;
import dev.ebb.support.TinyServer;
import io.kubernetes.client.openapi.ApiException;
import io.kubernetes.client.openapi.apis.AppsV1Api;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;

/**
 * Issue 15's resilience suite on the Kubernetes driver: the ten scenarios of {@link ResilienceScenarios} with every
 * service placed on a real API server (kube-apiserver 1.20.2 with etcd and kube-controller-manager, as the driver's
 * tests run it; the test kubelet runs each pod as a local process on a loopback address of its own), plus two of its
 * own: the API server unreachable for 60 s under load, and a pod killed in the middle of requests. The control plane
 * and the gateway are processes of their own, as in the local suite; the control plane reaches the API server through
 * a relay that K1 cuts. Run with
 * {@code mvn -pl backend test -Dtest=KubernetesResilienceSuite -Dsurefire.failIfNoSpecifiedTests=false}; writes the
 * section "On Kubernetes" of {@code RELIABILITY.md}.
 */
class KubernetesResilienceSuite extends ResilienceScenarios {

    static final String SECTION = "## On Kubernetes";
    private static final int SCENARIOS = 13;
    private static final java.time.Duration AWAY = java.time.Duration.ofSeconds(60);
    private static final String IMAGE = "dev.local/tiny:1";
    /** An image the test kubelet cannot pull: scenario 10's crowd gets Deployments and pods, and no process. */
    private static final String UNPULLABLE = "dev.local/unpullable:1";

    private final String cluster = "k-" + UUID.randomUUID().toString().substring(0, 8);
    private TestKubelet kubelet;
    private TcpProxy relay;

    @Override
    String ns() {
        return "k8s-resilience";
    }

    @Override
    void startPlatform() throws Exception {
        RealKubernetes.withControllers();
        kubelet = new TestKubelet(RealKubernetes.client(), Map.of(IMAGE, List.of(TinyServer.JAVA)), work.resolve("pods")).start();
        relay = TcpProxy.start(RealKubernetes.apiServer());
    }

    @Override
    List<String> controlPlaneSettings() {
        // One key for every replica (scenario 13 starts a second): each reads the cluster's kubeconfig the first stored.
        byte[] key = new byte[32];
        new java.security.SecureRandom().nextBytes(key);
        return List.of("--ebb.kubernetes.observe-interval=200ms",
                "--ebb.secrets.keys=resilience:" + java.util.Base64.getEncoder().encodeToString(key));
    }

    @Override
    void controlPlaneStarted() {
        Http.Response registered = api.post("/api/v1/clusters", clusterBody(cluster, RealKubernetes.kubeconfigThrough(relay.port())));
        assertThat(registered.status()).as(registered.toString()).isEqualTo(201);
    }

    @Override
    String placement() {
        return "\"placement\": {\"clusters\": [\"" + cluster + "\"]}, ";
    }

    @Override
    String tinyTemplate(String extra) {
        return """
                {"image": "%s", "args": ["%s", "$(PORT)"], "readiness": {"path": "/healthz"}%s}"""
                .formatted(IMAGE, TinyServer.program(), extra.isEmpty() ? "" : ", " + extra);
    }

    @Override
    String crowdTemplate() {
        return "{\"image\": \"" + UNPULLABLE + "\", \"scale\": {\"min\": 1}}";
    }

    @Override
    String crowdPlaced(String namespace, int accepted) {
        await().atMost(SLOW).until(() -> deployments(namespace).size() == accepted);
        return deployments(namespace).size() + " Deployments on the cluster, one per service, their pods waiting for an image the "
                + "test kubelet cannot pull (no cap on live instances per namespace: that is the local runtime's; a cluster "
                + "bounds pods with its own ResourceQuota)";
    }

    @Override
    void crowdRemoved(String namespace) {
        await().atMost(SLOW).until(() -> deployments(namespace).isEmpty());
    }

    @Override
    void stopPlatform() throws IOException {
        try {
            if (relay != null) {
                relay.close();
            }
        } finally {
            if (kubelet != null) {
                kubelet.close();
            }
        }
    }

    @Test
    @Order(11)
    void apiServerUnreachableForAMinuteUnderLoad() throws Exception {
        Load load = new Load(gateway.port(), host("steady"), "/slow?ms=100", 4);
        long restored;
        double recoveredSeconds;
        int createdDuring;
        long failedWhileAway;
        try {
            awaitMoreOk(load, 100);
            relay.cut();
            long cut = System.nanoTime();
            // While it is away, changes are accepted and stored, as they are when the cluster is there.
            createdDuring = api.post(path(), "{\"name\": \"late\", " + placement() + "\"template\": "
                    + tinyTemplate("\"scale\": {\"min\": 1}") + "}").status();
            // The fault is a minute long, whatever happens meanwhile; what the gateway answered is counted afterwards.
            await().atMost(AWAY.plusSeconds(30)).until(() -> System.nanoTime() - cut >= AWAY.toNanos());
            failedWhileAway = Load.count(load.calls(), c -> !c.ok());
            relay.restore();
            restored = System.nanoTime();
            await().atMost(SLOW).until(() -> deploymentExists("late-00001") && instances("late", "ready") == 1);
            recoveredSeconds = (System.nanoTime() - restored) / 1e9;
            awaitMoreOk(load, 100);
        } finally {
            load.stop();
        }
        Collection<Load.Call> calls = load.calls();
        long failed = Load.count(calls, c -> !c.ok() && c.fate() != Load.Fate.LOST);
        long lost = Load.count(calls, c -> c.fate() == Load.Fate.LOST);
        List<String> deployments = deployments(ns());
        record("K1. API server unreachable for 60 s", "4 callers through the gateway on GET /slow?ms=100 of a service with 2 pods",
                "the relay between Ebb and the API server cut for 60 s (connections refused); a service created meanwhile",
                calls.size(), failed, lost, String.format(Locale.ROOT, "the service created during the outage had its Deployment "
                        + "and a ready pod %.1f s after the API server was reachable again", recoveredSeconds),
                "create during the outage answered " + createdDuring + "; Deployments afterwards " + deployments + "; "
                        + failedWhileAway + " requests failed while the API server was away, answered "
                        + calls.stream().filter(c -> !c.ok()).map(c -> c.fate() + " " + c.status() + " "
                                + problemType(c.body())).distinct().toList());
        assertThat(createdDuring).isEqualTo(201);
        assertThat(failed + lost).isZero();
        assertThat(deployments).as("one Deployment per revision, none duplicated").contains("late-00001", "steady-00001")
                .doesNotHaveDuplicates();
    }

    @Test
    @Order(13)
    void theLeaderKilledUnderLoadWithASecondReplica() throws Exception {
        ControlPlaneProcess second = ControlPlaneProcess.start(work.resolve("control-plane-2"), Ports.restartable(), postgres.url(),
                controlPlaneArgs);
        Http secondAsGateway = Http.to(second.url(), gatewayToken);
        assertThat(secondAsGateway.get("/internal/v1/routing").status()).as("the second replica follows").isEqualTo(503);
        gateway.terminate();
        gateway = GatewayProcess.start(work.resolve("gateway"), gatewayPorts, controlPlane.url() + "," + second.url(),
                gatewayToken, 10_000);
        String revision = "steady-00001";
        Set<Long> before = instanceProcesses(revision);
        Load load = new Load(gateway.port(), host("steady"), "/slow?ms=100", 8);
        double leaderAfter;
        Set<Long> afterTakeOver;
        try {
            awaitMoreOk(load, 200);
            long killed = System.nanoTime();
            controlPlane.kill();
            await().atMost(SLOW).pollInterval(java.time.Duration.ofMillis(50))
                    .until(() -> secondAsGateway.get("/internal/v1/routing").status() == 200);
            leaderAfter = (System.nanoTime() - killed) / 1e9;
            awaitMoreOk(load, 300);
            afterTakeOver = instanceProcesses(revision);
            // The new leader's own work: a scale change it decides and applies on the cluster.
            assertThat(second.http().patch(path("steady"), "{\"template\": {\"scale\": {\"min\": 3}}}").status()).isEqualTo(200);
            await().atMost(SLOW).until(() -> second.http().get(path("steady") + "/revisions/steady-00002").json()
                    .at("/status/instances/ready").asInt() == 3);
            awaitMoreOk(load, 200);
        } finally {
            load.stop();
        }
        Collection<Load.Call> calls = load.calls();
        long failed = Load.count(calls, c -> !c.ok() && c.fate() != Load.Fate.LOST);
        long lost = Load.count(calls, c -> c.fate() == Load.Fate.LOST);
        // The first replica back, as a follower, and the second stopped: the first leads again, as the suite began.
        controlPlane.startAgain();
        second.close();
        await().atMost(SLOW).until(() -> Http.to(controlPlane.url(), gatewayToken).get("/internal/v1/routing").status() == 200);
        record("13. Leader killed, a second replica takes over", "8 callers in a closed loop on GET /slow?ms=100 of a service "
                + "with 2 pods, through a gateway given both replicas", "SIGKILL to the leading control plane", calls.size(), failed,
                lost, String.format(Locale.ROOT, "the second replica led %.1f s after the kill (goal 15 s)", leaderAfter),
                "pods of the running revision before the kill " + before.size() + ", when the second replica had taken over "
                        + afterTakeOver.size() + (before.equals(afterTakeOver) ? " (the same processes: adopted, none restarted)"
                        : " (different: " + before + " -> " + afterTakeOver + ")")
                        + "; the new leader then rolled out a change (min 3) that became ready");
        assertThat(failed + lost).isZero();
        assertThat(leaderAfter).isLessThan(15);
        assertThat(afterTakeOver).as("the same pods, adopted").isEqualTo(before);
    }

    @Test
    @Order(12)
    void aPodKilledInTheMiddleOfRequests() throws Exception {
        Load load = new Load(gateway.port(), host("steady"), "/slow?ms=500", 4);
        long killed;
        double recoveredSeconds;
        try {
            awaitMoreOk(load, 40);
            Set<Long> pods = processesWithEnvironment("K_REVISION=steady-00001");
            assertThat(pods).hasSize(2);
            long victim = pods.iterator().next();
            killed = System.nanoTime();
            ProcessHandle.of(victim).ifPresent(ProcessHandle::destroyForcibly);
            await().atMost(SLOW).until(() -> processesWithEnvironment("K_REVISION=steady-00001").size() == 2
                    && instances("steady", "ready") == 2);
            recoveredSeconds = (System.nanoTime() - killed) / 1e9;
            awaitMoreOk(load, 40);
        } finally {
            load.stop();
        }
        Collection<Load.Call> calls = load.calls();
        long failed = Load.count(calls, c -> !c.ok() && c.fate() != Load.Fate.LOST);
        long lost = Load.count(calls, c -> c.fate() == Load.Fate.LOST);
        String statuses = calls.stream().filter(c -> !c.ok()).map(c -> c.fate() + " " + c.status()).distinct().toList().toString();
        record("K2. A pod killed mid-request", "4 callers through the gateway on GET /slow?ms=500 of a service with 2 pods",
                "SIGKILL to one pod's process while it serves requests", calls.size(), failed, lost,
                String.format(Locale.ROOT, "2 ready pods again %.1f s after the kill (the kubelet restarts the container)",
                        recoveredSeconds), failed == 0 ? "no request failed" : "failed answers: " + statuses
                        + " (the requests the killed pod was serving: a GET already sent is not replayed)");
        assertThat(lost).isZero();
        assertThat(failed).as("at most the requests in flight on the killed pod").isLessThanOrEqualTo(4);
    }

    /** The problem type of an error body, or what there was instead. */
    private static String problemType(String body) {
        Matcher type = Pattern.compile("\"type\":\"([^\"]+)\"").matcher(body == null ? "" : body);
        return type.find() ? type.group(1) : "(no problem body)";
    }

    private static List<String> deployments(String namespace) {
        try {
            return new AppsV1Api(RealKubernetes.client()).listNamespacedDeployment(namespace).execute().getItems().stream()
                    .map(d -> d.getMetadata().getName()).sorted().toList();
        } catch (ApiException e) {
            throw new IllegalStateException("cannot list the Deployments of " + namespace + ": " + e.getCode() + " " + e.getResponseBody(), e);
        }
    }

    private boolean deploymentExists(String name) {
        return deployments(ns()).contains(name);
    }

    /** Replaces (or adds) the section "On Kubernetes" of RELIABILITY.md, leaving the rest as the main suite wrote it. */
    @Override
    void writeReport() throws IOException {
        List<String> out = new ArrayList<>();
        out.add(SECTION);
        out.add("");
        out.add("`KubernetesResilienceSuite`: the same ten scenarios, written once (`ResilienceScenarios`), with every service "
                + "placed on a registered cluster: kube-apiserver " + RealKubernetes.VERSION + " with etcd and "
                + "kube-controller-manager, the pods run by the test kubelet as local processes on loopback addresses of their "
                + "own. The control plane and the gateway are processes of their own as above; the control plane reaches the API "
                + "server through a TCP relay. Then two scenarios of its own, K1 and K2. What each scenario means on Kubernetes, "
                + "and why scenario 10 checks no cap on live instances there: \"What differs on Kubernetes\" in "
                + "`bench/resilience/README.md`.");
        out.add("");
        out.addAll(report.table());
        out.addAll(report.figures());
        out.add("");
        out.addAll(report.run("mvn -B -pl backend test -Dtest=KubernetesResilienceSuite -Dsurefire.failIfNoSpecifiedTests=false"));
        // A run of some scenarios only (-Dtest=KubernetesResilienceSuite#...) does not replace the suite's section.
        Path file = report.size() == SCENARIOS ? Path.of("..", "RELIABILITY.md") : work.resolve("RELIABILITY.md");
        String before = Files.exists(file) ? Files.readString(file) : "# Reliability\n";
        int at = before.indexOf("\n" + SECTION);
        String kept = at < 0 ? before : before.substring(0, at + 1);
        Files.writeString(file, kept.stripTrailing() + "\n\n" + String.join("\n", out) + "\n");
        System.out.println("resilience: section written to " + file.toAbsolutePath().normalize());
    }
}
