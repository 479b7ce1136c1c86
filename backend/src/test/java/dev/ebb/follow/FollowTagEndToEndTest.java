package dev.ebb.follow;

import static dev.ebb.support.Services.path;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.ebb.support.ApiTest;
import dev.ebb.support.Http;
import dev.ebb.support.Ports;
import dev.ebb.support.RealRegistry;
import dev.ebb.support.Services;
import dev.ebb.support.TinyServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.JsonNode;

/**
 * Followed tags on the embedded stack with its local runtime, against Debian's Distribution registry: the registry's own
 * notifications reach a hook and roll the new digest out until it takes the traffic, and the poll does the same for a
 * registry that notifies nobody, and nothing while the digest stays.
 */
@DirtiesContext
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {"ebb.runtime.enabled=true", "ebb.registry.poll-interval=1h"})
class FollowTagEndToEndTest extends ApiTest {

    private static final Duration SLOW = Duration.ofSeconds(60);
    private static Path storage;
    /** Notifies nobody: what it is pushed, only the poll finds. */
    private static RealRegistry quiet;
    /** Started by the test that needs it, once the hook it posts to exists. */
    private static RealRegistry notifying;
    private static int notifyingPort;

    private final String ns = Services.freshNamespace();

    @Autowired
    FollowedTagPoll poll;

    @DynamicPropertySource
    static void registries(DynamicPropertyRegistry registry) {
        try {
            storage = Files.createTempDirectory("ebb-registry-storage");
            quiet = RealRegistry.plain(storage);
            notifyingPort = Ports.free();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        registry.add("ebb.registry.plain-http", () -> quiet.host() + ",127.0.0.1:" + notifyingPort);
    }

    @AfterAll
    static void stopRegistries() {
        quiet.close();
        if (notifying != null) {
            notifying.close();
        }
    }

    private void followWithTraffic(String service, String image) {
        Http.Response created = http().post(path(ns), "{\"name\": \"" + service + "\", \"template\": "
                + TinyServer.template("\"image\": \"" + image + "\", \"imagePolicy\": \"follow-tag\"") + "}");
        assertThat(created.status()).as(created.toString()).isEqualTo(201);
    }

    private JsonNode revision(String service, String revision) {
        return http().get(path(ns, service) + "/revisions/" + revision).json();
    }

    private List<String> revisionNames(String service) {
        List<String> names = new ArrayList<>();
        http().get(path(ns, service) + "/revisions").json().get("items").forEach(r -> names.add(r.get("name").asString()));
        return names;
    }

    private void awaitReady(String service, String revision) {
        await().atMost(SLOW).untilAsserted(() -> assertThat(revision(service, revision).at("/status/conditions").toString())
                .contains("{\"type\":\"Ready\",\"status\":\"True\""));
    }

    private void awaitPollRound() {
        long before = poll.rounds();
        poll.pollNow();
        await().atMost(SLOW).until(() -> poll.rounds() > before);
    }

    @Test
    void aPushTheRegistryNotifiesRollsOutANewRevisionThatTakesTheLatestRevisionsTraffic() {
        Http.Response hook = http().post("/api/v1/hooks/registry", "{\"name\": \"lan-" + ns + "\"}");
        assertThat(hook.status()).as(hook.toString()).isEqualTo(201);
        notifying = RealRegistry.notifying(storage, notifyingPort, "http://127.0.0.1:" + port + "/api/v1/hooks/registry/lan-"
                + ns, "Bearer " + hook.json().get("secret").asString());
        String image = notifying.host() + "/acme/" + ns + ":stable";
        String first = notifying.pushImage("acme/" + ns, "stable", "amd64");
        followWithTraffic("model", image);
        awaitReady("model", "model-00001");
        assertThat(revision("model", "model-00001").at("/status/image").asString()).endsWith("@" + first);

        String pushed = notifying.pushImage("acme/" + ns, "stable", "amd64");

        await().atMost(SLOW).untilAsserted(() -> assertThat(revisionNames("model")).contains("model-00002"));
        JsonNode made = revision("model", "model-00002");
        assertThat(made.at("/status/image").asString()).isEqualTo(notifying.host() + "/acme/" + ns + "@" + pushed);
        assertThat(made.at("/metadata/trigger/kind").asString()).isEqualTo("registry-push");
        assertThat(made.at("/metadata/trigger/name").asString()).isEqualTo("lan-" + ns);
        String event = made.at("/metadata/trigger/event").asString();
        assertThat(event).as("the registry's event id").isNotBlank();
        await().atMost(SLOW).untilAsserted(() -> {
            JsonNode traffic = http().get(path(ns, "model")).json().at("/status/traffic/0");
            assertThat(traffic.get("revision").asString()).isEqualTo("model-00002");
            assertThat(traffic.get("percent").asInt()).isEqualTo(100);
        });
        assertThat(revisionNames("model")).as("one revision for the push, whatever else the registry notified")
                .containsExactly("model-00002", "model-00001");
        String audited = http().get("/api/v1/audit?namespace=" + ns + "&action=revision.create").body();
        assertThat(audited).contains("registry push " + event);
    }

    @Test
    void thePollRollsOutATagWhoseDigestChangedAndNothingWhileItStays() {
        String image = quiet.host() + "/acme/polled-" + ns + ":stable";
        quiet.pushImage("acme/polled-" + ns, "stable", "amd64");
        followWithTraffic("polled", image);
        await().atMost(SLOW).untilAsserted(() -> assertThat(revision("polled", "polled-00001").at("/status/image").asString())
                .contains("@sha256:"));

        awaitPollRound();
        assertThat(revisionNames("polled")).as("the digest did not change").containsExactly("polled-00001");

        String pushed = quiet.pushImage("acme/polled-" + ns, "stable", "amd64");
        awaitPollRound();

        assertThat(revisionNames("polled")).containsExactly("polled-00002", "polled-00001");
        JsonNode made = revision("polled", "polled-00002");
        assertThat(made.at("/status/image").asString()).endsWith("@" + pushed);
        assertThat(made.at("/metadata/trigger/kind").asString()).isEqualTo("poll");
        assertThat(made.at("/metadata/createdBy").asString()).isEqualTo("system:registry-poll");

        awaitPollRound();
        assertThat(revisionNames("polled")).containsExactly("polled-00002", "polled-00001");
    }
}
