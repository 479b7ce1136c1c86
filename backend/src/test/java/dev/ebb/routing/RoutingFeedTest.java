package dev.ebb.routing;

import static dev.ebb.support.Services.path;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.ebb.support.ApiTest;
import dev.ebb.support.Http;
import dev.ebb.support.RoutingJson;
import dev.ebb.support.Services;
import dev.ebb.support.TinyServer;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.annotation.DirtiesContext;
import tools.jackson.databind.JsonNode;

/** Gateways follow the routing snapshot by long-poll; it changes when services and their ready instances do. */
// Closed after this class: its runtime's instances would otherwise keep scaling, and changing the shared
// database, under the test classes that run after it.
@DirtiesContext
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = "ebb.runtime.enabled=true")
class RoutingFeedTest extends ApiTest {

    private final String ns = Services.freshNamespace();

    private JsonNode serviceIn(JsonNode snapshot, String name) {
        for (JsonNode service : snapshot.get("services")) {
            if (service.get("namespace").asString().equals(ns) && service.get("name").asString().equals(name)) {
                return service;
            }
        }
        return null;
    }

    private JsonNode revisionIn(JsonNode snapshot, String name) {
        return RoutingJson.revision(snapshot, ns, name);
    }

    @Test
    void aNewServiceAppearsWithItsReadyInstanceInALaterVersion() throws Exception {
        long before = http().get("/internal/v1/routing").json().get("version").asLong();
        http().post(path(ns), "{\"name\": \"hello\", \"visibility\": \"public\", \"template\": " + TinyServer.template("") + "}");

        long[] seen = {before};
        await().atMost(Duration.ofSeconds(60)).until(() -> {
            Http.Response response = http().get("/internal/v1/routing?after=" + seen[0] + "&wait=5");
            if (response.status() == 304) {
                return false;
            }
            JsonNode snapshot = response.json();
            assertThat(snapshot.get("version").asLong()).isGreaterThan(seen[0]);
            seen[0] = snapshot.get("version").asLong();
            JsonNode revision = revisionIn(snapshot, "hello-00001");
            return revision != null && !revision.get("endpoints").isEmpty();
        });

        JsonNode snapshot = http().get("/internal/v1/routing").json();
        JsonNode service = serviceIn(snapshot, "hello");
        assertThat(service.get("visibility").asString()).isEqualTo("public");
        assertThat(service.at("/targets/0/revision").asString()).isEqualTo("hello-00001");
        assertThat(service.at("/targets/0/percent").asInt()).isEqualTo(100);
        JsonNode revision = revisionIn(snapshot, "hello-00001");
        assertThat(revision.get("protocol").asString()).isEqualTo("http1");
        assertThat(revision.get("timeoutSeconds").asInt()).isEqualTo(300);
        assertThat(revision.at("/endpoints/0/host").asString()).isEqualTo("127.0.0.1");
    }

    @Test
    void aPollWithNothingNewerAnswersNotModified() {
        long version = http().get("/internal/v1/routing").json().get("version").asLong();
        // No wait: any snapshot published meanwhile (an instance of another test here scaling) would be an answer.
        Http.Response response = http().get("/internal/v1/routing?after=" + Math.max(version, Long.MAX_VALUE / 2) + "&wait=0");
        assertThat(response.status()).isEqualTo(304);
    }

    @Test
    void theFeedNeedsAToken() {
        assertThat(anonymous().get("/internal/v1/routing?wait=0").status()).isEqualTo(401);
    }
}
