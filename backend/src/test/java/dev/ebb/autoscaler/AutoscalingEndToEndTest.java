package dev.ebb.autoscaler;

import static dev.ebb.support.Services.path;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.ebb.coldstart.ColdStartRecorder;
import dev.ebb.feed.ColdStart;
import dev.ebb.feed.RoutingSnapshot;
import dev.ebb.gateway.Gateway;
import dev.ebb.routing.RoutingPublisher;
import dev.ebb.support.ApiTest;
import dev.ebb.support.Http;
import dev.ebb.support.RawHttp;
import dev.ebb.support.Services;
import dev.ebb.support.TinyServer;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.annotation.DirtiesContext;
import tools.jackson.databind.JsonNode;

/** Load through the real gateway moves real instances of the local runtime, from zero and back. */
// Closed after this class: its runtime's instances would otherwise keep scaling, and changing the shared
// database, under the test classes that run after it.
@DirtiesContext
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {"ebb.runtime.enabled=true",
        "ebb.autoscaler.scale-to-zero-grace-period=0s"})
class AutoscalingEndToEndTest extends ApiTest {

    private static final Duration SLOW = Duration.ofSeconds(90);
    private final String ns = Services.freshNamespace();

    @Autowired
    Gateway gateway;

    @Autowired
    RoutingPublisher routing;

    @Autowired
    Autoscaler autoscaler;

    @Autowired
    ColdStartRecorder coldStarts;

    private int instances(String service, String field) {
        return http().get(path(ns, service) + "/revisions/" + service + "-00001").json().at("/status/instances/" + field).asInt();
    }

    private String host(String service) {
        return service + "." + ns + ".svc.cluster.local";
    }

    private void deployAndWaitUntilServing(String service, String extra) {
        http().post(path(ns), "{\"name\": \"" + service + "\", \"template\": " + TinyServer.template(extra) + "}");
        await().atMost(SLOW).until(() -> RawHttp.get(gateway.port(), host(service), "/healthz").status() == 200);
    }

    /** Calls {@code path} over and over from {@code callers} threads until {@code until} nanoTime, keeping every answer. */
    private List<Future<?>> load(ExecutorService pool, int callers, String service, String path, long until,
            ConcurrentLinkedQueue<Integer> statuses) {
        List<Future<?>> running = new ArrayList<>();
        for (int i = 0; i < callers; i++) {
            running.add(pool.submit(() -> {
                while (System.nanoTime() < until) {
                    statuses.add(RawHttp.get(gateway.port(), host(service), path).status());
                }
                return null;
            }));
        }
        return running;
    }

    @Test
    void aBurstOf200ConcurrentRequestsAtZeroAllSucceed() throws Exception {
        deployAndWaitUntilServing("burst", "\"scale\": {\"window\": \"6s\"}");
        await().atMost(SLOW).until(() -> instances("burst", "ready") == 0);

        ExecutorService pool = Executors.newFixedThreadPool(200);
        try {
            List<Future<RawHttp.Answer>> answers = new ArrayList<>();
            for (int i = 0; i < 200; i++) {
                answers.add(pool.submit(() -> RawHttp.get(gateway.port(), host("burst"), "/healthz")));
            }
            int coldStarts = 0;
            for (Future<RawHttp.Answer> answer : answers) {
                RawHttp.Answer a = answer.get(2, TimeUnit.MINUTES);
                assertThat(a.status()).isEqualTo(200);
                if (a.headers().containsKey("ebb-cold-start")) {
                    coldStarts++;
                }
            }
            assertThat(coldStarts).as("requests that waited for the instance say how long").isGreaterThan(0);
        } finally {
            pool.shutdownNow();
        }
        assertThat(instances("burst", "ready")).isGreaterThanOrEqualTo(1);

        // Each cold start is on record with every phase, in the order they happened.
        JsonNode events = await().atMost(SLOW).until(() -> http().get(path(ns, "burst") + "/coldstarts?limit=1000").json(),
                body -> body.get("items").size() > 0);
        // The burst's requests share one scale from zero, asked for when its first request arrived; on a busy machine
        // the last of 200 threads may send its request seconds later, so the bound is the first arrival.
        Instant firstArrival = Instant.MAX;
        for (JsonNode event : events.get("items")) {
            Instant arrived = Instant.parse(event.get("arrived").asString());
            firstArrival = arrived.isBefore(firstArrival) ? arrived : firstArrival;
        }
        for (JsonNode event : events.get("items")) {
            Instant arrived = Instant.parse(event.get("arrived").asString());
            Instant requested = Instant.parse(event.get("scaleRequested").asString());
            Instant firstByte = Instant.parse(event.get("firstByte").asString());
            assertThat(requested).isAfterOrEqualTo(firstArrival.minusSeconds(1)).isBefore(arrived.plusSeconds(1));
            assertThat(firstByte).isAfter(requested);
            Instant started = Instant.parse(event.get("instanceStarted").asString());
            Instant ready = Instant.parse(event.get("instanceReady").asString());
            assertThat(started).isAfterOrEqualTo(requested);
            assertThat(ready).isAfter(started);
            assertThat(firstByte).isAfterOrEqualTo(ready);
        }
        assertThat(events.at("/revisions/0/count").asInt()).isEqualTo(events.get("items").size());
    }

