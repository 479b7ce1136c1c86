package dev.ebb.service;

import static dev.ebb.support.Services.path;
import static dev.ebb.support.Services.withImage;
import static org.assertj.core.api.Assertions.assertThat;

import dev.ebb.support.ApiTest;
import dev.ebb.support.Http;
import dev.ebb.support.Services;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

class ServiceApiTest extends ApiTest {

    private final String ns = Services.freshNamespace();

    private Http.Response create(String name, String image) {
        Http.Response created = http().post(path(ns), withImage(name, image));
        assertThat(created.status()).as(created.toString()).isEqualTo(201);
        return created;
    }

    @Test
    void creatingAServiceStoresItsFirstRevisionWithDefaults() {
        Http.Response created = create("hello", "ghcr.io/acme/model:1.0");

        assertThat(created.header("Location")).isEqualTo(path(ns, "hello"));
        assertThat(created.header("ETag")).isEqualTo("\"1\"");
        JsonNode body = created.json();
        assertThat(body.get("visibility").asString()).isEqualTo("cluster-local");
        assertThat(body.get("coldStartSlo").asString()).isEqualTo("10s");
        assertThat(body.at("/template/port").asInt()).isEqualTo(8080);
        assertThat(body.at("/template/timeoutSeconds").asInt()).isEqualTo(300);
        assertThat(body.at("/template/concurrency/target").asInt()).isEqualTo(100);
        assertThat(body.at("/traffic/0/latestRevision").asBoolean()).isTrue();
        assertThat(body.at("/traffic/0/percent").asInt()).isEqualTo(100);
        assertThat(body.at("/status/latestCreatedRevision").asString()).isEqualTo("hello-00001");
        assertThat(body.at("/status/url").asString()).isEqualTo("http://hello." + ns + ".svc.cluster.local");
        assertThat(body.at("/metadata/createdBy").asString()).isEqualTo("token:bootstrap");

        JsonNode revision = http().get(path(ns, "hello") + "/revisions/hello-00001").json();
        assertThat(revision.get("templateHash").asString()).startsWith("sha256:");
        assertThat(revision.at("/metadata/createdBy").asString()).isEqualTo("token:bootstrap");
        assertThat(revision.at("/status/conditions/0/status").asString()).isEqualTo("Unknown");
        assertThat(revision.at("/status/conditions/0/reason").asString()).as("its tag has no digest yet")
                .isEqualTo("ResolvingImage");
        assertThat(revision.at("/status/conditions/1/type").asString()).isEqualTo("ImageResolved");
        assertThat(revision.at("/status/conditions/1/status").asString()).isEqualTo("Unknown");
        assertThat(revision.at("/status/instances/desired").asInt()).as("no runtime in these tests").isZero();
    }

    @Test
    void untilItsRevisionRunsTheServiceSaysWhyItIsNotReady() {
        JsonNode body = create("hello", "nginx").json();
        JsonNode ready = body.at("/status/conditions/0");
        assertThat(ready.get("type").asString()).isEqualTo("Ready");
        assertThat(ready.get("status").asString()).isEqualTo("Unknown");
        assertThat(ready.get("reason").asString()).isEqualTo("RevisionMissing");
        assertThat(ready.get("message").asString()).contains("Waiting for nginx to be resolved to a digest");
        assertThat(body.at("/status/latestReadyRevision").isNull()).isTrue();

        JsonNode command = http().post(path(ns), "{\"name\": \"cmd\", \"template\": {\"command\": [\"serve\"]}}").json();
        assertThat(command.at("/status/conditions/0/message").asString()).as("no image to resolve")
                .contains("Waiting for the runtime");
    }

    @Test
    void changingTheTemplateCreatesTheNextRevisionWithWhoAndWhy() {
        create("hello", "ghcr.io/acme/model:1.0");
        Http.Response updated = http().header("Ebb-Change-Cause", "promote model 1.1")
                .put(path(ns, "hello"), withImage("hello", "ghcr.io/acme/model:1.1"));

        assertThat(updated.status()).as(updated.toString()).isEqualTo(200);
        assertThat(updated.header("ETag")).isEqualTo("\"2\"");
        assertThat(updated.json().at("/status/latestCreatedRevision").asString()).isEqualTo("hello-00002");
        JsonNode revision = http().get(path(ns, "hello") + "/revisions/hello-00002").json();
        assertThat(revision.at("/metadata/changeCause").asString()).isEqualTo("promote model 1.1");
        assertThat(revision.at("/metadata/changes").asString()).isEqualTo("image");
        assertThat(revision.at("/template/image").asString()).isEqualTo("ghcr.io/acme/model:1.1");
        JsonNode first = http().get(path(ns, "hello") + "/revisions/hello-00001").json();
        assertThat(first.at("/template/image").asString()).as("revisions are immutable").isEqualTo("ghcr.io/acme/model:1.0");
    }

