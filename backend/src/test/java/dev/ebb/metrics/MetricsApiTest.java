package dev.ebb.metrics;

import static dev.ebb.support.Services.path;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.ebb.support.ApiTest;
import dev.ebb.support.Http;
import dev.ebb.support.Services;
import dev.ebb.support.TinyServer;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.annotation.DirtiesContext;
import tools.jackson.databind.JsonNode;

/** The autoscaler's rounds become a service's recent load, revision by revision, on the real runtime. */
// Closed after this class: its runtime's instances would otherwise keep scaling, and changing the shared
// database, under the test classes that run after it.
@DirtiesContext
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = "ebb.runtime.enabled=true")
class MetricsApiTest extends ApiTest {

    private static final Duration SLOW = Duration.ofSeconds(60);
    private final String ns = Services.freshNamespace();

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
