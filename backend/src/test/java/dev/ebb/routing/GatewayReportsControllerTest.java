package dev.ebb.routing;

import static dev.ebb.support.Services.path;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.ebb.autoscaler.Autoscaler;
import dev.ebb.feed.ColdStart;
import dev.ebb.gateway.ControlPlaneLoadSink;
import dev.ebb.gateway.ControlPlanes;
import dev.ebb.gateway.Gateway;
import dev.ebb.feed.LatencyBuckets;
import dev.ebb.feed.LoadReport;
import dev.ebb.feed.RequestStats;
import dev.ebb.support.ApiTest;
import dev.ebb.support.RawHttp;
import dev.ebb.support.Services;
import dev.ebb.support.TinyServer;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.annotation.DirtiesContext;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * What a separate gateway posts to {@code /internal/v1/*} reaches the real autoscaler and cold-start records:
 * load shows as the revision's concurrency, demand brings a revision back from zero, a cold start is on record.
 */
// Closed after this class: its runtime's instances would otherwise keep scaling, and changing the shared
// database, under the test classes that run after it.
@DirtiesContext
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {"ebb.runtime.enabled=true",
        "ebb.autoscaler.scale-to-zero-grace-period=0s"})
class GatewayReportsControllerTest extends ApiTest {

    private static final Duration SLOW = Duration.ofSeconds(60);
    private final String ns = Services.freshNamespace();

    @Autowired
    Autoscaler autoscaler;

    @Autowired
    Gateway gateway;

    private void deploy() {
        http().post(path(ns), "{\"name\": \"remote\", \"template\": " + TinyServer.template("\"scale\": {\"window\": \"6s\"}") + "}");
        await().atMost(SLOW).until(() -> RawHttp.get(gateway.port(), "remote." + ns + ".svc.cluster.local", "/healthz").status() == 200);
    }

    private JsonNode instances() {
        return http().get(path(ns, "remote") + "/revisions/remote-00001").json().at("/status/instances");
    }

    @Test
    void aLoadReportPostedByAGatewayIsTheRevisionsConcurrency() {
        deploy();
        String json = """
                {"gateway": "remote-gw", "at": "%s", "revisions": [{"namespace": "%s", "revision": "remote-00001",
                 "concurrency": 4, "requestsPerSecond": 7, "queued": 0,
                 "instances": [{"instance": "remote-00001-1", "concurrency": 4}]}]}""";

        await().atMost(SLOW).until(() -> {
            assertThat(gateway().post("/internal/v1/load", json.formatted(Instant.now(), ns)).status()).isEqualTo(204);
            return instances().get("averageConcurrency").asDouble() > 0;
        });
    }

    @Test
    void demandPostedByAGatewayBringsARevisionBackFromZero() {
        deploy();
        assertThat(autoscaler.scaleToZeroNow(ns, "remote-00001")).isTrue();
        await().atMost(SLOW).until(() -> instances().get("ready").asInt() == 0);

        // A gateway asks again while its request waits; so does this test, in case the start is slower than the window.
        await().atMost(SLOW).until(() -> {
            assertThat(gateway().post("/internal/v1/demand", "{\"namespace\": \"" + ns + "\", \"revision\": \"remote-00001\"}")
                    .status()).isEqualTo(204);
            return instances().get("ready").asInt() == 1;
        });
        assertThat(gateway().post("/internal/v1/demand", "{\"namespace\": \"" + ns + "\"}").status()).as("revision missing").isEqualTo(400);
    }

    @Test
    void aSeparateGatewaysSinkPostsColdStartsWithItsToken() {
        deploy();
        Instant now = Instant.now();
        try (ControlPlaneLoadSink sink = new ControlPlaneLoadSink(new ControlPlanes(List.of(URI.create("http://localhost:" + port + "/"))), gatewayToken())) {
            sink.coldStart(new ColdStart(ns, "remote", "remote-00001", "remote-00001-1", "remote-cold", now, now.plusSeconds(1),
                    now.plusMillis(1500), 200));
            sink.report(new LoadReport("remote-gw", Instant.now(), List.of()));

            await().atMost(SLOW).until(() -> http().get(path(ns, "remote") + "/coldstarts").json().get("items")
                    .findValuesAsString("requestId").contains("remote-cold"));
        }
        JsonNode event = http().get(path(ns, "remote") + "/coldstarts").json().get("items").get(0);
        assertThat(event.get("totalMs").asLong()).isEqualTo(1500);
    }

