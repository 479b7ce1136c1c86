package dev.ebb.autoscaler;

import static dev.ebb.support.Services.path;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.ebb.support.ApiTest;
import dev.ebb.support.Services;
import dev.ebb.support.TinyServer;
import dev.ebb.feed.LoadReport;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.annotation.DirtiesContext;
import tools.jackson.databind.JsonNode;

/** Revisions without load go to zero after the stable window and grace, and come back when a request waits. */
// Closed after this class: its runtime's instances would otherwise keep scaling, and changing the shared
// database, under the test classes that run after it.
@DirtiesContext
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {"ebb.runtime.enabled=true",
        "ebb.autoscaler.scale-to-zero-grace-period=0s", "ebb.autoscaler.allow-zero-initial-scale=true"})
class ScaleToZeroTest extends ApiTest {

    private static final Duration SLOW = Duration.ofSeconds(60);
    private final String ns = Services.freshNamespace();

    @Autowired
    Autoscaler autoscaler;

    @Autowired
    Clock clock;

    private JsonNode instances(String service, String revision) {
        return http().get(path(ns, service) + "/revisions/" + revision).json().at("/status/instances");
    }

    @Test
    void anIdleRevisionGoesToZeroAndAWaitingRequestBringsItBack() {
        http().post(path(ns), "{\"name\": \"idle\", \"template\": " + TinyServer.template("\"scale\": {\"window\": \"6s\"}") + "}");
        // Ready stays True at zero; on a busy machine the instance may be ready for less than a poll's time.
        await().atMost(SLOW).until(() -> http().get(path(ns, "idle") + "/revisions/idle-00001").json()
                .at("/status/conditions/0/status").asString().equals("True"));

        await().atMost(SLOW).until(() -> instances("idle", "idle-00001").get("ready").asInt() == 0);
        assertThat(instances("idle", "idle-00001").get("desired").asInt()).isZero();
        await().atMost(SLOW).until(() -> http().get(path(ns, "idle") + "/revisions/idle-00001/logs?tail=50").body()
                .contains("[ebb] stopped"));

        // As the gateway does while a request waits for the revision: ask, and ask again until it is served.
        await().atMost(SLOW).until(() -> {
            autoscaler.demand(ns, "idle-00001");
            return instances("idle", "idle-00001").get("ready").asInt() == 1;
        });
        assertThat(autoscaler.lastRequested(ns, "idle-00001")).isPresent();
    }

    @Test
    void aRevisionWhoseGatewayFellSilentWhileHoldingRequestsKeepsItsInstance() {
        http().post(path(ns), "{\"name\": \"held\", \"template\": " + TinyServer.template("\"scale\": {\"window\": \"6s\"}") + "}");
        // A gateway holds five requests for it while its instance starts, reporting them twice a second...
        await().atMost(SLOW).until(() -> {
            autoscaler.report(new LoadReport("silent-gateway", clock.instant(), List.of(new LoadReport.RevisionLoad(ns, "held-00001", 5,
                    0, 5, List.of()))));
            return instances("held", "held-00001").get("ready").asInt() == 1;
        });
        // ...then its reports stop reaching the control plane (overloaded, cut off), the requests still held.

        // Idle by every other account, it would be at zero one stable window (6 s) later; without data it keeps its count.
        await().during(Duration.ofSeconds(15)).atMost(Duration.ofSeconds(20))
                .until(() -> instances("held", "held-00001").get("desired").asInt() == 1);
    }

    @Test
    void anInstanceStillStartingIsNotStoppedForIdleness() {
        String slow = TinyServer.template("\"env\": {\"STARTUP_DELAY_MS\": \"9000\"}, \"scale\": {\"window\": \"6s\"}, "
                + "\"annotations\": {\"autoscaling.knative.dev/initial-scale\": \"0\"}");
        http().post(path(ns), "{\"name\": \"slow\", \"template\": " + slow + "}");
        assertThat(instances("slow", "slow-00001").get("desired").asInt()).isZero();
        await().atMost(SLOW).until(() -> http().get(path(ns, "slow") + "/revisions/slow-00001").json()
                .at("/status/conditions/0/status").asString().equals("True"));
        assertThat(http().get(path(ns, "slow") + "/revisions/slow-00001").json().at("/status/conditions/0/message").asString())
                .as("allowed to start at zero, it is ready without an instance").contains("initial scale 0");

        // As the gateway does while a request waits: demand again until the revision is followed and scaled.
        await().atMost(SLOW).until(() -> {
            autoscaler.demand(ns, "slow-00001");
            return instances("slow", "slow-00001").get("desired").asInt() == 1;
        });
        // The demand passes and the revision is idle long before the instance has loaded its "model".
        await().atMost(SLOW).until(() -> instances("slow", "slow-00001").get("desired").asInt() == 0);

        await().atMost(SLOW).until(() -> http().get(path(ns, "slow") + "/revisions/slow-00001/logs?tail=50").body()
                .contains("[ebb] ready after"));
        String log = http().get(path(ns, "slow") + "/revisions/slow-00001/logs?tail=50").body();
        assertThat(log.indexOf("[ebb] ready after")).isLessThan(log.indexOf("[ebb] stopped") < 0 ? Integer.MAX_VALUE : log.indexOf("[ebb] stopped"));
        // Once ready and still idle, it goes.
        await().atMost(SLOW).until(() -> http().get(path(ns, "slow") + "/revisions/slow-00001/logs?tail=50").body()
                .contains("[ebb] stopped"));
    }
}
