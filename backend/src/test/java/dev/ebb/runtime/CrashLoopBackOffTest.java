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
 * A command that exits at once, with Kubernetes' back-off (10 s doubling to 5 min) as in production: it restarted
 * 20,872 times in 10 minutes before the back-off, and must restart at most 4 times in a minute now. The test watches a
 * whole minute of real time; that is its point.
 */
@DirtiesContext
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {"ebb.runtime.enabled=true",
        "ebb.runtime.local.restart-backoff=10s", "ebb.runtime.local.max-restart-backoff=5m"})
class CrashLoopBackOffTest extends ApiTest {

    private final String ns = Services.freshNamespace();

    private JsonNode instances() {
        return http().get(path(ns, "exits") + "/revisions/exits-00001").json().at("/status/instances");
    }

    @Test
    void aCommandThatExitsAtOnceRestartsAtMostFourTimesInAMinuteAndSaysWhenItRestartsNext() {
        http().post(path(ns), "{\"name\": \"exits\", \"template\": {\"command\": [\"sh\", \"-c\", \"exit 3\"]}}");

        await().atMost(Duration.ofSeconds(60)).until(() -> instances().hasNonNull("nextRestart"));
        Instant firstCrash = Instant.now();
        JsonNode waiting = instances();
        assertThat(waiting.get("restarts").asInt()).isZero();
        assertThat(Instant.parse(waiting.get("nextRestart").asString())).isAfter(firstCrash.plusSeconds(5));
        assertThat(waiting.at("/items/0/nextRestart").asString()).isEqualTo(waiting.get("nextRestart").asString());

        await().during(Duration.ofSeconds(60)).atMost(Duration.ofSeconds(75))
                .until(() -> instances().get("restarts").asInt() <= 4);

        assertThat(instances().get("restarts").asInt()).as("it does restart, with back-off").isBetween(2, 4);
        assertThat(instances().get("items")).hasSize(1);
    }
}
