package dev.ebb.runtime;

import static dev.ebb.support.Services.path;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.ebb.support.ApiTest;
import dev.ebb.support.Http;
import dev.ebb.support.Services;
import dev.ebb.support.TinyServer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Iterator;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.annotation.DirtiesContext;
import tools.jackson.databind.JsonNode;

/** Revisions deployed through the API run on the local runtime, and their statuses tell what happened. */
// Closed after this class: its runtime's instances would otherwise keep scaling, and changing the shared
// database, under the test classes that run after it.
@DirtiesContext
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = "ebb.runtime.enabled=true")
class RevisionLifecycleTest extends ApiTest {

    private static final Duration SLOW = Duration.ofSeconds(60);
    private final String ns = Services.freshNamespace();

    private static String serving() {
        return TinyServer.template("");
    }

    private JsonNode service(String name) {
        return http().get(path(ns, name)).json();
    }

    private JsonNode awaitRevisionStatus(String service, String revision, String status) {
        await().atMost(SLOW).until(() -> http().get(path(ns, service) + "/revisions/" + revision).json()
                .at("/status/conditions/0/status").asString().equals(status));
        return http().get(path(ns, service) + "/revisions/" + revision).json().at("/status/conditions/0");
    }

    @Test
    void aRevisionThatAnswersBecomesReadyAndTakesTheTraffic() {
        http().post(path(ns), "{\"name\": \"hello\", \"template\": " + serving() + "}");

        awaitRevisionStatus("hello", "hello-00001", "True");
        await().atMost(SLOW).until(() -> service("hello").at("/status/conditions/0/status").asString().equals("True"));
        JsonNode status = service("hello").get("status");
        assertThat(status.get("latestReadyRevision").asString()).isEqualTo("hello-00001");
        assertThat(status.at("/traffic/0/revision").asString()).isEqualTo("hello-00001");
        assertThat(http().get(path(ns, "hello") + "/revisions/hello-00001/logs").body()).contains("tiny server listening on");
        JsonNode instances = http().get(path(ns, "hello") + "/revisions/hello-00001").json().at("/status/instances");
        assertThat(instances.get("desired").asInt()).isEqualTo(1);
        assertThat(instances.get("ready").asInt()).isEqualTo(1);
        assertThat(instances.get("items")).singleElement().satisfies(instance -> {
            assertThat(instance.get("name").asString()).startsWith("hello-00001-");
            assertThat(instance.get("node").asString()).isEqualTo("local");
            assertThat(instance.get("ready").asBoolean()).isTrue();
        });
    }

    @Test
    void trafficStaysOnThePreviousRevisionWhenTheNewOneCrashLoops() {
        http().post(path(ns), "{\"name\": \"hello\", \"template\": " + serving() + "}");
        awaitRevisionStatus("hello", "hello-00001", "True");

        http().put(path(ns, "hello"), "{\"template\": {\"command\": [\"sh\", \"-c\", \"echo cannot load model; exit 1\"]}}");

        JsonNode failed = awaitRevisionStatus("hello", "hello-00002", "False");
        assertThat(failed.get("reason").asString()).isEqualTo("CrashLoop");
        assertThat(failed.get("message").asString()).contains("cannot load model");
        await().atMost(SLOW).until(() -> service("hello").at("/status/conditions/0/status").asString().equals("False"));
        JsonNode status = service("hello").get("status");
        assertThat(status.at("/conditions/0/reason").asString()).isEqualTo("RevisionFailed");
        assertThat(status.get("latestCreatedRevision").asString()).isEqualTo("hello-00002");
        assertThat(status.get("latestReadyRevision").asString()).isEqualTo("hello-00001");
        assertThat(status.at("/traffic/0/revision").asString()).isEqualTo("hello-00001");
        assertThat(http().get(path(ns, "hello") + "/revisions/hello-00002/logs?tail=50").body()).contains("cannot load model");
    }

    @Test
    void readingTheServiceAtAnInstantShowsTheReadinessObservedThen() {
        http().post(path(ns), "{\"name\": \"hello\", \"template\": " + serving() + "}");
        Instant deploying = Instant.now();
        awaitRevisionStatus("hello", "hello-00001", "True");
        await().atMost(SLOW).until(() -> service("hello").at("/status/conditions/0/status").asString().equals("True"));
        Instant ready = Instant.now();
        http().put(path(ns, "hello"), "{\"template\": {\"command\": [\"sh\", \"-c\", \"echo cannot load model; exit 1\"]}}");
        awaitRevisionStatus("hello", "hello-00002", "False");
        await().atMost(SLOW).until(() -> service("hello").at("/status/conditions/0/reason").asString().equals("RevisionFailed"));
        Instant failed = Instant.now();

        JsonNode then = http().get(path(ns, "hello") + "?at=" + deploying).json().get("status");
        assertThat(then.at("/conditions/0/status").asString()).as("as created, before any instance ran").isEqualTo("Unknown");
        assertThat(then.get("latestReadyRevision").isNull()).isTrue();
        JsonNode later = http().get(path(ns, "hello") + "?at=" + ready).json().get("status");
        assertThat(later.at("/conditions/0/status").asString()).as("no spec was written, the revision became Ready").isEqualTo("True");
        assertThat(later.get("latestReadyRevision").asString()).isEqualTo("hello-00001");
        JsonNode last = http().get(path(ns, "hello") + "?at=" + failed).json().get("status");
        assertThat(conditions(last)).containsEntry("Ready", "False").containsEntry("ConfigurationsReady", "False")
                .as("the failed revision serves nothing: the traffic stays served").containsEntry("RoutesReady", "True");
        assertThat(last.at("/conditions/0/reason").asString()).isEqualTo("RevisionFailed");
        assertThat(last.get("latestReadyRevision").asString()).isEqualTo("hello-00001");
        JsonNode listed = http().get("/api/v1/services?namespace=" + ns + "&at=" + failed).json().at("/items/0");
        assertThat(listed.at("/ready/status").asString()).isEqualTo("False");
        assertThat(listed.get("conditions").findValuesAsString("status")).containsExactly("False", "False", "True");
        JsonNode changes = http().get("/api/v1/services/changes?namespace=" + ns).json().get("items");
        assertThat(changes.size()).as("created, became ready, new revision written, it failed").isGreaterThanOrEqualTo(4);
    }

