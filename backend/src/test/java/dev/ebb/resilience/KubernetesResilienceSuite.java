package dev.ebb.resilience;

import static dev.ebb.support.Kubeconfigs.clusterBody;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.ebb.gateway.Gateway;
import dev.ebb.support.ApiTest;
import dev.ebb.support.Http;
import dev.ebb.support.RealKubernetes;
import dev.ebb.support.TcpProxy;
import dev.ebb.support.TestKubelet;
import dev.ebb.support.TinyServer;
import io.kubernetes.client.openapi.ApiException;
import io.kubernetes.client.openapi.apis.AppsV1Api;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.annotation.DirtiesContext;

/**
 * Issue 15's Kubernetes scenarios, on the Kubernetes driver's real API server set-up (kube-apiserver 1.20.2 with etcd
 * and kube-controller-manager; the test kubelet runs pods as local processes): the API server unreachable for 60 s
 * under load, and a pod killed in the middle of requests. Ebb (control plane and gateway in this JVM, as its tests
 * run it) reaches the API server through a relay that the first scenario cuts. Run with
 * {@code mvn -pl backend test -Dtest=KubernetesResilienceSuite -Dsurefire.failIfNoSpecifiedTests=false}; writes the
 * section "On Kubernetes" of {@code RELIABILITY.md}.
 */
