package dev.ebb.image;

import static dev.ebb.support.Services.path;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.ebb.runtime.RevisionKey;
import dev.ebb.runtime.Runtimes;
import dev.ebb.support.ApiTest;
import dev.ebb.support.Http;
import dev.ebb.support.RealRegistry;
import dev.ebb.support.Services;
import dev.ebb.support.TinyServer;
import dev.ebb.spec.Template;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.JsonNode;

/**
 * Services whose templates name images by tag, on the embedded stack with its local runtime, against real registries:
 * the revision shows {@code ImageResolved}, the runtime is given the digest, and a tag that cannot be resolved leaves
 * the traffic where it was with a sentence that says what to do.
 */
@DirtiesContext
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = "ebb.runtime.enabled=true")
class ImageResolutionApiTest extends ApiTest {

    private static final Duration SLOW = Duration.ofSeconds(60);
    private static RealRegistry plain;
    private static RealRegistry basic;
    private static String model10;

    private final String ns = Services.freshNamespace();

    @Autowired
    Runtimes runtimes;

    @DynamicPropertySource
    static void registries(DynamicPropertyRegistry registry) {
        try {
            Path storage = Files.createTempDirectory("ebb-registry-storage");
            plain = RealRegistry.plain(storage);
            model10 = plain.pushImage("acme/model", "1.0", "amd64");
            plain.pushImage("acme/model", "1.1", "amd64");
            basic = RealRegistry.basic(storage, Map.of("ci", "s3cret"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        registry.add("ebb.registry.plain-http", () -> plain.host() + "," + basic.host());
    }

    @AfterAll
    static void stopRegistries() {
        plain.close();
        basic.close();
    }

    /** A template the local runtime runs (the tiny server) that also names {@code image}. */
    private static String serving(String image) {
        return TinyServer.template("\"image\": \"" + image + "\"");
    }

    private JsonNode revision(String service, String revision) {
        return http().get(path(ns, service) + "/revisions/" + revision).json();
    }

    private static JsonNode condition(JsonNode revision, String type) {
        for (JsonNode condition : revision.at("/status/conditions")) {
            if (condition.get("type").asString().equals(type)) {
                return condition;
            }
        }
        return null;
    }

    private JsonNode awaitCondition(String service, String revision, String type, String status) {
        await().atMost(SLOW).untilAsserted(() -> {
            JsonNode read = revision(service, revision);
            JsonNode condition = condition(read, type);
            assertThat(condition == null ? null : condition.path("status").asString()).as(read.toString()).isEqualTo(status);
        });
        return condition(revision(service, revision), type);
    }

    @Test
    void aTagIsResolvedToItsDigestAndTheRuntimeRunsTheDigest() {
        String image = plain.host() + "/acme/model:1.0";
        Http.Response created = http().post(path(ns), "{\"name\": \"hello\", \"template\": " + serving(image) + "}");
        assertThat(created.status()).as(created.body()).isEqualTo(201);

        JsonNode resolved = awaitCondition("hello", "hello-00001", "ImageResolved", "True");
        String pinned = plain.host() + "/acme/model@" + model10;
        assertThat(resolved.get("reason").asString()).isEqualTo("Resolved");
        assertThat(resolved.get("message").asString()).isEqualTo("Resolved " + image + " to " + pinned + ".");
        assertThat(revision("hello", "hello-00001").at("/status/image").asString()).isEqualTo(pinned);
        assertThat(revision("hello", "hello-00001").at("/template/image").asString()).as("the template keeps the tag")
                .isEqualTo(image);
        awaitCondition("hello", "hello-00001", "Ready", "True");
        Template run = runtimes.eligible().get(new RevisionKey(ns, "hello", "hello-00001"));
        assertThat(run.image()).as("the runtime is given the digest").isEqualTo(pinned);
        JsonNode audited = http().get("/api/v1/audit?namespace=" + ns + "&action=revision.image-resolve").json().get("items");
        assertThat(audited.toString()).contains(image, pinned);
    }

    @Test
    void anUnknownTagFailsTheNewRevisionWhileThePreviousKeepsTheTraffic() {
        http().post(path(ns), "{\"name\": \"hello\", \"template\": " + serving(plain.host() + "/acme/model:1.0") + "}");
        awaitCondition("hello", "hello-00001", "Ready", "True");

        http().put(path(ns, "hello"), "{\"template\": " + serving(plain.host() + "/acme/model:2.0") + "}");

        JsonNode failed = awaitCondition("hello", "hello-00002", "ImageResolved", "False");
        assertThat(failed.get("reason").asString()).isEqualTo("TagNotFound");
        assertThat(failed.get("message").asString()).isEqualTo("Registry " + plain.host() + " has no tag '2.0' in repository "
                + "acme/model; it has 1.0, 1.1. Push the tag, or change the service's image to a tag that exists.");
        JsonNode ready = awaitCondition("hello", "hello-00002", "Ready", "False");
        assertThat(ready.get("message").asString()).isEqualTo(failed.get("message").asString());
        assertThat(runtimes.eligible()).as("the runtime never got it").doesNotContainKey(new RevisionKey(ns, "hello", "hello-00002"));
        JsonNode service = http().get(path(ns, "hello")).json();
        assertThat(service.at("/status/latestReadyRevision").asString()).isEqualTo("hello-00001");
        assertThat(service.at("/status/traffic/0/revision").asString()).isEqualTo("hello-00001");
        assertThat(service.at("/status/traffic/0/percent").asInt()).isEqualTo(100);

        // Once the tag exists, a retry resolves it and the new revision takes over.
        String pushed = plain.pushImage("acme/model", "2.0", "amd64");
        assertThat(http().post(path(ns, "hello") + "/revisions/hello-00002/retry", "").status()).isEqualTo(200);
        awaitCondition("hello", "hello-00002", "Ready", "True");
        assertThat(revision("hello", "hello-00002").at("/status/image").asString()).endsWith("@" + pushed);
        await().atMost(SLOW).until(() -> http().get(path(ns, "hello")).json().at("/status/traffic/0/revision").asString()
                .equals("hello-00002"));
    }

    @Test
    void aRegistryThatWantsCredentialsIsResolvedOnceTheyAreStored() {
        String image = basic.host() + "/acme/model:1.0";
        http().post(path(ns), "{\"name\": \"private\", \"template\": " + serving(image) + "}");

        JsonNode refused = awaitCondition("private", "private-00001", "ImageResolved", "False");
        assertThat(refused.get("reason").asString()).isEqualTo("Unauthorized");
        assertThat(refused.get("message").asString()).contains("Add registry credentials for host " + basic.host()
                + " in namespace " + ns);

        Http.Response stored = http().post("/api/v1/namespaces/" + ns + "/registry-credentials", """
                {"name": "lan", "server": "%s", "username": "ci", "password": "s3cret"}""".formatted(basic.host()));
        assertThat(stored.status()).as(stored.body()).isEqualTo(201);

        JsonNode resolved = awaitCondition("private", "private-00001", "ImageResolved", "True");
        assertThat(resolved.get("message").asString()).endsWith("@" + model10 + ".");
        awaitCondition("private", "private-00001", "Ready", "True");
    }

    @Test
    void aDigestAndASkippedRegistryAreUsedAsWritten() {
        String digest = plain.host() + "/acme/model@" + model10;
        http().post(path(ns), "{\"name\": \"pinned\", \"template\": " + serving(digest) + "}");
        http().post(path(ns), "{\"name\": \"kind\", \"template\": " + serving("kind.local/acme/model:dev") + "}");

        JsonNode pinned = condition(revision("pinned", "pinned-00001"), "ImageResolved");
        assertThat(List.of(pinned.get("status").asString(), pinned.get("reason").asString())).containsExactly("True", "Pinned");
        assertThat(revision("pinned", "pinned-00001").at("/status/image").asString()).isEqualTo(digest);
        JsonNode skipped = awaitCondition("kind", "kind-00001", "ImageResolved", "True");
        assertThat(skipped.get("reason").asString()).isEqualTo("Skipped");
        assertThat(revision("kind", "kind-00001").at("/status/image").asString()).isEqualTo("kind.local/acme/model:dev");
        awaitCondition("kind", "kind-00001", "Ready", "True");
    }

    @Test
    void aTemplateWithoutAnImageHasNothingToResolve() {
        http().post(path(ns), "{\"name\": \"plain\", \"template\": " + TinyServer.template("") + "}");

        JsonNode revision = revision("plain", "plain-00001");
        assertThat(condition(revision, "ImageResolved")).isNull();
        assertThat(revision.at("/status/image").isNull() || revision.at("/status/image").isMissingNode()).isTrue();
        awaitCondition("plain", "plain-00001", "Ready", "True");
    }
}
