package dev.ebb.rollout;

import static dev.ebb.support.ModelServer.service;
import static dev.ebb.support.Services.path;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.ebb.gateway.Gateway;
import dev.ebb.support.ApiTest;
import dev.ebb.support.Http;
import dev.ebb.support.ModelServer;
import dev.ebb.support.RawHttp;
import dev.ebb.support.Services;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.annotation.DirtiesContext;
import tools.jackson.databind.JsonNode;

/**
 * Rollouts of the sample model server through the real gateway and runtime: its {@code ERROR_RATE} knob makes a bad
 * revision, and the engine judges each step only on what the gateway measured of the requests sent to the service.
 */
@DirtiesContext
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {"ebb.runtime.enabled=true",
        "ebb.autoscaler.allow-zero-initial-scale=true"})
class RolloutTest extends ApiTest {

    private static final Duration SLOW = Duration.ofSeconds(90);
    private final String ns = Services.freshNamespace();
    private final AtomicBoolean sending = new AtomicBoolean();

    @Autowired
    Gateway gateway;

    @AfterEach
    void stopSending() {
        sending.set(false);
    }

    private JsonNode rollout(String name) {
        return http().get(path(ns, name) + "/rollout").json();
    }

    /** Predicts sent to the service through the gateway, one after another, until the test ends. */
    private void sendPredicts(String name) {
        sending.set(true);
        String body = "{\"instances\": [[1.0, 2.0]]}";
        String request = "POST /v1/models/m:predict HTTP/1.1\r\nHost: " + name + "." + ns + ".svc.cluster.local\r\n"
                + "Content-Type: application/json\r\nContent-Length: " + body.length() + "\r\nConnection: close\r\n\r\n" + body;
        Thread sender = new Thread(() -> {
            while (sending.get()) {
                try {
                    RawHttp.exchange(gateway.port(), request);
                } catch (Exception e) {
                    // the next one is sent anyway: what the gateway answered is what is measured
                }
            }
        }, "predicts-" + name);
        sender.setDaemon(true);
        sender.start();
    }

    private void deployFirstAndWaitUntilStable(String name, String rollout) {
        assertThat(http().post(path(ns), service(name, "0", rollout)).status()).isEqualTo(201);
        await().atMost(SLOW).untilAsserted(() -> {
            JsonNode r = rollout(name);
            assertThat(r.path("state").asString()).isEqualTo("succeeded");
            assertThat(r.path("revision").asString()).isEqualTo(name + "-00001");
        });
    }

    @Test
    void aRevisionThatFailsItsFirstStepIsRolledBackAndStaysReachableUnderATag() throws Exception {
        String canary = "{\"strategy\": \"canary\", \"steps\": [30, 100], \"interval\": \"3s\","
                + " \"analysis\": {\"maxErrorRate\": 0.1, \"minRequests\": 10}}";
        deployFirstAndWaitUntilStable("bad", canary);
        sendPredicts("bad");
        assertThat(http().put(path(ns, "bad"), service("bad", "1", canary)).status()).isEqualTo(200);

        JsonNode failed = await().atMost(SLOW).until(() -> rollout("bad"), r -> r.path("state").asString().equals("failed"));
        assertThat(failed.path("revision").asString()).isEqualTo("bad-00002");
        assertThat(failed.path("stableRevision").asString()).isEqualTo("bad-00001");
        assertThat(failed.path("step").asInt()).isEqualTo(1);
        assertThat(failed.path("percent").asInt()).isZero();
        assertThat(failed.path("reason").asString()).contains("step 1 at 30 %: error rate 1.000").contains("maxErrorRate 0.100");
        JsonNode step = failed.at("/steps/0");
        assertThat(step.path("decision").asString()).isEqualTo("failed");
        assertThat(step.at("/candidate/errors").asLong()).as("measured by the gateway").isEqualTo(step.at("/candidate/answers").asLong())
                .isGreaterThanOrEqualTo(10);
        assertThat(step.at("/stable/errors").asLong()).isZero();
        assertThat(step.path("reason").asString()).as("the step records the figures it was judged on")
                .contains("(" + step.at("/candidate/errors").asLong() + " of " + step.at("/candidate/answers").asLong() + " answers 5xx)");

        JsonNode traffic = http().get(path(ns, "bad")).json().at("/status/traffic");
        assertThat(traffic.findValuesAsString("revision")).contains("bad-00001", "bad-00002");
        for (JsonNode t : traffic) {
            if (t.path("revision").asString().equals("bad-00001")) {
                assertThat(t.path("percent").asInt()).isEqualTo(100);
            } else {
                assertThat(t.path("percent").asInt()).isZero();
                assertThat(t.path("tag").asString()).isEqualTo("candidate");
            }
        }
        String tagHost = "candidate-bad." + ns + ".svc.cluster.local";
        await().atMost(SLOW).until(() -> RawHttp.get(gateway.port(), tagHost, "/healthz").status() == 200);
        JsonNode audit = http().get("/api/v1/audit?namespace=" + ns).json();
        assertThat(audit.findValuesAsString("action")).contains("rollout.adopt", "rollout.start", "rollout.fail");
    }

