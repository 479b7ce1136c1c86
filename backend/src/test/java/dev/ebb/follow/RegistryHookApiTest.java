package dev.ebb.follow;

import static dev.ebb.support.Services.path;
import static org.assertj.core.api.Assertions.assertThat;

import dev.ebb.support.ApiTest;
import dev.ebb.support.Http;
import dev.ebb.support.Services;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * Registry hooks over real HTTP on the whole application (runtime off): who may deliver, what a delivery of each
 * registry's payload does to the services that follow the pushed tag, and that duplicate, stale and malformed
 * deliveries change nothing.
 */
class RegistryHookApiTest extends ApiTest {

    private static final String DISTRIBUTION = "application/vnd.docker.distribution.events.v1+json";
    private static final String REGISTRY = "registry.example.com";

    private final String ns = Services.freshNamespace();
    /** A repository of this test's own, so that services other tests follow never match its pushes. */
    private final String repository = "acme/" + ns;
    private final String followed = REGISTRY + "/" + repository + ":stable";

    /** A hook, by name and the secret its creation showed once. */
    private record Hook(String name, String secret) {

        String path() {
            return "/api/v1/hooks/registry/" + name;
        }
    }

    private Hook hook(String registry) {
        String name = "h-" + UUID.randomUUID().toString().substring(0, 8);
        Http.Response created = http().post("/api/v1/hooks/registry", registry == null ? "{\"name\": \"" + name + "\"}"
                : "{\"name\": \"" + name + "\", \"registry\": \"" + registry + "\"}");
        assertThat(created.status()).as(created.toString()).isEqualTo(201);
        assertThat(created.header("Location")).isEqualTo("/api/v1/hooks/registry/" + name);
        return new Hook(name, created.json().get("secret").asString());
    }

    private void follow(String service, String policy) {
        Http.Response created = http().post(path(ns), """
                {"name": "%s", "template": {"image": "%s", "imagePolicy": "%s"}}""".formatted(service, followed, policy));
        assertThat(created.status()).as(created.toString()).isEqualTo(201);
    }

    private static String digest(int n) {
        return "sha256:" + String.format("%064x", n);
    }

    private String push(String id, String timestamp, String digest) {
        return """
                {"events": [{"id": "%s", "timestamp": "%s", "action": "push", "newField": {"added": "later"},
                  "target": {"mediaType": "application/vnd.oci.image.manifest.v1+json", "digest": "%s",
                    "repository": "%s", "tag": "stable", "url": "https://%s/v2/%s/manifests/%s"},
                  "request": {"id": "r", "addr": "10.0.0.9:4242", "host": "%s", "method": "PUT"}}]}"""
                .formatted(id, timestamp, digest, repository, REGISTRY, repository, digest, REGISTRY);
    }

    private Http.Response deliverWithBearer(Hook hook, String body) {
        return new Http("http://localhost:" + port, hook.secret()).send("POST", hook.path(), body, DISTRIBUTION);
    }

    private Http.Response deliverSigned(Hook hook, String body, String secret) {
        return anonymous().header(HookSignature.HEADER, HookSignature.sign(body.getBytes(StandardCharsets.UTF_8), secret))
                .send("POST", hook.path(), body, DISTRIBUTION);
    }

    private List<String> revisionNames(String service) {
        List<String> names = new ArrayList<>();
        http().get(path(ns, service) + "/revisions").json().get("items").forEach(r -> names.add(r.get("name").asString()));
        return names;
    }

    private JsonNode revision(String service, String revision) {
        return http().get(path(ns, service) + "/revisions/" + revision).json();
    }