    @Test
    void aColdStartReportedAfterItsInstanceStoppedStillHasTheInstancesPhases() {
        deployAndWaitUntilServing("late", "\"scale\": {\"window\": \"6s\"}");
        Instant served = Instant.now();
        String instance = snapshotRevision("late-00001").endpoints().get(0).instance();
        await().atMost(SLOW).until(() -> instances("late", "ready") == 0);

        // A separate gateway posts its reports a moment after the request; by then the instance may be gone.
        coldStarts.store(new ColdStart(ns, "late", "late-00001", instance, "late-report", served.minusMillis(300), served,
                served.plusMillis(5), 200));

        JsonNode record = http().get(path(ns, "late") + "/coldstarts").json().at("/items/0");
        assertThat(record.get("requestId").asString()).isEqualTo("late-report");
        assertThat(record.hasNonNull("instanceStarted")).as(record.toString()).isTrue();
        assertThat(record.hasNonNull("instanceReady")).as(record.toString()).isTrue();
        Instant started = Instant.parse(record.get("instanceStarted").asString());
        Instant ready = Instant.parse(record.get("instanceReady").asString());
        assertThat(started).isBefore(ready);
        assertThat(ready).isBeforeOrEqualTo(served);
    }

    @Test
    void aConcurrencyStepReachesTheExpectedInstanceCountAndScaleDownLosesNoRequest() throws Exception {
        // Two requests per instance: ten callers want five instances.
        deployAndWaitUntilServing("step", "\"scale\": {\"window\": \"6s\"}, \"concurrency\": {\"target\": 2, \"utilization\": 100}");
        ExecutorService pool = Executors.newFixedThreadPool(10);
        ConcurrentLinkedQueue<Integer> statuses = new ConcurrentLinkedQueue<>();
        try {
            long stepEnds = System.nanoTime() + Duration.ofSeconds(15).toNanos();
            List<Future<?>> step = load(pool, 10, "step", "/slow?ms=1000", stepEnds, statuses);
            await().atMost(SLOW).until(() -> instances("step", "desired") >= 5);
            assertThat(instances("step", "desired")).isEqualTo(5);
            double concurrency = http().get(path(ns, "step") + "/revisions/step-00001").json()
                    .at("/status/instances/averageConcurrency").asDouble();
            assertThat(concurrency).as("ten callers keep about ten requests in flight").isBetween(3.0, 12.0);
            for (Future<?> caller : step) {
                caller.get(2, TimeUnit.MINUTES);
            }
            // One caller with long requests while the others' load leaves the window: instances go, its requests must not.
            long tailEnds = System.nanoTime() + Duration.ofSeconds(20).toNanos();
            List<Future<?>> tail = load(pool, 1, "step", "/slow?ms=3000", tailEnds, statuses);
            await().atMost(SLOW).until(() -> instances("step", "desired") <= 2);
            for (Future<?> caller : tail) {
                caller.get(2, TimeUnit.MINUTES);
            }
        } finally {
            pool.shutdownNow();
        }
        assertThat(statuses).isNotEmpty().allMatch(status -> status == 200);
    }

    @Test
    void theColdStartProbeTakesTheRevisionToZeroAndMeasuresEachRun() {
        // A window long enough that the users' requests below find it warm however slow the machine: the probe takes it to
        // zero itself, and a user's own cold start would be counted as a user's.
        deployAndWaitUntilServing("probed", "\"scale\": {\"window\": \"60s\"}");
        // A user's warm requests, once the gateway has reported them.
        await().atMost(SLOW).until(() -> {
            assertThat(RawHttp.get(gateway.port(), host("probed"), "/healthz").status()).isEqualTo(200);
            JsonNode summary = http().get(path(ns, "probed") + "/metrics").json().at("/revisions/0/requests/summary");
            return summary.path("requests").asLong() > summary.path("coldRequests").asLong();
        });

        Http.Response serving = http().post(path(ns, "probed") + "/coldstart-probe", "{\"runs\": 2}");
        assertThat(serving.status()).as("it just answered requests").isEqualTo(409);
        assertThat(serving.json().get("detail").asString()).contains("probed-00001 serves 100 %", "\"force\": true");

        JsonNode result = http().post(path(ns, "probed") + "/coldstart-probe", "{\"runs\": 2, \"force\": true}").json();

        assertThat(result.get("revision").asString()).isEqualTo("probed-00001");
        assertThat(result.get("host").asString()).isEqualTo(host("probed"));
        assertThat(result.get("path").asString()).isEqualTo("/healthz");
        assertThat(result.get("runs")).hasSize(2).allSatisfy(run -> {
            assertThat(run.get("status").asInt()).isEqualTo(200);
            assertThat(run.get("coldStartMs").asLong()).isPositive();
            assertThat(run.get("totalMs").asLong()).isGreaterThanOrEqualTo(run.get("coldStartMs").asLong());
        });
        assertThat(result.get("p50Ms").asLong()).isPositive();
        assertThat(result.get("withinSlo").asDouble()).isBetween(0.0, 1.0);
        JsonNode audit = http().get("/api/v1/audit?namespace=" + ns + "&service=probed").json().get("items");
        assertThat(audit.findValuesAsString("action")).contains("coldstart.probe");
        // The probe's cold starts are on record as the probe's, apart from the users' experience.
        JsonNode coldStarts = await().atMost(SLOW).until(() -> http().get(path(ns, "probed") + "/coldstarts").json(),
                body -> body.get("items").size() >= 2);
        assertThat(coldStarts.get("items")).allSatisfy(item -> assertThat(item.get("probe").asBoolean()).isTrue());
        assertThat(coldStarts.get("revisions")).as("no user waited").isEmpty();
        assertThat(coldStarts.at("/probes/0/count").asInt()).isGreaterThanOrEqualTo(2);
        JsonNode row = http().get("/api/v1/services?namespace=" + ns + "&q=probed").json().at("/items/0");
        assertThat(row.at("/coldStart/count").asLong()).as("the list shows the users' cold starts").isZero();
    }

