package dev.ebb.runtime;

import static dev.ebb.support.Services.path;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.ebb.support.ApiTest;
import dev.ebb.support.Services;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.annotation.DirtiesContext;
import tools.jackson.databind.JsonNode;

/**
 * A command that exits at once: it restarted 20,872 times in 10 minutes before the back-off, and with Kubernetes'
 * back-off (10 s doubling to 5 min, the production default) it restarts at most 4 times in a minute. The test runs the
 * same back-off ten times faster (1 s doubling to 30 s) and watches six seconds of real time, which is the minute
 * scaled alike: restarts after 1, 3 and 7 s, so 2 or 3 in the window, never the thousands a missing back-off gives.
 */
@DirtiesContext
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {"ebb.runtime.enabled=true",
        "ebb.runtime.local.restart-backoff=1s", "ebb.runtime.local.max-restart-backoff=30s"})
class CrashLoopBackOffTest extends ApiTest {

    private final String ns = Services.freshNamespace();

    private JsonNode instances() {
        return http().get(path(ns, "exits") + "/revisions/exits-00001").json().at("/status/instances");
    }

    @Test
    void aCommandThatExitsAtOnceRestartsWithADoublingBackOffAndSaysWhenItRestartsNext() {
        http().post(path(ns), "{\"name\": \"exits\", \"template\": {\"command\": [\"sh\", \"-c\", \"exit 3\"]}}");

        await().atMost(Duration.ofSeconds(60)).until(() -> instances().hasNonNull("nextRestart"));
        Instant firstCrash = Instant.now();
        JsonNode waiting = instances();
        assertThat(waiting.get("restarts").asInt()).isZero();
        assertThat(Instant.parse(waiting.get("nextRestart").asString())).isAfter(firstCrash.plusMillis(500));
        assertThat(waiting.at("/items/0/nextRestart").asString()).isEqualTo(waiting.get("nextRestart").asString());

        await().during(Duration.ofSeconds(6)).atMost(Duration.ofSeconds(20))
                .until(() -> instances().get("restarts").asInt() <= 4);

        assertThat(instances().get("restarts").asInt()).as("it does restart, with back-off").isBetween(2, 4);
        assertThat(instances().get("items")).hasSize(1);
    }
}