@DirtiesContext
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {"ebb.runtime.enabled=true",
        "ebb.autoscaler.scale-to-zero-grace-period=0s", "ebb.kubernetes.observe-interval=200ms"})
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class KubernetesResilienceSuite extends ApiTest {

    static final String SECTION = "## On Kubernetes";
    private static final Duration SLOW = Duration.ofMinutes(3);
    private static final Duration AWAY = Duration.ofSeconds(60);
    private static final String IMAGE = "ebb.test/tiny:1";
    private static final List<Outcome> OUTCOMES = new ArrayList<>();
    private static final Instant STARTED = Instant.now();
    private static TestKubelet kubelet;
    private static TcpProxy relay;

    private final String ns = "k8s-resilience";
    private static final String CLUSTER = "k-" + UUID.randomUUID().toString().substring(0, 8);

    @Autowired
    Gateway gateway;

    @BeforeAll
    static void cluster() throws Exception {
        RealKubernetes.withControllers();
        kubelet = new TestKubelet(RealKubernetes.client(), Map.of(IMAGE, List.of(TinyServer.JAVA)),
                Path.of("target", "kube", "pods")).start();
        relay = TcpProxy.start(RealKubernetes.apiServer());
    }

    @AfterAll
    static void report() throws Exception {
        try {
            writeSection();
        } finally {
            relay.close();
            kubelet.close();
        }
    }

    @Test
    @Order(1)
    void apiServerUnreachableForAMinuteUnderLoad() throws Exception {
        String kubeconfig = RealKubernetes.kubeconfigThrough(relay.port());
        Http.Response registered = http().post("/api/v1/clusters", clusterBody(CLUSTER, kubeconfig));
        assertThat(registered.status()).as(registered.toString()).isEqualTo(201);
        deploy("steady", "\"scale\": {\"min\": 2}");
        await().atMost(SLOW).until(() -> instances("steady") == 2);

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
            createdDuring = http().post(path(), service("late", "\"scale\": {\"min\": 1}")).status();
            // The fault is a minute long, whatever happens meanwhile; what the gateway answered is counted afterwards.
            await().atMost(AWAY.plusSeconds(30)).until(() -> System.nanoTime() - cut >= AWAY.toNanos());
            failedWhileAway = Load.count(load.calls(), c -> !c.ok());
            relay.restore();
            restored = System.nanoTime();
            await().atMost(SLOW).until(() -> deploymentExists("late-00001") && instances("late") == 1);
            recoveredSeconds = (System.nanoTime() - restored) / 1e9;
            awaitMoreOk(load, 100);
        } finally {
            load.stop();
        }
        Collection<Load.Call> calls = load.calls();
        long failed = Load.count(calls, c -> !c.ok() && c.fate() != Load.Fate.LOST);
        long lost = Load.count(calls, c -> c.fate() == Load.Fate.LOST);
        List<String> deployments = new AppsV1Api(RealKubernetes.client()).listNamespacedDeployment(ns).execute().getItems().stream()
                .map(d -> d.getMetadata().getName()).sorted().toList();
        OUTCOMES.add(new Outcome("K1. API server unreachable for 60 s", "4 callers through the gateway on GET /slow?ms=100 of a "
                + "service with 2 pods", "the relay between Ebb and the API server cut for 60 s (connections refused); a "
                + "service created meanwhile", calls.size(), failed, lost, String.format(Locale.ROOT, "the service created during "
                + "the outage had its Deployment and a ready pod %.1f s after the API server was reachable again", recoveredSeconds),
                "create during the outage answered " + createdDuring + "; Deployments afterwards " + deployments + "; "
                        + failedWhileAway + " requests failed while the API server was away, answered "
                        + calls.stream().filter(c -> !c.ok()).map(c -> c.fate() + " " + c.status() + " "
                                + problemType(c.body())).distinct().toList()));
        assertThat(createdDuring).isEqualTo(201);
        assertThat(failed + lost).isZero();
        assertThat(deployments).as("one Deployment per revision, none duplicated").containsExactly("late-00001", "steady-00001");
    }

    @Test
    @Order(2)
    void aPodKilledInTheMiddleOfRequests() throws Exception {
        Load load = new Load(gateway.port(), host("steady"), "/slow?ms=500", 4);
        long killed;
        double recoveredSeconds;
        try {
            awaitMoreOk(load, 40);
            Set<Long> pods = ResilienceSuite.processesWithEnvironment("K_REVISION=steady-00001");
            assertThat(pods).hasSize(2);
            long victim = pods.iterator().next();
            killed = System.nanoTime();
            ProcessHandle.of(victim).ifPresent(ProcessHandle::destroyForcibly);
            await().atMost(SLOW).until(() -> ResilienceSuite.processesWithEnvironment("K_REVISION=steady-00001").size() == 2
                    && instances("steady") == 2);
            recoveredSeconds = (System.nanoTime() - killed) / 1e9;
            awaitMoreOk(load, 40);
        } finally {
            load.stop();
        }
        Collection<Load.Call> calls = load.calls();
        long failed = Load.count(calls, c -> !c.ok() && c.fate() != Load.Fate.LOST);
        long lost = Load.count(calls, c -> c.fate() == Load.Fate.LOST);
        String statuses = calls.stream().filter(c -> !c.ok()).map(c -> c.fate() + " " + c.status()).distinct().toList().toString();
        OUTCOMES.add(new Outcome("K2. A pod killed mid-request", "4 callers through the gateway on GET /slow?ms=500 of a service "
                + "with 2 pods", "SIGKILL to one pod's process while it serves requests", calls.size(), failed, lost,
                String.format(Locale.ROOT, "2 ready pods again %.1f s after the kill (the kubelet restarts the container)",
                        recoveredSeconds), failed == 0 ? "no request failed" : "failed answers: " + statuses
                        + " (the requests the killed pod was serving: a GET already sent is not replayed)"));
        assertThat(lost).isZero();
        assertThat(failed).as("at most the requests in flight on the killed pod").isLessThanOrEqualTo(4);
    }

    /** The problem type of an error body, or what there was instead. */
    private static String problemType(String body) {
        Matcher type = Pattern.compile("\"type\":\"([^\"]+)\"").matcher(body == null ? "" : body);
        return type.find() ? type.group(1) : "(no problem body)";
    }

    private String path() {
        return "/api/v1/namespaces/" + ns + "/services";
    }

    private String host(String service) {
        return service + "." + ns + ".svc.cluster.local";
    }

    private String service(String name, String extra) {
        return """
                {"name": "%s", "placement": {"clusters": ["%s"]}, "template": {"image": "%s", "args": ["%s", "$(PORT)"],
                 "readiness": {"path": "/healthz"}, %s}}""".formatted(name, CLUSTER, IMAGE, TinyServer.source(), extra);
    }

    private void deploy(String name, String extra) {
        Http.Response created = http().post(path(), service(name, extra));
        assertThat(created.status()).as(created.toString()).isEqualTo(201);
        await().atMost(SLOW).until(() -> Load.call(gateway.port(), host(name), "/healthz").ok());
    }

    private int instances(String service) {
        return http().get(path() + "/" + service + "/revisions/" + service + "-00001").json().at("/status/instances/ready").asInt();
    }

    private boolean deploymentExists(String name) {
        try {
            new AppsV1Api(RealKubernetes.client()).readNamespacedDeployment(name, ns).execute();
            return true;
        } catch (ApiException e) {
            return false;
        }
    }

    private static void awaitMoreOk(Load load, int more) {
        long target = Load.count(load.calls(), Load.Call::ok) + more;
        await().atMost(SLOW).until(() -> Load.count(load.calls(), Load.Call::ok) >= target);
    }

    /** Replaces (or adds) the section "On Kubernetes" of RELIABILITY.md, leaving the rest as the main suite wrote it. */
    private static void writeSection() throws IOException {
        List<String> out = new ArrayList<>();
        out.add(SECTION);
        out.add("");
        out.add("`KubernetesResilienceSuite` (`mvn -pl backend test -Dtest=KubernetesResilienceSuite "
                + "-Dsurefire.failIfNoSpecifiedTests=false`), against kube-apiserver " + RealKubernetes.VERSION + " with etcd and "
                + "kube-controller-manager, pods run by the test kubelet as local processes; Ebb (control plane and gateway in "
                + "the test's JVM) reaches the API server through a TCP relay. Run " + STARTED + ", took "
                + Duration.between(STARTED, Instant.now()).toSeconds() + " s, load average at the end " + ResilienceSuite.loadAverage()
                + ", same machine as above.");
        out.add("");
        out.add("| scenario | load | fault | sent | failed | lost | recovery |");
        out.add("|---|---|---|---:|---:|---:|---|");
        for (Outcome o : OUTCOMES) {
            out.add(String.format(Locale.ROOT, "| %s | %s | %s | %,d | %,d | %,d | %s |", o.scenario(), o.load(), o.fault(),
                    o.sent(), o.failed(), o.lost(), o.recovery()));
        }
        out.add("");
        for (Outcome o : OUTCOMES) {
            out.add("- **" + o.scenario() + "**: " + o.notes());
        }
        Path file = Path.of("..", "RELIABILITY.md");
        String before = Files.exists(file) ? Files.readString(file) : "# Reliability\n";
        int at = before.indexOf("\n" + SECTION);
        String kept = at < 0 ? before : before.substring(0, at + 1);
        Files.writeString(file, kept.stripTrailing() + "\n\n" + String.join("\n", out) + "\n");
    }
}