    @Test
    void theExcessBurstCapacityDecidesWhetherTheGatewayBuffersARevisionsRequests() throws Exception {
        deployAndWaitUntilServing("straight", "\"annotations\": {\"autoscaling.knative.dev/target-burst-capacity\": \"0\"}, "
                + "\"scale\": {\"min\": 1}");
        deployAndWaitUntilServing("buffered", "\"scale\": {\"min\": 1}");

        JsonNode straight = await().atMost(SLOW).until(() -> http().get(path(ns, "straight") + "/revisions/straight-00001").json()
                .at("/status/instances"), instances -> !instances.get("gatewayInPath").asBoolean());
        assertThat(straight.get("excessBurstCapacity").asDouble()).as("a target burst capacity of 0").isZero();
        await().atMost(SLOW).untilAsserted(() -> assertThat(snapshotRevision("straight-00001").buffered()).isFalse());

        JsonNode buffered = http().get(path(ns, "buffered") + "/revisions/buffered-00001").json().at("/status/instances");
        assertThat(buffered.get("gatewayInPath").asBoolean()).isTrue();
        assertThat(buffered.get("excessBurstCapacity").asDouble()).as("1 x 100 - 211 - load").isLessThanOrEqualTo(-111);
        assertThat(snapshotRevision("buffered-00001").buffered()).isTrue();
        assertThat(RawHttp.get(gateway.port(), host("straight"), "/healthz").status()).isEqualTo(200);
    }

    private RoutingSnapshot.Revision snapshotRevision(String name) {
        return routing.current().revisions().stream().filter(r -> r.namespace().equals(ns) && r.name().equals(name))
                .findFirst().orElseThrow();
    }

    @Test
    void aRevisionTrafficNoLongerReachesGoesToZeroDespiteItsMinScale() {
        deployAndWaitUntilServing("moved", "\"scale\": {\"min\": 2, \"window\": \"6s\"}");
        http().patch(path(ns, "moved"), "{\"template\": {\"env\": {\"VERSION\": \"2\"}}}");
        await().atMost(SLOW).until(() -> revisionInstances("moved-00002", "ready") == 2);
        // Only a revision traffic once reached is unreachable when it no longer does: one never routed is still pending
        // (Knative's reachability Unknown) and keeps its min-scale. Wait for the autoscaler to have seen it routed.
        await().atMost(SLOW).until(() -> autoscaler.everRouted(ns, "moved-00002"));

        // Traffic goes back to the first revision; the second stays the latest, but nothing reaches it any more.
        http().put(path(ns, "moved") + "/traffic", "{\"traffic\": [{\"revision\": \"moved-00001\", \"percent\": 100}]}");
        await().atMost(SLOW).until(() -> revisionInstances("moved-00002", "desired") == 0);
        assertThat(revisionInstances("moved-00001", "desired")).as("the reachable one keeps its min-scale").isEqualTo(2);
    }

    private int revisionInstances(String revision, String field) {
        return http().get(path(ns, "moved") + "/revisions/" + revision).json().at("/status/instances/" + field).asInt();
    }

    @Test
    void theProbeRefusesWhatItCannotMeasure() {
        deployAndWaitUntilServing("pinned", "\"scale\": {\"min\": 1}");
        Http.Response kept = http().post(path(ns, "pinned") + "/coldstart-probe", "{\"runs\": 1, \"force\": true}");
        assertThat(kept.status()).isEqualTo(409);
        assertThat(kept.body()).contains("kept from zero");

        Http.Response typo = http().post(path(ns, "pinned") + "/coldstart-probe", "{\"rusn\": 1}");
        assertThat(typo.status()).isEqualTo(400);
        assertThat(typo.body()).contains("runs");

        Http.Response tooMany = http().post(path(ns, "pinned") + "/coldstart-probe", "{\"runs\": 21}");
        assertThat(tooMany.status()).isEqualTo(422);
        assertThat(tooMany.body()).contains("between 1 and 20");
    }
}