    @Test
    void changingLabelsVisibilityOrTrafficCreatesNoRevision() {
        create("hello", "nginx");
        Http.Response patched = http().patch(path(ns, "hello"), "{\"labels\": {\"team\": \"ml\"}, \"visibility\": \"public\"}");

        assertThat(patched.status()).as(patched.toString()).isEqualTo(200);
        assertThat(patched.json().at("/labels/team").asString()).isEqualTo("ml");
        assertThat(patched.json().at("/status/latestCreatedRevision").asString()).isEqualTo("hello-00001");
        assertThat(patched.json().at("/status/url").asString()).isEqualTo("http://hello." + ns + ".ebb.localhost");
        assertThat(http().get(path(ns, "hello") + "/revisions").json().get("items")).hasSize(1);
    }

    @Test
    void sendingBackWhatWasReadChangesNothing() {
        String read = create("hello", "nginx").body();
        Http.Response again = http().put(path(ns, "hello"), read);

        assertThat(again.status()).as(again.toString()).isEqualTo(200);
        assertThat(again.header("ETag")).isEqualTo("\"1\"");
        assertThat(http().get("/api/v1/audit?namespace=" + ns).json().get("items")).hasSize(2);
    }

    @Test
    void equalTemplatesWrittenDifferentlyAreTheSameRevision() {
        http().post(path(ns), "{\"name\": \"hello\", \"template\": {\"image\": \"nginx\", \"scale\": {\"window\": \"60s\"}}}");
        Http.Response same = http().put(path(ns, "hello"),
                "{\"template\": {\"image\": \"nginx\", \"port\": 8080, \"scale\": {\"window\": \"1m\"}}}");
        assertThat(same.json().at("/status/latestCreatedRevision").asString()).isEqualTo("hello-00001");
    }

    @Test
    void aCanarySplitSendsTrafficToTwoRevisionsWithATag() {
        create("hello", "ghcr.io/acme/model:1.0");
        http().put(path(ns, "hello"), withImage("hello", "ghcr.io/acme/model:1.1"));
        Http.Response split = http().put(path(ns, "hello") + "/traffic", """
                {"traffic": [{"latestRevision": true, "percent": 90},
                             {"revision": "hello-00001", "percent": 10, "tag": "stable"}]}""");

        assertThat(split.status()).as(split.toString()).isEqualTo(200);
        JsonNode status = split.json().get("status");
        assertThat(status.at("/traffic/1/revision").asString()).isEqualTo("hello-00001");
        assertThat(status.at("/traffic/1/percent").asInt()).isEqualTo(10);
        assertThat(status.at("/traffic/1/url").asString()).isEqualTo("http://stable-hello." + ns + ".svc.cluster.local");
        assertThat(split.json().at("/status/latestCreatedRevision").asString()).isEqualTo("hello-00002");
    }

    @Test
    void trafficMayNameTheRevisionTheSameRequestCreates() {
        create("hello", "ghcr.io/acme/model:1.0");
        Http.Response updated = http().put(path(ns, "hello"), """
                {"template": {"image": "ghcr.io/acme/model:2.0"},
                 "traffic": [{"revision": "hello-00001", "percent": 100},
                             {"revision": "hello-00002", "percent": 0, "tag": "next"}]}""");
        assertThat(updated.status()).as(updated.toString()).isEqualTo(200);
        assertThat(updated.json().at("/status/traffic/1/url").asString()).startsWith("http://next-hello.");
    }

    @Test
    void theListPagesThroughEveryServiceInNameOrder() {
        for (int i = 0; i < 7; i++) {
            create("svc-" + i, "nginx");
        }
        List<String> names = new ArrayList<>();
        String token = null;
        int pages = 0;
        do {
            JsonNode page = http().get(path(ns) + "?limit=3" + (token == null ? "" : "&continue=" + token)).json();
            page.get("items").forEach(item -> names.add(item.get("name").asString()));
            token = page.get("continue").isNull() ? null : page.get("continue").asString();
            pages++;
        } while (token != null);

        assertThat(pages).isEqualTo(3);
        assertThat(names).containsExactly("svc-0", "svc-1", "svc-2", "svc-3", "svc-4", "svc-5", "svc-6");
    }

    @Test
    void anEmptyNamespaceListsNothing() {
        JsonNode page = http().get(path(Services.freshNamespace())).json();
        assertThat(page.get("items")).isEmpty();
        assertThat(page.get("continue").isNull()).isTrue();
    }

