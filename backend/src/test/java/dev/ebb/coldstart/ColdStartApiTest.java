package dev.ebb.coldstart;

import static dev.ebb.support.Services.path;
import static dev.ebb.support.Services.withImage;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.ebb.feed.ColdStart;
import dev.ebb.support.ApiTest;
import dev.ebb.support.Http;
import dev.ebb.support.Services;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import tools.jackson.databind.JsonNode;

/** Cold starts reported by the gateway are stored with every phase and summed up against the service's SLO. */
class ColdStartApiTest extends ApiTest {

    private final String ns = Services.freshNamespace();
    private final Instant t0 = Instant.now().truncatedTo(ChronoUnit.MILLIS).minusSeconds(600);

    @Autowired
    ColdStartRecorder recorder;

    @Autowired
    RetentionPurge purge;

    @BeforeEach
    void createService() {
        http().post(path(ns), withImage("hello", "m:1"));
    }

    private String coldStarts(String query) {
        return path(ns, "hello") + "/coldstarts" + query;
    }

    /** Reports a cold start of {@code hello-00001} that arrived {@code arrivedMs} after t0 and waited {@code totalMs}. */
    private void report(String requestId, long arrivedMs, long totalMs) {
        Instant arrived = t0.plusMillis(arrivedMs);
        recorder.record(new ColdStart(ns, "hello", "hello-00001", "hello-00001-a", requestId, arrived,
                arrived.plusMillis(totalMs - 10), arrived.plusMillis(totalMs), 200));
    }

    private JsonNode awaitItems(String query, int count) {
        return await().until(() -> http().get(coldStarts(query)).json(), body -> body.get("items").size() == count);
    }

    @Test
    void percentilesAndTheShareWithinTheSloFollowTheServicesCurrentSlo() {
        report("a", 0, 1000);
        report("b", 1000, 2000);
        report("c", 2000, 3000);
        report("d", 3000, 12000);

        JsonNode body = awaitItems("", 4);
        assertThat(body.get("slo").asString()).isEqualTo("10s");
        JsonNode revision = body.get("revisions").get(0);
        assertThat(revision.get("revision").asString()).isEqualTo("hello-00001");
        assertThat(revision.get("count").asInt()).isEqualTo(4);
        assertThat(revision.get("p50Ms").asLong()).isEqualTo(2000);
        assertThat(revision.get("p95Ms").asLong()).isEqualTo(12000);
        assertThat(revision.get("p99Ms").asLong()).isEqualTo(12000);
        assertThat(revision.get("withinSlo").asDouble()).isEqualTo(0.75);
        assertThat(body.get("items").findValuesAsString("requestId")).containsExactly("d", "c", "b", "a");
        assertThat(body.get("items").get(0).get("withinSlo").asBoolean()).isFalse();

        http().patch(path(ns, "hello"), "{\"coldStartSlo\": \"2.5s\"}");

        JsonNode stricter = http().get(coldStarts("")).json();
        assertThat(stricter.get("slo").asString()).isEqualTo("2500ms");
        assertThat(stricter.at("/revisions/0/withinSlo").asDouble()).isEqualTo(0.5);
    }

    @Test
    void sinceRevisionAndLimitNarrowTheEventsAndContinuePages() {
        report("a", 0, 1000);
        report("b", 1000, 1000);
        report("c", 2000, 1000);
        awaitItems("", 3);

        assertThat(http().get(coldStarts("?since=" + t0.plusMillis(1000))).json().get("items").findValuesAsString("requestId"))
                .containsExactly("c", "b");
        assertThat(http().get(coldStarts("?revision=hello-00002")).json().get("items")).isEmpty();
        JsonNode first = http().get(coldStarts("?limit=2")).json();
        assertThat(first.get("items").findValuesAsString("requestId")).containsExactly("c", "b");
        assertThat(first.at("/revisions/0/count").asInt()).as("summaries cover every page").isEqualTo(3);
        JsonNode second = http().get(coldStarts("?limit=2&continue=" + first.get("continue").asString())).json();
        assertThat(second.get("items").findValuesAsString("requestId")).containsExactly("a");
        assertThat(second.get("continue").isNull()).isTrue();
    }

    @Test
    void coldStartsOlderThanTheRetentionArePurged() {
        Instant now = Instant.now();
        Instant old = now.minus(Duration.ofDays(31));
        recorder.record(new ColdStart(ns, "hello", "hello-00001", "i", "old", old, old.plusSeconds(1), old.plusSeconds(2), 200));
        recorder.record(new ColdStart(ns, "hello", "hello-00001", "i", "new", now, now.plusSeconds(1), now.plusSeconds(2), 200));
        awaitItems("", 2);

        purge.purge();

        assertThat(http().get(coldStarts("")).json().get("items").findValuesAsString("requestId")).containsExactly("new");
    }

    @Test
    void anUnknownServiceIsNotFound() {
        Http.Response response = http().get(path(ns, "nope") + "/coldstarts");

        assertThat(response.status()).isEqualTo(404);
        assertThat(response.contentType()).startsWith("application/problem+json");
        assertThat(response.json().get("detail").asString()).contains("'nope'");
    }

    @Test
    void badQueryParametersAreNamed() {
        assertBadParameter("?limit=0", "limit");
        assertBadParameter("?limit=1001", "limit");
        assertBadParameter("?limit=many", "limit");
        assertBadParameter("?since=yesterday", "since");
        assertBadParameter("?continue=not-a-token", "continue");
    }

    private void assertBadParameter(String query, String parameter) {
        Http.Response response = http().get(coldStarts(query));
        assertThat(response.status()).as(response.toString()).isEqualTo(400);
        assertThat(response.contentType()).startsWith("application/problem+json");
        assertThat(response.json().get("errors").findValuesAsString("field")).containsExactly(parameter);
    }

    @Test
    void theHistogramIsScrapedByPrometheusWithTheAdminToken() {
        report("a", 0, 1500);

        await().untilAsserted(() -> assertThat(http().get("/actuator/prometheus").body())
                .contains("ebb_cold_start_seconds_bucket{namespace=\"" + ns + "\",revision=\"hello-00001\",service=\"hello\",le=\"2.0\"} 1")
                .contains("ebb_cold_start_seconds_bucket{namespace=\"" + ns + "\",revision=\"hello-00001\",service=\"hello\",le=\"1.0\"} 0")
                .contains("ebb_cold_start_seconds_count{namespace=\"" + ns + "\",revision=\"hello-00001\",service=\"hello\"} 1"));
        assertThat(anonymous().get("/actuator/prometheus").status()).isEqualTo(401);
        assertThat(anonymous().get("/actuator/health").status()).isEqualTo(200);
    }
}