    @Test
    void aBearerDeliveryOfAFollowedTagsNewDigestMakesARevisionThatSaysWhichHookAndEventMadeIt() {
        follow("model", "follow-tag");
        Hook hook = hook(null);

        Http.Response delivered = deliverWithBearer(hook, push("ev-1", "2025-03-09T10:00:00Z", digest(1)));

        assertThat(delivered.status()).as(delivered.toString()).isEqualTo(200);
        JsonNode rollout = delivered.json().at("/events/0/services/0");
        assertThat(rollout.get("namespace").asString()).isEqualTo(ns);
        assertThat(rollout.get("outcome").asString()).isEqualTo("created");
        assertThat(rollout.get("revision").asString()).isEqualTo("model-00002");
        JsonNode made = revision("model", "model-00002");
        assertThat(made.at("/status/image").asString()).isEqualTo(REGISTRY + "/" + repository + "@" + digest(1));
        assertThat(made.at("/template/image").asString()).as("the template keeps the tag it follows").isEqualTo(followed);
        assertThat(made.at("/metadata/trigger/kind").asString()).isEqualTo("registry-push");
        assertThat(made.at("/metadata/trigger/name").asString()).isEqualTo(hook.name());
        assertThat(made.at("/metadata/trigger/event").asString()).isEqualTo("ev-1");
        assertThat(made.at("/metadata/createdBy").asString()).isEqualTo("hook:" + hook.name());
        assertThat(made.at("/metadata/changes").asString()).endsWith("-> " + digest(1) + " (tag followed)");
        assertThat(revision("model", "model-00001").at("/metadata/trigger/kind").asString()).isEqualTo("token");
        assertThat(http().get(path(ns, "model")).json().at("/status/latestCreatedRevision").asString()).isEqualTo("model-00002");
        JsonNode audited = http().get("/api/v1/audit?namespace=" + ns + "&actor=hook:" + hook.name()).json().get("items");
        List<String> actions = new ArrayList<>();
        audited.forEach(event -> {
            actions.add(event.get("action").asString());
            assertThat(event.get("changeCause").asString()).contains("registry push ev-1").contains(digest(1));
        });
        assertThat(actions).containsExactlyInAnyOrder("revision.create", "service.update");
    }

    @Test
    void anHmacSignedDeliveryIsAcceptedAndAWrongSignatureIsNot() {
        follow("model", "follow-tag");
        Hook hook = hook(REGISTRY);
        String body = push("ev-2", "2025-03-09T10:00:00Z", digest(2));

        Http.Response forged = deliverSigned(hook, body, "not-the-secret");
        assertThat(forged.status()).isEqualTo(401);
        assertThat(forged.contentType()).startsWith("application/problem+json");
        assertThat(revisionNames("model")).containsExactly("model-00001");

        Http.Response signed = deliverSigned(hook, body, hook.secret());
        assertThat(signed.status()).as(signed.toString()).isEqualTo(200);
        assertThat(revisionNames("model")).containsExactly("model-00002", "model-00001");
    }

    @Test
    void aMissingOrWrongSecretIs401AndAnUnknownHook404AndNeitherChangesAnything() {
        follow("model", "follow-tag");
        Hook hook = hook(null);
        String body = push("ev-3", "2025-03-09T10:00:00Z", digest(3));

        Http.Response missing = anonymous().send("POST", hook.path(), body, DISTRIBUTION);
        assertThat(missing.status()).isEqualTo(401);
        assertThat(missing.json().get("detail").asString()).contains("Authorization: Bearer <secret>");
        Http.Response wrong = new Http("http://localhost:" + port, "guess").send("POST", hook.path(), body, DISTRIBUTION);
        assertThat(wrong.status()).isEqualTo(401);
        assertThat(wrong.json().get("detail").asString()).isEqualTo("The bearer token is not the secret of registry hook '"
                + hook.name() + "'");
        Http.Response apiToken = http().send("POST", hook.path(), body, DISTRIBUTION);
        assertThat(apiToken.status()).as("an API token is not the hook's secret").isEqualTo(401);
        Http.Response unknown = new Http("http://localhost:" + port, hook.secret())
                .send("POST", "/api/v1/hooks/registry/no-such-hook", body, DISTRIBUTION);
        assertThat(unknown.status()).isEqualTo(404);
        assertThat(unknown.contentType()).startsWith("application/problem+json");

        assertThat(revisionNames("model")).containsExactly("model-00001");
    }

    @Test
    void aMalformedDeliveryIs400SayingWhatIsWrongAndChangesNothing() {
        follow("model", "follow-tag");
        Hook hook = hook(null);

        Http.Response broken = deliverWithBearer(hook, "{\"events\": [{\"id\": \"ev\", \"action\": \"push\", \"target\": "
                + "{\"tag\": \"stable\", \"repository\": \"" + repository + "\"}}]}");

        assertThat(broken.status()).isEqualTo(400);
        assertThat(broken.contentType()).startsWith("application/problem+json");
        assertThat(broken.json().get("detail").asString()).isEqualTo("events[0].target.digest: is missing");
        assertThat(deliverWithBearer(hook, "not json").status()).isEqualTo(400);
        assertThat(revisionNames("model")).containsExactly("model-00001");
    }