    private static Map<String, String> conditions(JsonNode status) {
        Map<String, String> byType = new HashMap<>();
        status.get("conditions").forEach(c -> byType.put(c.get("type").asString(), c.get("status").asString()));
        return byType;
    }

    @Test
    void aServiceWhoseCommandDoesNotExistSaysSo() {
        http().post(path(ns), "{\"name\": \"typo\", \"template\": {\"command\": [\"pyhton3\", \"serve.py\"]}}");

        await().atMost(SLOW).until(() -> service("typo").at("/status/conditions/0/status").asString().equals("False"));
        JsonNode ready = service("typo").at("/status/conditions/0");
        assertThat(ready.get("reason").asString()).isEqualTo("RevisionMissing");
        assertThat(ready.get("message").asString()).contains("CommandNotFound", "'pyhton3'");
    }

    /** Follows the logs of the first revision of {@code service}, line by line as the server sends them. */
    private HttpResponse<Stream<String>> follow(String service, String query) throws Exception {
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://localhost:" + port + path(ns, service)
                        + "/revisions/" + service + "-00001/logs?" + query + "&follow=true"))
                .header("Authorization", "Bearer " + TOKEN).timeout(SLOW).build();
        return HttpClient.newHttpClient().send(request, HttpResponse.BodyHandlers.ofLines());
    }

    @Test
    void followingTheLogsStreamsLinesAsTheyArePrinted() throws Exception {
        http().post(path(ns), """
                {"name": "ticker", "template": {"command": ["sh", "-c", "i=0; while true; do echo tick $i; i=$((i+1)); sleep 0.1; done"]}}""");
        HttpResponse<Stream<String>> response = follow("ticker", "tail=0");

        assertThat(response.statusCode()).isEqualTo(200);
        try (Stream<String> lines = response.body()) {
            Iterator<String> it = lines.iterator();
            int ticks = 0;
            while (ticks < 5 && it.hasNext()) {
                if (it.next().contains(" tick ")) {
                    ticks++;
                }
            }
            assertThat(ticks).isEqualTo(5);
        }
    }

    @Test
    void followingTheLogsSendsTheLinesAlreadyPrintedAtOnceThoughNothingMoreIsPrinted() throws Exception {
        // Spring 7.0.6 made flushing a streamed body's output stream a no-op: the follower then saw nothing until 8 KiB
        // of lines had piled up in the container's buffer, here never.
        http().post(path(ns), """
                {"name": "quiet", "template": {"command": ["sh", "-c", "echo the only line; exec sleep 3600"]}}""");
        await().atMost(SLOW).until(() -> http().get(path(ns, "quiet") + "/revisions/quiet-00001/logs").body()
                .contains("the only line"));
        HttpResponse<Stream<String>> response = follow("quiet", "tail=10");

        assertThat(response.statusCode()).isEqualTo(200);
        try (Stream<String> lines = response.body()) {
            // Read beside the test thread: with the line stuck in a buffer the read would never end.
            CompletableFuture<Optional<String>> printed = CompletableFuture.supplyAsync(
                    () -> lines.filter(line -> line.endsWith(" the only line")).findFirst());
            assertThat(printed.get(SLOW.toSeconds(), TimeUnit.SECONDS)).isPresent();
        }
    }

    @Test
    void logsOfAMissingRevisionAre404() {
        http().post(path(ns), "{\"name\": \"hello\", \"template\": {\"image\": \"nginx\"}}");
        Http.Response missing = http().get(path(ns, "hello") + "/revisions/hello-00009/logs");
        assertThat(missing.status()).isEqualTo(404);
    }

    @Test
    void stoppingARevisionThatServesTrafficIsRefusedSayingWhatToDo() {
        http().post(path(ns), "{\"name\": \"busy\", \"template\": " + serving() + "}");
        awaitRevisionStatus("busy", "busy-00001", "True");

        Http.Response refused = http().post(path(ns, "busy") + "/revisions/busy-00001/stop", "");

        assertThat(refused.status()).isEqualTo(409);
        assertThat(refused.contentType()).startsWith("application/problem+json");
        assertThat(refused.json().get("detail").asString()).contains("serves 100 %", "Move its traffic");
        assertThat(http().get(path(ns, "busy") + "/revisions/busy-00001").json().get("status").hasNonNull("stopped")).isFalse();
    }

    @Test
    void retryingARevisionThatNeitherFailedNorStoppedIsRefused() {
        http().post(path(ns), "{\"name\": \"fine\", \"template\": " + serving() + "}");
        awaitRevisionStatus("fine", "fine-00001", "True");

        Http.Response refused = http().post(path(ns, "fine") + "/revisions/fine-00001/retry", "");

        assertThat(refused.status()).isEqualTo(409);
        assertThat(refused.json().get("detail").asString()).contains("nothing to retry");
        assertThat(http().post(path(ns, "fine") + "/revisions/fine-00009/retry", "").status()).isEqualTo(404);
    }
}