    @Test
    void aHealthyRevisionMovesThroughEveryStepToAllTheTraffic() {
        String canary = "{\"strategy\": \"canary\", \"steps\": [20, 50, 100], \"interval\": \"2s\","
                + " \"analysis\": {\"maxErrorRate\": 0.1, \"minRequests\": 5}}";
        deployFirstAndWaitUntilStable("good", canary);
        sendPredicts("good");
        assertThat(http().put(path(ns, "good"), service("good", "0.0", canary)).status()).isEqualTo(200);

        JsonNode done = await().atMost(SLOW).until(() -> rollout("good"), r -> r.path("state").asString().equals("succeeded")
                && r.path("revision").asString().equals("good-00002"));
        assertThat(done.path("percent").asInt()).isEqualTo(100);
        assertThat(done.path("steps").findValuesAsString("decision")).containsExactly("advanced", "advanced");
        assertThat(done.path("steps").findValuesAsString("percent")).containsExactly("20", "50");
        assertThat(done.at("/steps/1/candidate/answers").asLong()).isGreaterThanOrEqualTo(5);
        JsonNode traffic = http().get(path(ns, "good")).json().at("/status/traffic");
        assertThat(traffic).singleElement().satisfies(t -> {
            assertThat(t.path("revision").asString()).isEqualTo("good-00002");
            assertThat(t.path("percent").asInt()).isEqualTo(100);
        });
    }

    @Test
    void aBlueGreenRevisionWaitsAtZeroUntilPromotedAndActionsOutOfPlaceAreConflicts() {
        String blueGreen = "{\"strategy\": \"blueGreen\"}";
        deployFirstAndWaitUntilStable("bg", blueGreen);
        Http.Response nothing = http().post(path(ns, "bg") + "/rollout", "{\"action\": \"promote\"}");
        assertThat(nothing.status()).isEqualTo(409);
        assertThat(nothing.contentType()).startsWith("application/problem+json");
        assertThat(nothing.json().path("detail").asString()).contains("no rollout in progress to promote");
        Http.Response typo = http().post(path(ns, "bg") + "/rollout", "{\"action\": \"promot\"}");
        assertThat(typo.status()).isEqualTo(422);
        assertThat(typo.json().path("detail").asString()).contains("did you mean 'promote'?");
        for (String noAction : new String[] {"{}", ""}) {
            Http.Response missing = http().post(path(ns, "bg") + "/rollout", noAction);
            assertThat(missing.status()).as("body '%s'", noAction).isEqualTo(422);
            assertThat(missing.json().path("detail").asString()).contains("is required: one of 'abort', 'pause', 'promote', 'resume'");
        }

        assertThat(http().put(path(ns, "bg"), service("bg", "0.0", blueGreen)).status()).isEqualTo(200);
        await().atMost(SLOW).until(() -> rollout("bg"), r -> r.path("revision").asString().equals("bg-00002")
                && r.path("state").asString().equals("progressing") && r.path("percent").asInt() == 0);
        String tagHost = "candidate-bg." + ns + ".svc.cluster.local";
        await().atMost(SLOW).until(() -> RawHttp.get(gateway.port(), tagHost, "/healthz").status() == 200);

        assertThat(http().post(path(ns, "bg") + "/rollout", "{\"action\": \"pause\"}").json().path("state").asString())
                .isEqualTo("paused");
        assertThat(http().post(path(ns, "bg") + "/rollout", "{\"action\": \"pause\"}").status()).isEqualTo(409);
        assertThat(http().post(path(ns, "bg") + "/rollout", "{\"action\": \"resume\"}").json().path("state").asString())
                .isEqualTo("progressing");
        JsonNode promoted = http().post(path(ns, "bg") + "/rollout", "{\"action\": \"promote\"}").json();
        assertThat(promoted.path("state").asString()).isEqualTo("succeeded");
        assertThat(promoted.path("percent").asInt()).isEqualTo(100);
        JsonNode traffic = http().get(path(ns, "bg")).json().at("/status/traffic");
        assertThat(traffic).singleElement().satisfies(t -> assertThat(t.path("revision").asString()).isEqualTo("bg-00002"));
        JsonNode audit = http().get("/api/v1/audit?namespace=" + ns).json();
        assertThat(audit.findValuesAsString("action")).contains("rollout.pause", "rollout.resume", "rollout.promote");
    }