    @Test
    void aDuplicateDeliveryMakesOneRevision() {
        follow("model", "follow-tag");
        Hook hook = hook(null);
        String body = push("ev-4", "2025-03-09T10:00:00Z", digest(4));

        assertThat(deliverWithBearer(hook, body).status()).isEqualTo(200);
        Http.Response again = deliverWithBearer(hook, body);

        assertThat(again.status()).isEqualTo(200);
        assertThat(again.json().at("/events/0/services/0/outcome").asString()).isEqualTo("known-digest");
        assertThat(again.json().at("/events/0/services/0/revision").asString()).isEqualTo("model-00002");
        assertThat(revisionNames("model")).containsExactly("model-00002", "model-00001");
    }

    @Test
    void anOlderEventDeliveredLateMakesNothing() {
        follow("model", "follow-tag");
        Hook hook = hook(null);
        assertThat(deliverWithBearer(hook, push("ev-new", "2025-03-09T10:05:00Z", digest(6))).status()).isEqualTo(200);

        Http.Response late = deliverWithBearer(hook, push("ev-old", "2025-03-09T10:00:00Z", digest(5)));

        assertThat(late.json().at("/events/0/services/0/outcome").asString()).isEqualTo("older-event");
        assertThat(revisionNames("model")).containsExactly("model-00002", "model-00001");
        assertThat(revision("model", "model-00002").at("/status/image").asString()).endsWith(digest(6));
    }

    @Test
    void aHarborPushRollsOutThroughAHookBoundToItsRegistry() {
        follow("model", "follow-tag");
        Hook hook = hook(REGISTRY);
        String harbor = """
                {"type": "PUSH_ARTIFACT", "occur_at": 1741560266, "operator": "robot$ci",
                 "event_data": {"resources": [{"digest": "%s", "tag": "stable", "resource_url": "core.harbor.internal/%s:stable"}],
                   "repository": {"name": "%s", "namespace": "acme", "repo_full_name": "%s", "repo_type": "private"}}}"""
                .formatted(digest(7), repository, ns, repository);

        Http.Response delivered = new Http("http://localhost:" + port, hook.secret()).send("POST", hook.path(), harbor,
                "application/json");

        assertThat(delivered.status()).as(delivered.toString()).isEqualTo(200);
        assertThat(revision("model", "model-00002").at("/status/image").asString())
                .isEqualTo(REGISTRY + "/" + repository + "@" + digest(7));
        assertThat(revision("model", "model-00002").at("/metadata/trigger/event").asString())
                .isEqualTo("harbor:" + repository + ":stable@1741560266");
    }

    @Test
    void aServiceThatDoesNotFollowItsTagIsLeftAlone() {
        follow("pinned", "none");
        Hook hook = hook(null);

        Http.Response delivered = deliverWithBearer(hook, push("ev-8", "2025-03-09T10:00:00Z", digest(8)));

        assertThat(delivered.json().at("/events/0/services").isEmpty()).isTrue();
        assertThat(revisionNames("pinned")).containsExactly("pinned-00001");
    }

    @Test
    void anUnknownFieldInTheHookBodyIsRefusedWithTheNearestName() {
        Http.Response refused = http().post("/api/v1/hooks/registry", "{\"name\": \"typo\", \"registyr\": \"" + REGISTRY + "\"}");

        assertThat(refused.status()).isEqualTo(400);
        assertThat(refused.json().get("detail").asString()).isEqualTo("registyr: unknown field 'registyr'; did you mean 'registry'?");
        assertThat(http().get("/api/v1/hooks/registry").body()).doesNotContain("\"typo\"");
    }

    @Test
    void hooksAreListedWithoutTheirSecretAndGoneOnceDeleted() {
        Hook hook = hook(REGISTRY);

        String listed = http().get("/api/v1/hooks/registry").body();
        assertThat(listed).contains("\"" + hook.name() + "\"").contains(hook.path()).doesNotContain(hook.secret());
        assertThat(http().delete(hook.path()).status()).isEqualTo(204);

        assertThat(deliverWithBearer(hook, "{\"events\": []}").status()).isEqualTo(404);
        assertThat(http().delete(hook.path()).status()).isEqualTo(404);
    }

    @Test
    void aHookNeedsANameAndARegistryWrittenAsImagesNameIt() {
        Http.Response refused = http().post("/api/v1/hooks/registry", "{\"registry\": \"https://registry.example.com/\"}");

        assertThat(refused.status()).isEqualTo(422);
        assertThat(refused.body()).contains("\"name\"").contains("is not a registry host");
    }
}