    @Test
    void aColdStartIsStoredWhenItsPostIsAnsweredAndOnceWhenAGatewaySendsItAgain() {
        deploy();
        Instant now = Instant.now();
        String body = JsonMapper.builder().build().writeValueAsString(new ColdStart(ns, "remote", "remote-00001",
                "remote-00001-1", "sent-twice", now, now.plusSeconds(1), now.plusMillis(1200), 200));

        assertThat(gateway().post("/internal/v1/coldstarts", body).status()).isEqualTo(204);
        assertThat(http().get(path(ns, "remote") + "/coldstarts").json().get("items").findValuesAsString("requestId"))
                .as("stored before the answer").containsExactly("sent-twice");
        assertThat(gateway().post("/internal/v1/coldstarts", body).status()).as("the answer was lost; sent again").isEqualTo(204);
        assertThat(http().get(path(ns, "remote") + "/coldstarts").json().get("items").findValuesAsString("requestId"))
                .containsExactly("sent-twice");
    }

    @Test
    void coldStartsPostedTogetherAreAllStoredBeforeTheAnswerAndOnceWhenSentAgain() {
        deploy();
        Instant now = Instant.now();
        String body = JsonMapper.builder().build().writeValueAsString(List.of(
                new ColdStart(ns, "remote", "remote-00001", "remote-00001-1", "together-1", now, now.plusSeconds(1), now.plusMillis(1100), 200),
                new ColdStart(ns, "remote", "remote-00001", "remote-00001-1", "together-2", now.plusMillis(3), now.plusSeconds(1),
                        now.plusMillis(1101), 200)));

        assertThat(gateway().post("/internal/v1/coldstarts/batch", body).status()).isEqualTo(204);
        assertThat(http().get(path(ns, "remote") + "/coldstarts").json().get("items").findValuesAsString("requestId"))
                .as("stored before the answer").containsExactlyInAnyOrder("together-1", "together-2");
        assertThat(gateway().post("/internal/v1/coldstarts/batch", body).status()).as("the answer was lost; sent again").isEqualTo(204);
        assertThat(http().get(path(ns, "remote") + "/coldstarts").json().get("items").findValuesAsString("requestId"))
                .containsExactlyInAnyOrder("together-1", "together-2");
        assertThat(gateway().post("/internal/v1/coldstarts/batch", "{\"requestId\": \"not-a-list\"}").status()).isEqualTo(400);
    }

    @Test
    void theRequestsASeparateGatewayCountedReachTheServicesMetrics() {
        deploy();
        long[] counts = new long[LatencyBuckets.SLOTS];
        counts[LatencyBuckets.slot(40_000_000)] = 7;
        RequestStats stats = new RequestStats("remote", "canary", Map.of("2xx", 6L), Map.of("503", 1L), null,
                new RequestStats.Histogram(counts, 0.28), null, null, null, 0, 700);
        try (ControlPlaneLoadSink sink = new ControlPlaneLoadSink(new ControlPlanes(List.of(URI.create("http://localhost:" + port + "/"))), gatewayToken())) {
            sink.report(new LoadReport("remote-gw", Instant.now(), List.of(new LoadReport.RevisionLoad(ns, "remote-00001", 0, 0, 0,
                    List.of(), List.of(stats)))));

            JsonNode summary = await().atMost(SLOW).until(() -> http().get(path(ns, "remote") + "/metrics").json()
                    .at("/revisions/0/requests/summary"), s -> s.path("gatewayErrors").asLong() == 1);
            assertThat(summary.get("requests").asLong()).isGreaterThanOrEqualTo(7);
        }
        assertThat(http().get("/actuator/prometheus").body()).contains("ebb_gateway_responses_total{code=\"503\",namespace=\"" + ns
                + "\",revision=\"remote-00001\",service=\"remote\",tag=\"canary\"} 1");
    }

    @Test
    void theReportsNeedTheAdminToken() {
        assertThat(anonymous().post("/internal/v1/load", "{\"gateway\": \"x\", \"revisions\": []}").status()).isEqualTo(401);
        assertThat(anonymous().post("/internal/v1/demand", "{\"namespace\": \"ml\", \"revision\": \"x-00001\"}").status()).isEqualTo(401);
        assertThat(anonymous().post("/internal/v1/coldstarts", "{}").status()).isEqualTo(401);
        assertThat(anonymous().post("/internal/v1/coldstarts/batch", "[]").status()).isEqualTo(401);
    }

    @Test
    void aSeparateGatewaysSinkNeverThrowsWhenTheControlPlaneIsAway() {
        try (ControlPlaneLoadSink sink = new ControlPlaneLoadSink(new ControlPlanes(List.of(URI.create("http://127.0.0.1:1"))), TOKEN)) {
            for (int i = 0; i < 100; i++) {
                sink.report(new LoadReport("away", Instant.now(), List.of()));
                sink.demand("ml", "away-00001");
                sink.coldStart(new ColdStart("ml", "away", "away-00001", "i", "r", Instant.now(), null, Instant.now(), 200));
            }
        }
    }
}