    @Test
    void anAbortedRolloutSendsEverythingBackToTheStableRevision() {
        String canary = "{\"strategy\": \"canary\", \"steps\": [50, 100], \"interval\": \"10m\"}";
        deployFirstAndWaitUntilStable("ab", canary);
        assertThat(http().put(path(ns, "ab"), service("ab", "0.0", canary)).status()).isEqualTo(200);
        await().atMost(SLOW).until(() -> rollout("ab"), r -> r.path("revision").asString().equals("ab-00002")
                && r.path("percent").asInt() == 50);
        JsonNode aborted = http().post(path(ns, "ab") + "/rollout", "{\"action\": \"abort\"}").json();
        assertThat(aborted.path("state").asString()).isEqualTo("aborted");
        JsonNode traffic = http().get(path(ns, "ab")).json().at("/status/traffic");
        assertThat(traffic.get(0).path("revision").asString()).isEqualTo("ab-00001");
        assertThat(traffic.get(0).path("percent").asInt()).isEqualTo(100);
    }

    @Test
    void aNewerRevisionSupersedesTheRolloutInProgressAndRollsOutFromTheStableOne() {
        String canary = "{\"strategy\": \"canary\", \"steps\": [50, 100], \"interval\": \"10m\"}";
        deployFirstAndWaitUntilStable("sup", canary);
        assertThat(http().put(path(ns, "sup"), service("sup", "0.0", canary)).status()).isEqualTo(200);
        await().atMost(SLOW).until(() -> rollout("sup"), r -> r.path("revision").asString().equals("sup-00002")
                && r.path("state").asString().equals("progressing"));
        assertThat(http().put(path(ns, "sup"), service("sup", "0.00", canary)).status()).isEqualTo(200);

        JsonNode third = await().atMost(SLOW).until(() -> rollout("sup"), r -> r.path("revision").asString().equals("sup-00003")
                && r.path("state").asString().equals("progressing"));
        assertThat(third.path("stableRevision").asString()).as("not the superseded one").isEqualTo("sup-00001");
        assertThat(third.path("percent").asInt()).isEqualTo(50);
        JsonNode traffic = http().get(path(ns, "sup")).json().at("/status/traffic");
        assertThat(traffic.findValuesAsString("revision")).doesNotContain("sup-00002");
        JsonNode audit = http().get("/api/v1/audit?namespace=" + ns + "&action=rollout.supersede").json();
        assertThat(audit.at("/items/0/after/reason").asString()).contains("superseded by sup-00003");
    }

    @Test
    void aGradualRolloutOverTwentySecondsMovesInStepsNoLargerThanKnativesAndEndsOnTheNewRevision() {
        String gradual = "{\"strategy\": \"gradual\", \"duration\": \"20s\"}";
        deployFirstAndWaitUntilStable("grad", gradual);
        assertThat(http().put(path(ns, "grad"), service("grad", "0.0", gradual)).status()).isEqualTo(200);

        JsonNode done = await().atMost(SLOW.plusSeconds(20)).until(() -> rollout("grad"),
                r -> r.path("revision").asString().equals("grad-00002") && r.path("state").asString().equals("succeeded"));
        // Knative over 20 s: 1 % for a second, then 99 % in 19 steps of a second, round(99 / 19) = 5 % each (1, 6 ... 96).
        int previous = 0;
        for (JsonNode step : done.path("steps")) {
            int percent = step.path("percent").asInt();
            assertThat(percent - previous).as("step to " + percent).isPositive().isLessThanOrEqualTo(previous == 0 ? 1 : 5);
            previous = percent;
        }
        assertThat(previous).isEqualTo(96);
        JsonNode steps = done.path("steps");
        Instant first = Instant.parse(steps.get(0).path("startedAt").asString());
        Instant last = Instant.parse(steps.get(steps.size() - 1).path("endedAt").asString());
        assertThat(Duration.between(first, last)).as("the steps span the rollout's duration, a second each at least")
                .isGreaterThanOrEqualTo(Duration.ofSeconds(steps.size()));
        assertThat(http().get("/api/v1/audit?namespace=" + ns + "&action=rollout.step&limit=100").json().path("items"))
                .as("1 % to 99 %, then rollout.succeed").hasSize(steps.size() - 1);
    }

