package dev.ebb.runtime;

import static dev.ebb.support.Services.path;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.ebb.support.ApiTest;
import dev.ebb.support.Http;
import dev.ebb.support.Services;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.annotation.DirtiesContext;
import tools.jackson.databind.JsonNode;

/**
 * Revisions that fail on the local runtime: the cause stays in their status past the progress deadline, one nobody
 * routes to stops trying, one with traffic goes on, and an operator can stop and retry them and read their crashed runs.
 */
@DirtiesContext
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {"ebb.runtime.enabled=true", "ebb.runtime.local.progress-deadline=5s"})
class RevisionFailureTest extends ApiTest {

    private static final Duration SLOW = Duration.ofSeconds(90);
    private static final String CRASHING = "{\"command\": [\"sh\", \"-c\", \"echo cannot load model from $EBB_INSTANCE; exit 1\"]}";
    private final String ns = Services.freshNamespace();

    private String revision(String service, String revision) {
        return path(ns, service) + "/revisions/" + revision;
    }

    private JsonNode status(String service, String revision) {
        return http().get(revision(service, revision)).json().get("status");
    }

    private String reason(String service, String revision) {
        return status(service, revision).at("/conditions/0/reason").asString();
    }

    private static int restarts(JsonNode status) {
        return status.at("/instances/restarts").asInt();
    }

    /** A service whose one revision crashes at once; with all traffic pinned to that revision when {@code routed}. */
    private String crashing(String service, boolean routed) {
        Http.Response created = http().post(path(ns), "{\"name\": \"" + service + "\", \"template\": " + CRASHING + "}");
        assertThat(created.status()).as(created.toString()).isEqualTo(201);
        if (routed) {
            Http.Response pinned = http().put(path(ns, service) + "/traffic",
                    "{\"traffic\": [{\"revision\": \"" + service + "-00001\", \"percent\": 100}]}");
            assertThat(pinned.status()).as(pinned.toString()).isEqualTo(200);
        }
        return service + "-00001";
    }

    private List<String> auditActions(String service) {
        List<String> actions = new ArrayList<>();
        http().get("/api/v1/audit?namespace=" + ns + "&service=" + service).json().get("items")
                .forEach(event -> actions.add(event.get("action").asString()));
        return actions;
    }

    @Test
    void aFailedRevisionNobodyRoutesToStopsAtItsDeadlineAndKeepsItsCause() {
        String failing = crashing("hello", false);

        await().atMost(SLOW).until(() -> reason("hello", failing).equals("ProgressDeadlineExceeded"));
        await().atMost(SLOW).untilAsserted(() -> assertThat(status("hello", failing).at("/instances/items")).isEmpty());
        JsonNode ready = status("hello", failing).at("/conditions/0");
        assertThat(ready.get("status").asString()).isEqualTo("False");
        assertThat(ready.get("message").asString()).contains("progress deadline of 5 s", "exited with code 1", "cannot load model");
        assertThat(status("hello", failing).at("/instances/desired").asInt()).isZero();
    }

    @Test
    void aFailedRevisionThatHasTrafficGoesOnBeingTriedPastItsDeadline() {
        String failing = crashing("routed", true);

        await().atMost(SLOW).until(() -> reason("routed", failing).equals("ProgressDeadlineExceeded"));
        int atDeadline = restarts(status("routed", failing));
        await().atMost(SLOW).until(() -> restarts(status("routed", failing)) > atDeadline);
        assertThat(status("routed", failing).at("/conditions/0/message").asString()).contains("cannot load model");
    }

    @Test
    void anOperatorStopsAFailingRevisionAndRetriesItBothAudited() {
        String failing = crashing("stoppable", true);
        await().atMost(SLOW).until(() -> restarts(status("stoppable", failing)) >= 1);

        Http.Response stopped = http().post(revision("stoppable", failing) + "/stop", "");

        assertThat(stopped.status()).as(stopped.toString()).isEqualTo(200);
        assertThat(stopped.json().at("/status/stopped/by").asString()).isNotBlank();
        await().atMost(SLOW).untilAsserted(() -> assertThat(status("stoppable", failing).at("/instances/items")).isEmpty());
        assertThat(http().post(revision("stoppable", failing) + "/stop", "").status()).as("stopping twice").isEqualTo(200);

        Http.Response retried = http().post(revision("stoppable", failing) + "/retry", "");

        assertThat(retried.status()).as(retried.toString()).isEqualTo(200);
        assertThat(retried.json().get("status").hasNonNull("stopped")).isFalse();
        assertThat(retried.json().at("/status/conditions/0/status").asString()).isEqualTo("Unknown");
        await().atMost(SLOW).untilAsserted(() -> assertThat(status("stoppable", failing).at("/instances/items")).isNotEmpty());
        assertThat(auditActions("stoppable")).contains("revision.stop", "revision.retry").containsOnlyOnce("revision.stop");
    }

    @Test
    void aFailedRevisionNobodyRoutesToRunsAgainWhenRetried() {
        String failing = crashing("again", false);
        await().atMost(SLOW).until(() -> reason("again", failing).equals("ProgressDeadlineExceeded"));
        await().atMost(SLOW).untilAsserted(() -> assertThat(status("again", failing).at("/instances/items")).isEmpty());

        assertThat(http().post(revision("again", failing) + "/retry", "").status()).isEqualTo(200);

        await().atMost(SLOW).until(() -> restarts(status("again", failing)) >= 1);
        await().atMost(SLOW).until(() -> reason("again", failing).equals("ProgressDeadlineExceeded"));
        await().atMost(SLOW).untilAsserted(() -> assertThat(status("again", failing).at("/instances/items")).isEmpty());
    }

    @Test
    void previousLogsReadTheRunBeforeTheCurrentOneOfAnInstance() {
        String failing = crashing("logs", true);
        await().atMost(SLOW).until(() -> restarts(status("logs", failing)) >= 2);
        String instance = status("logs", failing).at("/instances/items/0/name").asString();

        String previous = http().get(revision("logs", failing) + "/logs?previous=true&instance=" + instance).body();

        assertThat(previous.lines().toList()).isNotEmpty().allSatisfy(line -> assertThat(line).contains(" " + instance + " "));
        assertThat(previous.lines().filter(line -> line.contains("started pid"))).as("one run, marked by its start").hasSize(1);
        assertThat(previous).contains("cannot load model from " + instance);
        String all = http().get(revision("logs", failing) + "/logs?tail=1000").body();
        assertThat(all.lines().filter(line -> line.contains("started pid")).count()).as("every start, marked").isGreaterThanOrEqualTo(3);
        Http.Response both = http().get(revision("logs", failing) + "/logs?previous=true&follow=true");
        assertThat(both.status()).isEqualTo(400);
        assertThat(both.body()).contains("previous");
    }
}
