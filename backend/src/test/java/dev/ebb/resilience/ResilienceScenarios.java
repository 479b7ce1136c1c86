package dev.ebb.resilience;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.ebb.support.GatewayProcess;
import dev.ebb.support.Http;
import dev.ebb.support.Ports;
import dev.ebb.support.TinyServer;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import tools.jackson.databind.JsonNode;

/**
 * Issue 15's ten resilience scenarios, written once for every runtime driver: each against real processes on 127.0.0.1
 * (PostgreSQL, the control plane, the standalone gateway, the revisions' instances), bounded in count and time,
 * asserting the correctness counts (0 failed, 0 lost, every error a problem) and recording what it measured in
 * a {@link Report}. A subclass says where the revisions run ({@link ResilienceSuite}: the local runtime;
 * {@link KubernetesResilienceSuite}: pods on a real API server) and where the report goes.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
abstract class ResilienceScenarios {

    /** How many services a namespace may hold in a run: scenario 10 creates more. */
    static final int SERVICE_QUOTA = 50;
    static final Duration SLOW = Duration.ofMinutes(3);
    private static final int FUZZ_CASES = Integer.getInteger("resilience.fuzz-cases", 5000);
    /** async-profiler's agent library: when set, scenario 7 profiles the gateway during the flood (bench/resilience/README.md). */
    private static final String PROFILER = System.getProperty("resilience.profiler");
    /** Scenario 7's warm service: its callers, and the requests a second each sends. */
    private static final int NEIGHBOUR_CALLERS = 4;
    private static final int NEIGHBOUR_RATE = 100;

    final Report report = new Report();
    Path work;
    /** The settings every control plane of the suite starts with, a second replica's too. */
    List<String> controlPlaneArgs;
    PostgresServer postgres;
    ControlPlaneProcess controlPlane;
    GatewayProcess gateway;
    int[] gatewayPorts;
    String gatewayToken;
    Http api;

    /** The namespace of the scenarios' services. */
    abstract String ns();

    /** Starts what the revisions run on, before the control plane. */
    abstract void startPlatform() throws Exception;

    /** The control plane's settings beyond the database, port and token. */
    abstract List<String> controlPlaneSettings();

    /** Called once the control plane answers, before any service exists (e.g. to register a cluster). */
    void controlPlaneStarted() throws Exception {
    }

    /** The JSON fields before {@code "template"} that place a service where this suite runs revisions; "" for the default. */
    abstract String placement();

    /** A template (JSON) running the test suite's TinyServer with {@code extra} fields added. */
    abstract String tinyTemplate(String extra);

    /**
     * Scenario 10's crowd of {@code accepted} services in {@code namespace} is there: waits for what this runtime makes
     * of them, checks it, and says what it saw.
     */
    abstract String crowdPlaced(String namespace, int accepted) throws Exception;

    /** The template of scenario 10's crowd: each service wants an instance. */
    abstract String crowdTemplate();

    /** Waits until scenario 10's deleted crowd has left nothing behind in {@code namespace}. */
    abstract void crowdRemoved(String namespace) throws Exception;

    /** Writes the report where this suite's section of RELIABILITY.md goes. */
    abstract void writeReport() throws IOException;

    /** Stops what {@link #startPlatform()} started. */
    abstract void stopPlatform() throws Exception;

    @BeforeAll
    void start() throws Exception {
        work = Files.createTempDirectory(Path.of("target").toAbsolutePath(), "resilience-");
        startPlatform();
        postgres = PostgresServer.start(work.resolve("postgres"));
        List<String> settings = new ArrayList<>(List.of("--ebb.autoscaler.scale-to-zero-grace-period=0s",
                "--ebb.api.max-services-per-namespace=" + SERVICE_QUOTA));
        settings.addAll(controlPlaneSettings());
        controlPlaneArgs = List.copyOf(settings);
        controlPlane = ControlPlaneProcess.start(work.resolve("control-plane"), Ports.restartable(), postgres.url(), settings);
        api = controlPlane.http();
        Http.Response token = api.post("/api/v1/tokens", "{\"name\": \"resilience-gateway\", \"kind\": \"gateway\", \"neverExpires\": true}");
        assertThat(token.status()).as(token.toString()).isEqualTo(201);
        gatewayToken = token.json().get("value").asString();
        gatewayPorts = new int[] {Ports.restartable(), Ports.restartable(), Ports.restartable()};
        gateway = GatewayProcess.start(work.resolve("gateway"), gatewayPorts, controlPlane.url(), gatewayToken, 10_000);
        controlPlaneStarted();
        // A warm service the scenarios that break something keep calling: two instances that never go away.
        deploy("steady", "\"scale\": {\"min\": 2}");
    }

    @AfterAll
    void stop() throws Exception {
        try {
            writeReport();
        } finally {
            try {
                if (gateway != null) {
                    gateway.close();
                }
                if (controlPlane != null) {
                    controlPlane.close();
                }
                if (postgres != null) {
                    postgres.close();
                }
            } finally {
                stopPlatform();
            }
        }
    }

    @Test
    @Order(1)
    void aThousandConcurrentRequestsAtZero() throws Exception {
        deploy("burst", "\"scale\": {\"window\": \"6s\"}, \"concurrency\": {\"target\": 200, \"utilization\": 100}");
        await().atMost(SLOW).until(() -> instances("burst", "ready") == 0);

        List<Load.Call> calls = concurrently(1000, host("burst"), "/healthz");

        long ok = Load.count(calls, Load.Call::ok);
        long lost = Load.count(calls, c -> c.fate() == Load.Fate.LOST);
        double lastMs = calls.stream().mapToLong(Load.Call::nanos).max().orElse(0) / 1e6;
        record("1. 1,000 concurrent requests at zero", "1,000 GET /healthz sent at once on 1,000 connections",
                "the revision at zero (no instance)", calls.size(), calls.size() - ok - lost, lost,
                String.format(Locale.ROOT, "every request answered within %.1f s of being sent", lastMs / 1000),
                String.format(Locale.ROOT, "p50 %.0f ms, p99 %.0f ms; %d instances afterwards (target 200 in flight each)",
                        Load.percentileMillis(calls, 50), Load.percentileMillis(calls, 99), instances("burst", "ready")));
        assertThat(ok).isEqualTo(1000);
    }

    @Test
    @Order(2)
    void scaleDownUnderFallingLoad() throws Exception {
        deploy("falling", "\"scale\": {\"window\": \"6s\"}, \"concurrency\": {\"target\": 2, \"utilization\": 100}");
        Load load = new Load(gateway.port(), host("falling"), "/slow?ms=200", 12);
        int peak;
        long start = System.nanoTime();
        try {
            await().atMost(SLOW).until(() -> instances("falling", "ready") >= 5);
            peak = instances("falling", "ready");
            for (int callers : new int[] {6, 2, 1}) {
                load.callers(callers);
                int wanted = Math.max(1, (callers + 1) / 2);
                await().atMost(SLOW).until(() -> instances("falling", "ready") <= wanted);
            }
            load.callers(0);
            await().atMost(SLOW).until(() -> instances("falling", "ready") == 0);
        } finally {
            load.stop();
        }
        Collection<Load.Call> calls = load.calls();
        long failed = Load.count(calls, c -> !c.ok() && c.fate() != Load.Fate.LOST);
        long lost = Load.count(calls, c -> c.fate() == Load.Fate.LOST);
        record("2. Scale-down under falling load", "closed loop on GET /slow?ms=200: 12, then 6, 2, 1 and 0 callers, each step "
                + "held until the instances followed", "none: the autoscaler removes instances as load falls", calls.size(), failed,
                lost, String.format(Locale.ROOT, "%d instances to 0 in %.0f s", peak, (System.nanoTime() - start) / 1e9),
                String.format(Locale.ROOT, "p50 %.0f ms, p99 %.0f ms (handler 200 ms)", Load.percentileMillis(calls, 50),
                        Load.percentileMillis(calls, 99)));
        assertThat(failed + lost).isZero();
    }

    @Test
    @Order(3)
    void trafficMovedFromZeroToAHundredPercentUnderLoad() throws Exception {
        deploy("moved", "");
        String first = "moved-00001";
        Http.Response second = api.put(path("moved"), "{" + placement() + "\"template\": " + tinyTemplate("\"env\": {\"VERSION\": \"2\"}")
                + ", \"traffic\": [{\"revision\": \"" + first + "\", \"percent\": 100}]}");
        assertThat(second.status()).as(second.toString()).isEqualTo(200);
        await().atMost(SLOW).until(() -> api.get(path("moved") + "/revisions/moved-00002").json()
                .at("/status/conditions").toString().contains("\"status\":\"True\""));
        Load load = new Load(gateway.port(), host("moved"), "/env", 8);
        long moved;
        double switchMs;
        try {
            for (int percent : new int[] {10, 50, 100}) {
                long before = load.calls().size();
                Http.Response split = api.patch(path("moved"), "{\"traffic\": [{\"revision\": \"" + first + "\", \"percent\": "
                        + (100 - percent) + "}, {\"revision\": \"moved-00002\", \"percent\": " + percent + "}]}");
                assertThat(split.status()).as(split.toString()).isEqualTo(200);
                await().atMost(SLOW).until(() -> load.calls().size() > before + 200);
            }
            moved = System.nanoTime();
            await().atMost(SLOW).until(() -> lastCalls(load.calls(), 100).stream().allMatch(c -> c.body().contains("K_REVISION=moved-00002")));
            long lastFirst = load.calls().stream().filter(c -> c.body() != null && c.body().contains("K_REVISION=" + first))
                    .mapToLong(c -> c.startNanos() + c.nanos()).max().orElse(moved);
            switchMs = Math.max(0, lastFirst - moved) / 1e6;
        } finally {
            load.stop();
        }
        Collection<Load.Call> calls = load.calls();
        long failed = Load.count(calls, c -> !c.ok() && c.fate() != Load.Fate.LOST);
        long lost = Load.count(calls, c -> c.fate() == Load.Fate.LOST);
        long toSecond = Load.count(calls, c -> c.body() != null && c.body().contains("K_REVISION=moved-00002"));
        record("3. Traffic moved 0 -> 100 % under load", "8 callers in a closed loop on GET /env", "traffic 0 -> 10 -> 50 -> 100 % "
                + "to a new revision, each step after 200 more requests", calls.size(), failed, lost,
                String.format(Locale.ROOT, "last answer from the old revision %.0f ms after the 100 %% change was acknowledged", switchMs),
                String.format(Locale.ROOT, "%d answers from the new revision, %d from the old; p99 %.0f ms", toSecond,
                        calls.size() - toSecond, Load.percentileMillis(calls, 99)));
        assertThat(failed + lost).isZero();
    }

    @Test
    @Order(4)
    void gatewayGracefulRestartUnderLoad() throws Exception {
        Load load = new Load(gateway.port(), host("steady"), "/slow?ms=100", 8);
        long stopped;
        Duration down;
        try {
            awaitMoreOk(load, 200);
            stopped = System.nanoTime();
            gateway.terminate();
            down = gateway.startAgain();
            down = Duration.ofNanos(System.nanoTime() - stopped);
            awaitMoreOk(load, 200);
        } finally {
            load.stop();
        }
        Collection<Load.Call> calls = load.calls();
        long refused = Load.count(calls, c -> c.fate() == Load.Fate.REFUSED);
        long failed = Load.count(calls, c -> !c.ok() && c.fate() != Load.Fate.REFUSED && c.fate() != Load.Fate.LOST);
        long lost = Load.count(calls, c -> c.fate() == Load.Fate.LOST);
        Map<String, Long> how = calls.stream().filter(c -> !c.ok() && c.fate() != Load.Fate.REFUSED)
                .collect(Collectors.groupingBy(c -> c.fate() + " " + c.status() + " " + c.body(), Collectors.counting()));
        record("4. Gateway graceful restart under load", "8 callers in a closed loop on GET /slow?ms=100 of a warm service",
                "SIGTERM to the gateway process, then a new one on the same ports", calls.size() - refused, failed, lost,
                String.format(Locale.ROOT, "routing again %.1f s after the SIGTERM (new JVM, routing read back from its file)",
                        down.toMillis() / 1000.0),
                refused + " connection attempts refused while no gateway listened (nothing sent; not counted as sent)"
                        + (how.isEmpty() ? "" : "; failures by kind: " + how));
        assertThat(failed + lost).as("requests the gateway had accepted when it was told to stop: " + how).isZero();
    }

    @Test
    @Order(5)
    void controlPlaneKilledUnderLoadWithASeparateGateway() throws Exception {
        String revision = "steady-00001";
        Set<Long> before = instanceProcesses(revision);
        String stateBefore = storedState();
        Load load = new Load(gateway.port(), host("steady"), "/slow?ms=100", 8);
        Duration restart;
        long duringOutage;
        try {
            awaitMoreOk(load, 200);
            controlPlane.kill();
            long okAtKill = Load.count(load.calls(), Load.Call::ok);
            awaitMoreOk(load, 300);
            duringOutage = Load.count(load.calls(), Load.Call::ok) - okAtKill;
            restart = controlPlane.startAgain();
            awaitMoreOk(load, 200);
        } finally {
            load.stop();
        }
        // Give the new control plane's reconciler its chance to duplicate or stop something, then look.
        await().atMost(SLOW).until(() -> instances("steady", "ready") == 2);
        Set<Long> after = instanceProcesses(revision);
        String stateAfter = storedState();
        Collection<Load.Call> calls = load.calls();
        long failed = Load.count(calls, c -> !c.ok() && c.fate() != Load.Fate.LOST);
        long lost = Load.count(calls, c -> c.fate() == Load.Fate.LOST);
        record("5. Control plane SIGKILL under load, separate gateway", "8 callers in a closed loop on GET /slow?ms=100 of a "
                + "service with 2 instances", "SIGKILL to the control plane; started again after 300 more requests", calls.size(),
                failed, lost, String.format(Locale.ROOT, "API answering %.1f s after the new process was started", restart.toMillis() / 1000.0),
                duringOutage + " requests served while the control plane was dead; instance processes before " + before.size()
                        + ", after " + after.size() + (before.equals(after) ? " (the same processes: none stopped, none started)" : " (different: " + before + " -> " + after + ")")
                        + "; stored state (audit head, every service's ETag) " + (stateBefore.equals(stateAfter) ? "unchanged" : "CHANGED"));
        assertThat(failed + lost).isZero();
        assertThat(after).as("the same instances, none duplicated").isEqualTo(before);
        assertThat(stateAfter).as("nothing stored lost or duplicated").isEqualTo(stateBefore);
    }

    @Test
    @Order(6)
    void postgresRestartUnderLoad() throws Exception {
        String writes = path("writes");
        assertThat(api.post(path(), "{\"name\": \"writes\", " + placement() + "\"template\": {\"image\": \"dev.local/m:1\"}}").status()).isEqualTo(201);
        Load traffic = new Load(gateway.port(), host("steady"), "/slow?ms=100", 4);
        record Write(int n, long startNanos, long nanos, int status, String retryAfter, String contentType) {
        }
        ConcurrentLinkedQueue<Write> written = new ConcurrentLinkedQueue<>();
        AtomicBoolean writing = new AtomicBoolean(true);
        Thread writer = new Thread(() -> {
            for (int n = 1; writing.get(); n++) {
                long start = System.nanoTime();
                Http.Response response;
                try {
                    response = api.patch(writes, "{\"labels\": {\"n\": \"" + n + "\"}}");
                } catch (RuntimeException e) {
                    written.add(new Write(n, start, System.nanoTime() - start, 0, null, e.toString()));
                    continue;
                }
                written.add(new Write(n, start, System.nanoTime() - start, response.status(), response.header("Retry-After"),
                        response.contentType()));
            }
        }, "api-writer");
        long stoppedAt;
        long startedAt;
        try {
            writer.start();
            await().atMost(SLOW).until(() -> written.stream().filter(w -> w.status() == 200).count() >= 50);
            stoppedAt = System.nanoTime();
            postgres.stop();
            await().atMost(SLOW).until(() -> written.stream().filter(w -> w.startNanos() > stoppedAt && w.status() == 503).count() >= 10);
            startedAt = System.nanoTime();
            postgres.startAgain();
            await().atMost(SLOW).until(() -> written.stream().filter(w -> w.startNanos() > startedAt && w.status() == 200).count() >= 50);
        } finally {
            writing.set(false);
            writer.join();
            traffic.stop();
        }
        List<Write> all = new ArrayList<>(written);
        List<Write> outage = all.stream().filter(w -> w.status() != 200).toList();
        long unexpected = outage.stream().filter(w -> w.status() != 503 || !"5".equals(w.retryAfter())
                || w.contentType() == null || !w.contentType().startsWith("application/problem+json")).count();
        double slowest503 = outage.stream().filter(w -> w.status() == 503).mapToLong(Write::nanos).max().orElse(0) / 1e6;
        long firstOkAfter = all.stream().filter(w -> w.startNanos() > startedAt && w.status() == 200)
                .mapToLong(w -> w.startNanos() + w.nanos()).min().orElse(startedAt);
        Set<String> committed = all.stream().filter(w -> w.status() == 200).map(w -> Integer.toString(w.n())).collect(Collectors.toSet());
        Set<String> audited = auditedLabels("writes", "n");
        Set<String> missing = new HashSet<>(committed);
        missing.removeAll(audited);
        Set<String> inDoubt = new HashSet<>(audited);
        inDoubt.removeAll(committed);
        String stored = api.get(writes).json().at("/labels/n").asString();
        int last = all.stream().filter(w -> w.status() == 200).mapToInt(Write::n).max().orElse(0);
        Collection<Load.Call> calls = traffic.calls();
        long trafficFailed = Load.count(calls, c -> !c.ok());
        record("6. PostgreSQL restart", "one API client PATCHing a service in a loop, and 4 callers through the gateway on "
                + "GET /slow?ms=100", "PostgreSQL stopped (fast shutdown) after 50 writes, started again after 10 answers of 503",
                all.size() + calls.size(), unexpected + trafficFailed, missing.size(),
                String.format(Locale.ROOT, "first write accepted %.1f s after PostgreSQL was started again",
                        Math.max(0, firstOkAfter - startedAt) / 1e9),
                String.format(Locale.ROOT, "%d writes, %d committed (all in the audit trail: %s), %d answered 503 with "
                        + "Retry-After (slowest %.0f ms), %d other; %d gateway requests during it, %d failed; %d writes "
                        + "answered with an error were applied anyway; stored value is the last committed write: %s",
                        all.size(), committed.size(), missing.isEmpty(), outage.size() - unexpected, slowest503, unexpected,
                        calls.size(), trafficFailed, inDoubt.size(), stored.equals(Integer.toString(last))));
        assertThat(unexpected).as("every write during the outage is a 503 problem with Retry-After").isZero();
        assertThat(missing).as("committed writes lost").isEmpty();
        assertThat(trafficFailed).as("the gateway keeps routing").isZero();
        assertThat(slowest503).as("a 503 within the 2 s connection timeout, plus slack for this machine").isLessThan(5000);
    }

    @Test
    @Order(7)
    void aColdRevisionsQueueFlooded() throws Exception {
        int depth = 1000;
        int size = 3000;
        gateway.terminate();
        gateway = GatewayProcess.start(work.resolve("gateway"), gatewayPorts, controlPlane.url(), gatewayToken, depth);
        deploy("cold", "\"env\": {\"STARTUP_DELAY_MS\": \"15000\"}, \"scale\": {\"window\": \"6s\"}");
        await().atMost(SLOW).until(() -> gone("cold"));
        // The gateway was started a moment ago: warm up the warm service's path first, so that the quiet baseline is not
        // the JIT's first minute.
        Load warmUp = new Load(gateway.port(), host("steady"), "/healthz", 4);
        awaitMoreOk(warmUp, 2000);
        warmUp.stop();
        // Two floods: the first meets code paths this JVM has not compiled yet (refusals, the queue, a thousand requests
        // handed on at once), the second a gateway that has seen one, as a gateway that has run for a while has.
        Flood first = flood(Proxy.of(gateway), size, "flood-1", true);
        // The first flood slowed the warm service enough for it to scale up (panic): the second flood's quiet baseline
        // waits for it to be back at its two instances, or it would measure the extra ones stopping as "quiet".
        await().atMost(SLOW).until(() -> gone("cold") && settled("steady", 2));
        Flood second = flood(Proxy.of(gateway), size, "flood-2", true);
        List<Flood> floods = List.of(first, second);
        Optional<Flood> nginx = nginxFlood(size, depth);
        long failed = floods.stream().mapToLong(Flood::failed).sum();
        long lost = floods.stream().mapToLong(f -> Load.count(f.calls(), c -> c.fate() == Load.Fate.LOST)).sum();
        record("7. A cold revision's queue flooded", String.format(Locale.ROOT, "twice, %,d GET at once to a revision at zero whose "
                + "instance takes 15 s to start; gateway queue depth %,d; %d clients at %d requests a second each, open-loop, on another (warm) "
                + "service", size, depth, NEIGHBOUR_CALLERS, NEIGHBOUR_RATE),
                "the flood itself", 2L * size, failed, lost,
                String.format(Locale.ROOT, "the held requests served once the instance was ready; refusals answered in p99 %.0f ms "
                        + "(first flood), %.0f ms (second)", first.refusedP99(), second.refusedP99()),
                "first flood, " + first.describe() + "; second flood, " + second.describe() + "; " + nginx.map(
                        flood -> "the same flood with nginx in the gateway's place (baseline: its " + depth + " held requests "
                                + "answered by a server that waits 15 s, so no instance starts; the warm service's two "
                                + "instances started directly): " + flood.describe())
                        .orElse("no nginx baseline: " + NginxProxy.BINARY + " is missing (Debian: apt-get install nginx)"));
        for (Flood flood : floods) {
            Map<String, Long> how = flood.calls().stream().filter(c -> !c.ok() && c.status() != 503)
                    .collect(Collectors.groupingBy(c -> c.fate() + " " + c.status() + " " + c.body(), Collectors.counting()));
            assertThat(flood.failed() + Load.count(flood.calls(), c -> c.fate() == Load.Fate.LOST))
                    .as("every request held and served, or refused with 503; the others by kind: " + how).isZero();
            assertThat(flood.refused()).as("at most the queue's depth held").isGreaterThanOrEqualTo(size - depth);
            assertThat(flood.calls().stream().filter(c -> c.status() == 503)).allSatisfy(c -> assertThat(c.body()).contains("Retry-After"));
        }
        gateway.terminate();
        gateway = GatewayProcess.start(work.resolve("gateway"), gatewayPorts, controlPlane.url(), gatewayToken, 10_000);
    }

    /** One flood of scenario 7 and what it did to the warm service, against a quiet baseline measured just before. */
    record Flood(String proxy, List<Load.Call> calls, long served, long refused, long failed, double quietP99, double floodP99,
            double refusedP99, long rssBeforeKib, long rssPeakKib, String storm, String loadAverage) {

        String describe() {
            return String.format(Locale.ROOT, "%d served, %d refused 503 + Retry-After: other service's p99 %.1f ms quiet, %.1f ms "
                    + "during the flood (**%.2f x**); %s RSS %d MiB before, %d MiB at most during; %s; load average as it "
                    + "ended %s", served, refused, quietP99, floodP99, floodP99 / quietP99, proxy, rssBeforeKib / 1024,
                    Math.max(rssBeforeKib, rssPeakKib) / 1024, storm, loadAverage);
        }
    }

    /** One flood through {@code proxy}, profiled (when the suite is told where the profiler is) if {@code profile}. */
    private Flood flood(Proxy proxy, int size, String name, boolean profile) throws Exception {
        Load quiet = neighbour(proxy.port());
        awaitMoreOk(quiet, 2000);
        List<Load.Call> quietCalls = quiet.stop();
        long rssBefore = proxy.residentKib();

        Load during = neighbour(proxy.port());
        Usage usage = Usage.sample(proxy);
        List<Load.Call> flooded;
        long floodStart = System.nanoTime();
        boolean profiled = profile && PROFILER != null;
        if (profiled) {
            gateway.agent(PROFILER, System.getProperty("resilience.profiler.options", "start,event=cpu,interval=997us,threads"));
        }
        try {
            flooded = concurrently(proxy.port(), size, host("cold"), "/healthz");
        } finally {
            usage.stop();
            if (profiled) {
                gateway.agent(PROFILER, "stop,collapsed,file=" + work.resolve(name + "-profile.collapsed"));
            }
        }
        List<Load.Call> duringCalls = during.stop();
        long served = Load.count(flooded, Load.Call::ok);
        long refused = Load.count(flooded, c -> c.fate() == Load.Fate.ANSWERED && c.status() == 503 && c.body() != null);
        long lastRefusal = flooded.stream().filter(c -> c.status() == 503).mapToLong(c -> c.startNanos() + c.nanos()).max().orElse(floodStart);
        long firstServed = flooded.stream().filter(Load.Call::ok).mapToLong(c -> c.startNanos() + c.nanos()).min().orElse(lastRefusal);
        long lastServed = flooded.stream().filter(Load.Call::ok).mapToLong(c -> c.startNanos() + c.nanos()).max().orElse(firstServed);
        Usage.Window refusing = usage.between(floodStart, lastRefusal);
        Usage.Window starting = usage.between(lastRefusal, firstServed);
        // Where the warm service's slow calls fall: the refusals (the gateway's own work), the held requests' wait (the
        // flooded revision's instances starting, on the same host), and the held requests let go to them.
        String storm = String.format(Locale.ROOT, "the %,d refusals took %.1f s, the warm calls overlapping them %s, CPU in that window "
                + "(of %d cores) %s %.0f %%, the suite's JVM (flood client and warm callers) %.0f %%; while the held requests "
                + "waited %.1f s for an answer, warm calls %s, %s %.0f %% and the suite %.0f %% CPU; while the held requests were "
                + "answered (%.1f s), warm calls %s", refused, (lastRefusal - floodStart) / 1e9,
                overlapping(duringCalls, floodStart, lastRefusal), Runtime.getRuntime().availableProcessors(), proxy.name(),
                refusing.gatewayCores() * 100, refusing.clientCores() * 100, (firstServed - lastRefusal) / 1e9,
                overlapping(duringCalls, lastRefusal, firstServed), proxy.name(), starting.gatewayCores() * 100,
                starting.clientCores() * 100, (lastServed - firstServed) / 1e9, overlapping(duringCalls, firstServed, lastServed));
        long lost = Load.count(flooded, c -> c.fate() == Load.Fate.LOST);
        // Failed and lost are counted apart, as the report's table defines them.
        Flood flood = new Flood(proxy.name(), flooded, served, refused, flooded.size() - served - refused - lost,
                Load.percentileMillis(quietCalls, 99), Load.percentileMillis(duringCalls, 99), Load.percentileMillis(flooded.stream().filter(c -> c.status() == 503).toList(), 99),
                rssBefore, usage.rssPeakKib(), storm, Report.loadAverage());
        System.out.println("resilience: " + name + ": " + flood.describe());
        timeline(name, floodStart, quietCalls, duringCalls, flooded);
        return flood;
    }

    /**
     * The same flood with nginx in the gateway's place, in the same run: what any proxy on these two cores, with the flood's
     * client beside it, does to the warm service. The warm service is two test servers started directly; the flooded host
     * is limited to {@code depth} connections at once ({@code limit_conn}, 503 with Retry-After beyond it, as the gateway's
     * queue refuses) and proxied to a test server that answers each request 15 s later, so no instance starts: the
     * refusals and the holding are the proxy's, the fifteen JVMs that start in the gateway's floods are not there. Empty
     * when this machine has no nginx.
     */
    private Optional<Flood> nginxFlood(int size, int depth) throws Exception {
        if (!Files.isExecutable(NginxProxy.BINARY)) {
            return Optional.empty();
        }
        List<Process> servers = new ArrayList<>();
        try {
            int held = Ports.free();
            int steady1 = Ports.free();
            int steady2 = Ports.free();
            int port = Ports.free();
            for (int server : new int[] {held, steady1, steady2}) {
                servers.add(new ProcessBuilder(TinyServer.JAVA, TinyServer.program(), Integer.toString(server)).redirectErrorStream(true)
                        .redirectOutput(work.resolve("baseline-" + server + ".log").toFile()).start());
            }
            for (int server : new int[] {held, steady1, steady2}) {
                await().atMost(SLOW).until(() -> Load.call(server, "localhost", "/healthz").status() == 200);
            }
            String http = """
                    limit_conn_zone $server_name zone=held:1m;
                    upstream held { server 127.0.0.1:%1$d; }
                    upstream steady { server 127.0.0.1:%2$d; server 127.0.0.1:%3$d; keepalive 32; }
                    server {
                        listen 127.0.0.1:%4$d;
                        server_name %5$s;
                        location / {
                            limit_conn held %6$d;
                            limit_conn_status 503;
                            error_page 503 = @refused;
                            rewrite ^ /slow?ms=15000? break;
                            proxy_pass http://held;
                            proxy_read_timeout 120s;
                        }
                        location @refused {
                            add_header Retry-After 1 always;
                            return 503 "refused: %6$d requests are held already\n";
                        }
                    }
                    server {
                        listen 127.0.0.1:%4$d;
                        server_name %7$s;
                        location / {
                            proxy_pass http://steady;
                            proxy_http_version 1.1;
                            proxy_set_header Connection "";
                        }
                    }
                    """.formatted(held, steady1, steady2, port, host("cold"), depth, host("steady"));
            try (NginxProxy nginx = NginxProxy.start(work.resolve("nginx"), port, http)) {
                Load warmUp = new Load(nginx.port(), host("steady"), "/healthz", 4);
                awaitMoreOk(warmUp, 2000);
                warmUp.stop();
                Flood flood = flood(nginx, size, "flood-nginx", false);
                long failed = flood.failed() + Load.count(flood.calls(), c -> c.fate() == Load.Fate.LOST);
                assertThat(failed).as("nginx answers every request of the baseline: served, or refused with 503").isZero();
                return Optional.of(flood);
            }
        } finally {
            for (Process server : servers) {
                server.destroy();
                server.waitFor();
            }
        }
    }

    /**
     * The warm service's clients: 4 clients at 100 requests a second each, open-loop (each request sent when due, however
     * many are in flight), a service busy but not at the end of what this machine serves (some 6,000 a second here). A
     * closed loop would keep the CPU saturated by itself, and its p99 would then say only how the CPU is shared, not how
     * long a client of the warm service waits.
     */
    private Load neighbour(int port) {
        return Load.paced(port, host("steady"), "/healthz", NEIGHBOUR_CALLERS, NEIGHBOUR_RATE);
    }

    /** How many of the calls overlap the window (nanoTime) and their p99, in words. */
    private static String overlapping(List<Load.Call> calls, long from, long to) {
        List<Load.Call> overlap = calls.stream().filter(c -> c.startNanos() + c.nanos() >= from && c.startNanos() <= to).toList();
        return String.format(Locale.ROOT, "%d, p99 %.1f ms", overlap.size(), Load.percentileMillis(overlap, 99));
    }

    /**
     * Writes every call of a flood and of the warm service around it (start and end in ms from the flood's start, the
     * status) to {@code <name>-calls.csv} in the suite's directory, so that a slow tail can be placed in time.
     */
    private void timeline(String name, long floodStart, List<Load.Call> quiet, List<Load.Call> during, List<Load.Call> flooded)
            throws IOException {
        StringBuilder csv = new StringBuilder("who,start_ms,end_ms,status\n");
        Map<String, List<Load.Call>> who = Map.of("quiet", quiet, "warm", during, "flood", flooded);
        who.forEach((label, calls) -> calls.forEach(c -> csv.append(String.format(Locale.ROOT, "%s,%.2f,%.2f,%d%n", label,
                (c.startNanos() - floodStart) / 1e6, (c.startNanos() + c.nanos() - floodStart) / 1e6, c.status()))));
        Files.writeString(work.resolve(name + "-calls.csv"), csv);
    }

    @Test
    @Order(8)
    void propertyBasedFuzzingOfEveryEndpoint() {
        assertThat(api.post(path(), "{\"name\": \"fuzzed\", " + placement() + "\"template\": {\"image\": \"dev.local/m:1\"}}").status()).isEqualTo(201);
        long start = System.nanoTime();
        ApiFuzzing.Result result;
        try {
            result = new ApiFuzzing(api, ns(), "fuzzed").run(FUZZ_CASES, 15L);
        } catch (AssertionError e) {
            record("8. Property-based API fuzzing", FUZZ_CASES + " generated requests", "hostile input", FUZZ_CASES, 1, 0,
                    "n/a", "FAILED: " + e.getMessage().lines().limit(4).collect(Collectors.joining(" ")));
            throw e;
        }
        record("8. Property-based API fuzzing", String.format(Locale.ROOT, "%,d generated requests (QuickTheories, fixed seed) "
                + "over %d operations", result.cases(), result.operations()), "hostile path segments, query parameters, "
                + "Accept, Content-Type and bodies", result.cases(), result.serverErrors(), 0,
                String.format(Locale.ROOT, "n/a (%.0f s, %.1f ms a case)", (System.nanoTime() - start) / 1e9,
                        (System.nanoTime() - start) / 1e6 / result.cases()),
                "statuses " + result.statuses() + "; every error problem+json with its status; nothing stored changed; not "
                        + "fuzzed: " + String.join(", ", result.excluded()));
    }

    @Test
    @Order(9)
    void concurrentEdits() throws Exception {
        ConcurrentEdits.Result result = ConcurrentEdits.run(api, ns(), placement(), "edited", 16, 25);
        long other = result.statuses().entrySet().stream().filter(e -> e.getKey() != 200 && e.getKey() != 412)
                .mapToLong(Map.Entry::getValue).sum();
        record("9. Concurrent edits", "16 writers, 25 conditional PATCHes each (If-Match of what they read), every fifth "
                + "changing the template", "all at once on one service", result.writes(), other,
                result.applied() - result.auditEvents(), "n/a",
                String.format(Locale.ROOT, "statuses %s; %d applied, %d audit events, %d revisions for %d template changes; "
                        + "final state is the last audited: %s", result.statuses(), result.applied(), result.auditEvents(),
                        result.revisions(), result.templateChangesApplied(), result.finalEditor().equals(result.lastAuditedEditor())));
        assertThat(result.everyWriteAppliedOrStale()).as(result.toString()).isTrue();
        assertThat(result.stateAndAuditAgree()).as(result.toString()).isTrue();
    }

    @Test
    @Order(10)
    void resourceExhaustionAttempts() throws Exception {
        assertThat(api.post(path(), "{\"name\": \"target\", " + placement() + "\"template\": {\"image\": \"dev.local/m:1\"}}").status()).isEqualTo(201);
        int apiPort = Integer.parseInt(controlPlane.url().substring(controlPlane.url().lastIndexOf(':') + 1));
        Load steady = new Load(gateway.port(), host("steady"), "/healthz", 2);
        List<ResourceExhaustion.Attempt> attempts;
        int crowd = 60;
        String placed;
        int refused = 0;
        try {
            awaitMoreOk(steady, 500);
            attempts = ResourceExhaustion.run(api, apiPort, ControlPlaneProcess.TOKEN, ns(), "target");
            // More services than the namespace may hold, each wanting an instance: those past the quota are refused with
            // the limit, the others are placed as the runtime places them.
            String crowded = "crowd";
            for (int i = 0; i < crowd; i++) {
                Http.Response created = api.post("/api/v1/namespaces/" + crowded + "/services", "{\"name\": \"c" + i
                        + "\", " + placement() + "\"template\": " + crowdTemplate() + "}");
                if (i < SERVICE_QUOTA) {
                    assertThat(created.status()).as(created.toString()).isEqualTo(201);
                } else {
                    assertThat(created.status()).as(created.toString()).isEqualTo(409);
                    assertThat(created.contentType()).startsWith("application/problem+json");
                    assertThat(created.json().get("type").asString()).endsWith("quota-exceeded");
                    refused++;
                }
            }
            placed = crowdPlaced(crowded, crowd - refused);
            awaitMoreOk(steady, 500);
            for (int i = 0; i < crowd; i++) {
                api.delete("/api/v1/namespaces/" + crowded + "/services/c" + i);
            }
            crowdRemoved(crowded);
        } finally {
            steady.stop();
        }
        Collection<Load.Call> calls = steady.calls();
        long unclear = attempts.stream().filter(a -> !a.refusedClearly()).count();
        String refusals = attempts.stream().map(a -> String.format(Locale.ROOT, "%s: %d in %.0f ms", a.what(), a.status(), a.millis()))
                .collect(Collectors.joining("; "));
        record("10. Resource exhaustion attempts", attempts.size() + " hostile requests, then " + crowd + " services each "
                + "wanting an instance in one namespace; 2 callers on a warm service throughout",
                "huge counts, bodies, headers, nesting, page sizes; many services", attempts.size() + crowd,
                unclear + Load.count(calls, c -> !c.ok()), 0, "n/a",
                String.format(Locale.ROOT, "%s. Many services: %d of %d accepted, %d refused 409 quota-exceeded (the "
                        + "namespace's service quota, %d in this run), %s. Warm service during it: %d requests, p99 %.1f ms", refusals,
                        crowd - refused, crowd, refused, SERVICE_QUOTA, placed, calls.size(), Load.percentileMillis(calls, 99)));
        assertThat(attempts).allSatisfy(a -> assertThat(a.refusedClearly()).as(a.toString()).isTrue());
        assertThat(refused).isEqualTo(crowd - SERVICE_QUOTA);
        assertThat(Load.count(calls, c -> !c.ok())).as("the host is unaffected").isZero();
    }

    // ---- helpers ----

    void record(String scenario, String load, String fault, long sent, long failed, long lost, String recovery,
            String notes) {
        report.add(new Outcome(scenario, load, fault, sent, failed, lost, recovery, notes));
    }

    String path() {
        return "/api/v1/namespaces/" + ns() + "/services";
    }

    String path(String service) {
        return path() + "/" + service;
    }

    String host(String service) {
        return service + "." + ns() + ".svc.cluster.local";
    }

    void deploy(String service, String extra) {
        Http.Response created = api.post(path(), "{\"name\": \"" + service + "\", " + placement() + "\"template\": " + tinyTemplate(extra) + "}");
        assertThat(created.status()).as(created.toString()).isEqualTo(201);
        await().atMost(SLOW).until(() -> Load.call(gateway.port(), host(service), "/healthz").ok());
    }

    int instances(String service, String field) {
        return api.get(path(service) + "/revisions/" + service + "-00001").json().at("/status/instances/" + field).asInt();
    }

    /**
     * Whether a service's revision has no instance at all: none desired, none ready, and none still listed (one that
     * is stopping can still be taken back by the next request, which would then find it warm).
     */
    boolean gone(String service) {
        return settled(service, 0);
    }

    /** Whether a service's revision runs {@code count} instances, all ready, and none more desired or still listed. */
    boolean settled(String service, int count) {
        JsonNode instances = api.get(path(service) + "/revisions/" + service + "-00001").json().at("/status/instances");
        return instances.at("/desired").asInt() == count && instances.at("/ready").asInt() == count
                && instances.at("/items").size() == count;
    }

    void awaitMoreOk(Load load, int more) {
        long target = Load.count(load.calls(), Load.Call::ok) + more;
        await().atMost(SLOW).until(() -> Load.count(load.calls(), Load.Call::ok) >= target);
    }

    private static List<Load.Call> lastCalls(Collection<Load.Call> calls, int count) {
        List<Load.Call> all = new ArrayList<>(calls);
        return all.subList(Math.max(0, all.size() - count), all.size());
    }

    /**
     * Sends {@code count} requests at once, each on its own connection, all written before any answer is read, and
     * reads every answer as it arrives (one selector), so that each call's time is its own, not its turn in a reader.
     */
    List<Load.Call> concurrently(int count, String host, String path) throws IOException {
        return concurrently(gateway.port(), count, host, path);
    }

    /** {@link #concurrently(int, String, String)} to {@code port}. */
    static List<Load.Call> concurrently(int port, int count, String host, String path) throws IOException {
        byte[] request = ("GET " + path + " HTTP/1.1\r\nHost: " + host + "\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII);
        Map<SocketChannel, Long> starts = new HashMap<>();
        Map<SocketChannel, ByteArrayOutputStream> received = new HashMap<>();
        List<Load.Call> calls = new ArrayList<>();
        try (Selector selector = Selector.open()) {
            for (int i = 0; i < count; i++) {
                SocketChannel channel = SocketChannel.open(new InetSocketAddress("127.0.0.1", port));
                starts.put(channel, System.nanoTime());
                ByteBuffer out = ByteBuffer.wrap(request);
                while (out.hasRemaining()) {
                    channel.write(out);
                }
                channel.configureBlocking(false);
                channel.register(selector, SelectionKey.OP_READ);
                received.put(channel, new ByteArrayOutputStream());
            }
            long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(3);
            ByteBuffer in = ByteBuffer.allocate(64 * 1024);
            while (!selector.keys().isEmpty() && System.nanoTime() < deadline) {
                selector.select(1_000);
                for (SelectionKey key : selector.selectedKeys()) {
                    SocketChannel channel = (SocketChannel) key.channel();
                    in.clear();
                    int read;
                    try {
                        read = channel.read(in);
                    } catch (IOException e) {
                        calls.add(new Load.Call(starts.get(channel), System.nanoTime() - starts.get(channel), Load.Fate.BROKEN, 0, e.toString()));
                        key.cancel();
                        channel.close();
                        continue;
                    }
                    if (read > 0) {
                        received.get(channel).write(in.array(), 0, read);
                    } else if (read < 0) {
                        String response = received.get(channel).toString(StandardCharsets.UTF_8);
                        Load.Call call = Load.answer(starts.get(channel), response);
                        // Keep whether the answer said when to retry where the flood scenario looks for it.
                        calls.add(response.toLowerCase(Locale.ROOT).contains("\r\nretry-after:")
                                ? new Load.Call(call.startNanos(), call.nanos(), call.fate(), call.status(), "Retry-After " + call.body())
                                : call);
                        key.cancel();
                        channel.close();
                    }
                }
                selector.selectedKeys().clear();
            }
            for (SelectionKey key : selector.keys()) {
                SocketChannel channel = (SocketChannel) key.channel();
                // What arrived before the deadline tells a response that never ended from one that never began.
                String partial = received.get(channel).toString(StandardCharsets.UTF_8);
                calls.add(new Load.Call(starts.get(channel), System.nanoTime() - starts.get(channel), Load.Fate.LOST, 0,
                        partial.isEmpty() ? "no answer" : "no end of the answer after " + partial.length() + " bytes: "
                                + partial.substring(0, Math.min(200, partial.length()))));
                channel.close();
            }
        }
        return calls;
    }

    /** The live processes that run an instance of {@code revision}, by the environment Ebb gave them. */
    static Set<Long> instanceProcesses(String revision) {
        return processesWithEnvironment("K_REVISION=" + revision);
    }

    static int processesInNamespace(String namespace) {
        return processesWithEnvironment("EBB_NAMESPACE=" + namespace).size();
    }

    static Set<Long> processesWithEnvironment(String entry) {
        Set<Long> pids = new HashSet<>();
        byte[] wanted = ("\0" + entry + "\0").getBytes(StandardCharsets.UTF_8);
        ProcessHandle.allProcesses().forEach(process -> {
            try {
                byte[] environ = Files.readAllBytes(Path.of("/proc", Long.toString(process.pid()), "environ"));
                byte[] padded = new byte[environ.length + 1];
                System.arraycopy(environ, 0, padded, 1, environ.length);
                if (indexOf(padded, wanted) >= 0 && process.isAlive()) {
                    pids.add(process.pid());
                }
            } catch (IOException | RuntimeException e) {
                // gone, or not ours to read
            }
        });
        return pids;
    }

    private static int indexOf(byte[] haystack, byte[] needle) {
        outer:
        for (int i = 0; i <= haystack.length - needle.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (haystack[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }

    /** The newest audit event's id and every service's ETag in the suite's namespace. */
    String storedState() {
        JsonNode newest = api.get("/api/v1/audit?limit=1").json().get("items");
        StringBuilder state = new StringBuilder(newest.isEmpty() ? "none" : newest.get(0).get("id").asString());
        for (JsonNode service : api.get(path() + "?limit=1000").json().get("items")) {
            state.append(' ').append(service.get("name").asString()).append('=')
                    .append(api.get(path(service.get("name").asString())).header("ETag"));
        }
        return state.toString();
    }

    /** The values of {@code label} in the audit trail's updates of {@code service}. */
    Set<String> auditedLabels(String service, String label) {
        Set<String> values = new HashSet<>();
        String next = "";
        while (next != null) {
            JsonNode page = api.get("/api/v1/audit?namespace=" + ns() + "&service=" + service + "&limit=1000" + next).json();
            page.get("items").forEach(event -> {
                JsonNode value = event.at("/after/labels/" + label);
                if (!value.isMissingNode() && !value.isNull()) {
                    values.add(value.asString());
                }
            });
            JsonNode token = page.path("continue");
            next = token.isMissingNode() || token.isNull() || token.asString().isEmpty() ? null : "&continue=" + token.asString();
        }
        return values;
    }
}