    @Test
    void aStepWithTooFewRequestsWaitsUpToMaxWaitThenMovesOnUnjudged() {
        String canary = "{\"strategy\": \"canary\", \"steps\": [50, 100], \"interval\": \"2s\","
                + " \"analysis\": {\"maxErrorRate\": 0.1, \"minRequests\": 1000, \"maxWait\": \"4s\"}}";
        deployFirstAndWaitUntilStable("quiet", canary);
        assertThat(http().put(path(ns, "quiet"), service("quiet", "0.0", canary)).status()).isEqualTo(200);

        JsonNode done = await().atMost(SLOW).until(() -> rollout("quiet"), r -> r.path("revision").asString().equals("quiet-00002")
                && r.path("state").asString().equals("succeeded"));
        JsonNode step = done.at("/steps/0");
        assertThat(step.path("reason").asString()).contains("0 of the 1000 answers a step needs after waiting 4s; moving on unjudged");
        Duration lasted = Duration.between(java.time.Instant.parse(step.path("startedAt").asString()),
                java.time.Instant.parse(step.path("endedAt").asString()));
        assertThat(lasted).as("its interval and then maxWait").isGreaterThanOrEqualTo(Duration.ofSeconds(6));
    }

    @Test
    void settingAStrategyTogetherWithANewTemplateRollsTheNewRevisionOutFromTheOneServingNow() {
        assertThat(http().post(path(ns), "{\"name\": \"late\", \"template\": " + ModelServer.template("0") + "}").status()).isEqualTo(201);
        await().atMost(SLOW).until(() -> http().get(path(ns, "late")).json().at("/status/latestReadyRevision").asString(""),
                "late-00001"::equals);
        String canary = "{\"strategy\": \"canary\", \"steps\": [50, 100], \"interval\": \"10m\"}";
        assertThat(http().put(path(ns, "late"), service("late", "0.0", canary)).status()).isEqualTo(200);

        JsonNode rolling = await().atMost(SLOW).until(() -> rollout("late"), r -> r.path("revision").asString().equals("late-00002"));
        assertThat(rolling.path("state").asString()).isEqualTo("progressing");
        assertThat(rolling.path("stableRevision").asString()).isEqualTo("late-00001");
    }

    @Test
    void aSlowColdStartOfTheNewRevisionDoesNotFailItsLatency() {
        String canary = "{\"strategy\": \"canary\", \"steps\": [50, 100], \"interval\": \"4s\","
                + " \"analysis\": {\"maxP99LatencyMs\": 1000, \"minRequests\": 5}}";
        deployFirstAndWaitUntilStable("cold", canary);
        sendPredicts("cold");
        // Ready at once with no instance: its first request waits for one that takes 1.5 s to open its port.
        String startsCold = "{\"name\": \"cold\", \"rollout\": " + canary + ", \"template\": "
                + ModelServer.template("0.0", "\"STARTUP_DELAY_MS\": \"1500\"", "\"scale\": {\"initial\": 0}") + "}";
        assertThat(http().put(path(ns, "cold"), startsCold).status()).isEqualTo(200);

        JsonNode done = await().atMost(SLOW).until(() -> rollout("cold"), r -> r.path("revision").asString().equals("cold-00002")
                && !r.path("state").asString().equals("progressing"));
        assertThat(done.path("state").asString()).as(done.path("reason").asString()).isEqualTo("succeeded");
        assertThat(done.at("/steps/0/candidate/warmP99Ms").asDouble()).isLessThan(1000);
        JsonNode coldStarts = http().get(path(ns, "cold") + "/coldstarts?revision=cold-00002").json();
        assertThat(coldStarts.at("/revisions/0/count").asInt()).as("it did start cold, in the step").isPositive();
        assertThat(coldStarts.at("/revisions/0/p50Ms").asDouble()).as("slower than maxP99LatencyMs").isGreaterThan(1000);
    }

    @Test
    void aStrategySetAgainAfterRollingOutImmediatelyKeepsTrafficOnTheRevisionServingNow() {
        String canary = "{\"strategy\": \"canary\", \"steps\": [50, 100], \"interval\": \"10m\"}";
        deployFirstAndWaitUntilStable("back", canary);
        assertThat(http().put(path(ns, "back"), service("back", "0.0", "{\"strategy\": \"immediate\"}")).status()).isEqualTo(200);
        await().atMost(SLOW).until(() -> http().get(path(ns, "back")).json().at("/status/traffic/0/revision").asString(""),
                "back-00002"::equals);

        assertThat(http().put(path(ns, "back"), service("back", "0.0", canary)).status()).isEqualTo(200);
        JsonNode traffic = http().get(path(ns, "back")).json().at("/status/traffic");
        assertThat(traffic).singleElement().satisfies(t -> {
            assertThat(t.path("revision").asString()).as("not back to the revision stable before").isEqualTo("back-00002");
            assertThat(t.path("percent").asInt()).isEqualTo(100);
        });
        assertThat(http().put(path(ns, "back"), service("back", "0.00", canary)).status()).isEqualTo(200);
        JsonNode third = await().atMost(SLOW).until(() -> rollout("back"), r -> r.path("revision").asString().equals("back-00003"));
        assertThat(third.path("stableRevision").asString()).isEqualTo("back-00002");
        assertThat(third.path("percent").asInt()).isEqualTo(50);
    }
}
