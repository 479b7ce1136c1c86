package dev.ebb.runtime;

import static dev.ebb.support.Services.path;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.ebb.service.ServiceChanged;
import dev.ebb.support.ApiTest;
import dev.ebb.support.Services;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Import;
import org.springframework.context.event.EventListener;
import org.springframework.test.annotation.DirtiesContext;
import tools.jackson.databind.JsonNode;

/**
 * A crash-looping revision rewords its Ready message with every restart (which restart, when the next one comes, the last
 * output): the message is stored each time, but the service is planned and routed again only when the status or reason
 * moves, since nothing else decides what runs or where traffic goes.
 */
@DirtiesContext
@Import(RewordedReadinessTest.ChangesSeen.class)
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = "ebb.runtime.enabled=true")
class RewordedReadinessTest extends ApiTest {

    private final String ns = Services.freshNamespace();

    @Autowired
    ChangesSeen changes;

    @TestConfiguration
    static class ChangesSeen {

        final List<ServiceChanged> seen = new CopyOnWriteArrayList<>();

        @EventListener
        void changed(ServiceChanged event) {
            seen.add(event);
        }

        long of(String namespace) {
            return seen.stream().filter(e -> e.namespace().equals(namespace)).count();
        }
    }

    private JsonNode ready() {
        return http().get(path(ns, "exits") + "/revisions/exits-00001").json().at("/status/conditions/0");
    }

    @Test
    void aCrashLoopsRewordedMessagesAreStoredWithoutPlanningItsServiceAgainEachTime() {
        http().post(path(ns), "{\"name\": \"exits\", \"template\": {\"command\": [\"sh\", \"-c\", \"echo run $RANDOM; exit 3\"]}}");

        // The tests' back-off is 50 ms doubling to 400 ms: a dozen restarts in a few seconds, each rewording the message.
        await().atMost(Duration.ofSeconds(90)).until(() -> http().get(path(ns, "exits") + "/revisions/exits-00001").json()
                .at("/status/instances/restarts").asInt() >= 12);
        String earlier = ready().get("message").asString();
        await().atMost(Duration.ofSeconds(30)).until(() -> !ready().get("message").asString().equals(earlier));

        assertThat(ready().get("reason").asString()).isEqualTo("CrashLoop");
        // Created; first observed deploying; then failed with CrashLoop (and at most one more move of the service's own
        // status): not one change per restart.
        assertThat(changes.of(ns)).as("service changes published: %s", changes.seen).isLessThanOrEqualTo(4);
    }
}