    @Test
    void theServiceCanBeReadAsItWasAtAnEarlierInstant() {
        create("hello", "ghcr.io/acme/model:1.0");
        Instant afterCreate = Instant.now();
        awaitClockPast(afterCreate);
        http().put(path(ns, "hello"), withImage("hello", "ghcr.io/acme/model:2.0"));
        Instant afterUpdate = Instant.now();
        awaitClockPast(afterUpdate);
        assertThat(http().delete(path(ns, "hello")).status()).isEqualTo(204);

        JsonNode then = http().get(path(ns, "hello") + "?at=" + afterCreate).json();
        assertThat(then.at("/template/image").asString()).isEqualTo("ghcr.io/acme/model:1.0");
        assertThat(then.at("/status/latestCreatedRevision").asString()).isEqualTo("hello-00001");
        assertThat(then.propertyNames()).as("shown as the API showed it then").containsExactly("name", "namespace", "labels",
                "visibility", "placement", "coldStartSlo", "template", "traffic", "metadata", "status");
        JsonNode later = http().get(path(ns, "hello") + "?at=" + afterUpdate).json();
        assertThat(later.at("/template/image").asString()).isEqualTo("ghcr.io/acme/model:2.0");
        assertThat(http().get(path(ns, "hello") + "?at=" + Instant.now()).status()).as("deleted by then").isEqualTo(404);
        assertThat(http().get(path(ns, "hello") + "?at=2020-01-01T00:00:00Z").status()).as("not yet created").isEqualTo(404);
    }

    @Test
    void theDiffOfTwoRevisionsNamesWhatChanged() {
        http().post(path(ns), "{\"name\": \"hello\", \"template\": {\"image\": \"m:1\", \"env\": {\"MODEL\": \"a\"}}}");
        http().put(path(ns, "hello"), "{\"template\": {\"image\": \"m:1\", \"env\": {\"MODEL\": \"b\"}, \"scale\": {\"max\": 4}}}");

        JsonNode diff = http().get(path(ns, "hello") + "/revisions/hello-00001/diff/hello-00002").json();
        assertThat(diff.get("identical").asBoolean()).isFalse();
        assertThat(diff.get("changes").findValuesAsString("path")).containsExactly("env.MODEL", "scale.max");
        assertThat(diff.at("/changes/0/from").asString()).isEqualTo("a");
        assertThat(diff.at("/changes/0/to").asString()).isEqualTo("b");
        assertThat(diff.at("/changes/1/from").asInt()).isZero();
        assertThat(diff.at("/changes/1/to").asInt()).isEqualTo(4);
    }

    /** The names of the items of a list, not those nested in them (a revision's trigger has a name too). */
    private static List<String> names(JsonNode items) {
        List<String> names = new ArrayList<>();
        items.forEach(item -> names.add(item.get("name").asString()));
        return names;
    }

    @Test
    void revisionsAreListedNewestFirstAcrossPages() {
        create("hello", "m:1");
        for (int i = 2; i <= 4; i++) {
            http().put(path(ns, "hello"), withImage("hello", "m:" + i));
        }
        JsonNode first = http().get(path(ns, "hello") + "/revisions?limit=3").json();
        assertThat(names(first.get("items"))).containsExactly("hello-00004", "hello-00003", "hello-00002");
        JsonNode second = http().get(path(ns, "hello") + "/revisions?limit=3&continue=" + first.get("continue").asString()).json();
        assertThat(names(second.get("items"))).containsExactly("hello-00001");
        assertThat(second.get("continue").isNull()).isTrue();
    }

    @Test
    void deletingAServiceRemovesItAndItsRevisions() {
        create("hello", "nginx");
        assertThat(http().delete(path(ns, "hello")).status()).isEqualTo(204);
        assertThat(http().get(path(ns, "hello")).status()).isEqualTo(404);
        assertThat(http().get(path(ns, "hello") + "/revisions").status()).isEqualTo(404);
        assertThat(create("hello", "nginx").json().at("/status/latestCreatedRevision").asString())
                .as("a new service of the same name starts over").isEqualTo("hello-00001");
    }

    @Test
    void aMatchingIfMatchLetsTheChangeThrough() {
        String etag = create("hello", "nginx").header("ETag");
        Http.Response updated = http().header("If-Match", etag).patch(path(ns, "hello"), "{\"labels\": {\"a\": \"b\"}}");
        assertThat(updated.status()).isEqualTo(200);
        assertThat(updated.header("ETag")).isEqualTo("\"2\"");
    }

    /** Waits until the wall clock has moved past {@code instant}, so the next write is recorded strictly later. */
    private static void awaitClockPast(Instant instant) {
        org.awaitility.Awaitility.await().until(() -> Instant.now().isAfter(instant.plusMillis(5)));
    }
}
