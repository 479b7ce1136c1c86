package dev.ebb.metrics;

import static dev.ebb.support.Services.path;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.ebb.gateway.Gateway;
import dev.ebb.support.ApiTest;
import dev.ebb.support.Http;
import dev.ebb.support.RawHttp;
import dev.ebb.support.Services;
import dev.ebb.support.TinyServer;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.annotation.DirtiesContext;
import tools.jackson.databind.JsonNode;

/**
 * The autoscaler's rounds become a service's recent load, and the gateway's counts its requests, revision by revision, on
 * the real runtime.
 */
// Closed after this class: its runtime's instances would otherwise keep scaling, and changing the shared
// database, under the test classes that run after it.
@DirtiesContext
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = "ebb.runtime.enabled=true")
class MetricsApiTest extends ApiTest {

    private static final Duration SLOW = Duration.ofSeconds(60);
    private final String ns = Services.freshNamespace();

    @Autowired
    Gateway gateway;

    private String metrics(String name, String query) {
        return path(ns, name) + "/metrics" + query;
    }

    @Test
    void aRunningRevisionGetsAPointEverySecondWithItsCounts() {
        Instant deployed = Instant.now();
        http().post(path(ns), "{\"name\": \"hello\", \"template\": " + TinyServer.template("") + "}");

        JsonNode revision = await().atMost(SLOW).until(() -> http().get(metrics("hello", "")).json().get("revisions"),
                revisions -> revisions.size() == 1 && revisions.get(0).get("t").size() >= 3
                        && lastOf(revisions.get(0).get("ready")) == 1).get(0);

        assertThat(revision.get("revision").asString()).isEqualTo("hello-00001");
        assertThat(revision.get("metric").asString()).isEqualTo("concurrency");
        int points = revision.get("t").size();
        assertThat(revision.get("desired").size()).isEqualTo(points);
        assertThat(revision.get("ready").size()).isEqualTo(points);
        assertThat(revision.get("concurrency").size()).isEqualTo(points);
        assertThat(lastOf(revision.get("desired"))).isEqualTo(1);
        long first = revision.get("t").get(0).asLong();
        long last = revision.get("t").get(points - 1).asLong();
        assertThat(first).isGreaterThanOrEqualTo(deployed.toEpochMilli() - 1_000);
        assertThat(last).as("oldest first").isGreaterThan(first);
        assertThat(revision.get("concurrency").get(points - 1).asDouble()).as("nobody calls it").isZero();

        JsonNode recent = http().get(metrics("hello", "?since=" + Instant.ofEpochMilli(last))).json();
        assertThat(recent.get("stepMs").asLong()).isEqualTo(1_000);
        assertThat(recent.at("/revisions/0/t").get(0).asLong()).isGreaterThanOrEqualTo(last);
    }

    private static int lastOf(JsonNode values) {
        return values.isEmpty() ? -1 : values.get(values.size() - 1).asInt();
    }

    @Test
    void requestsThroughTheGatewayShowAsRatesAndLatenciesPerRevisionAndOnPrometheus() throws Exception {
        http().post(path(ns), "{\"name\": \"web\", \"template\": " + TinyServer.template("") + "}");
        String host = "web." + ns + ".svc.cluster.local";
        await().atMost(SLOW).until(() -> RawHttp.get(gateway.port(), host, "/healthz").status() == 200);
        for (int i = 0; i < 10; i++) {
            assertThat(RawHttp.get(gateway.port(), host, "/slow?ms=30").status()).isEqualTo(200);
        }
        for (int i = 0; i < 4; i++) {
            assertThat(RawHttp.get(gateway.port(), host, "/status?code=500").status()).isEqualTo(500);
        }

        JsonNode requests = await().atMost(SLOW).until(() -> http().get(metrics("web", "")).json().at("/revisions/0/requests"),
                r -> !r.isMissingNode() && !r.isNull() && r.at("/summary/errors").asLong() == 4
                        && r.at("/summary/requests").asLong() >= 15);
        JsonNode summary = requests.get("summary");
        long total = summary.get("requests").asLong();
        assertThat(summary.get("errorRate").asDouble()).isEqualTo(4.0 / total);
        assertThat(summary.get("gatewayErrors").asLong()).as("the instance answered them").isZero();
        assertThat(summary.get("coldRequests").asLong()).isZero();
        assertThat(summary.at("/all/p99Ms").asDouble()).as("ten requests took 30 ms or more").isGreaterThanOrEqualTo(25);
        assertThat(summary.at("/warm/p99Ms").asDouble()).isEqualTo(summary.at("/all/p99Ms").asDouble());
        assertThat(summary.get("requestsPerSecond").asDouble()).isPositive();
        int points = requests.get("t").size();
        assertThat(points).isPositive();
        assertThat(requests.get("requestsPerSecond").size()).isEqualTo(points);
        assertThat(requests.get("errorRate").size()).isEqualTo(points);
        assertThat(requests.get("p95Ms").size()).isEqualTo(points);
        assertThat(requests.get("t").get(0).asLong() % 10_000).as("10 s steps").isZero();
        assertThat(http().get(metrics("web", "")).json().get("requestStepMs").asLong()).isEqualTo(10_000);

        String labels = "namespace=\"" + ns + "\",origin=\"app\",revision=\"web-00001\",service=\"web\",tag=\"\"";
        await().atMost(SLOW).untilAsserted(() -> assertThat(http().get("/actuator/prometheus").body())
                .contains("ebb_requests_total{code_class=\"5xx\"," + labels + "} 4")
                .contains("ebb_request_duration_seconds_bucket{namespace=\"" + ns
                        + "\",revision=\"web-00001\",service=\"web\",start=\"warm\",tag=\"\",le=\"0.005\"}")
                .contains("ebb_request_duration_seconds_count{namespace=\"" + ns
                        + "\",revision=\"web-00001\",service=\"web\",start=\"warm\",tag=\"\"} " + total));

        JsonNode row = http().get("/api/v1/services?namespace=" + ns).json().at("/items/0");
        assertThat(row.get("name").asString()).isEqualTo("web");
        assertThat(row.at("/requests/requestsPerSecond").asDouble()).isPositive();
        assertThat(row.at("/requests/errorRate").asDouble()).isPositive();
    }

    @Test
    void anUnknownServiceIsNotFoundAndABadSinceIsNamed() {
        Http.Response missing = http().get(metrics("nope", ""));
        assertThat(missing.status()).isEqualTo(404);
        assertThat(missing.contentType()).startsWith("application/problem+json");
        assertThat(missing.json().get("detail").asString()).contains("'nope'");

        http().post(path(ns), "{\"name\": \"idle\", \"template\": {\"image\": \"m:1\"}}");
        Http.Response bad = http().get(metrics("idle", "?since=an-hour-ago"));
        assertThat(bad.status()).isEqualTo(400);
        assertThat(bad.json().get("errors").findValuesAsString("field")).containsExactly("since");
        Http.Response typo = http().get(metrics("idle", "?sinse=2026-11-26T10:00:00Z"));
        assertThat(typo.status()).isEqualTo(400);
        assertThat(typo.json().get("detail").asString()).contains("did you mean 'since'?");
    }
}
