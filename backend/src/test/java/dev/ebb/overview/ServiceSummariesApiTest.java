package dev.ebb.overview;

import static dev.ebb.support.Services.path;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.ebb.coldstart.ColdStartRecorder;
import dev.ebb.feed.ColdStart;
import dev.ebb.support.ApiTest;
import dev.ebb.support.Http;
import dev.ebb.support.Services;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import tools.jackson.databind.JsonNode;

/** GET /api/v1/services: every namespace the caller reads, filtered and paged in SQL, now or at an instant. */
class ServiceSummariesApiTest extends ApiTest {

    private final String ns = Services.freshNamespace();
    private final String otherNs = Services.freshNamespace();
    /** Part of every name this test creates, so that a search over every namespace finds only them. */
    private final String tag = "s" + UUID.randomUUID().toString().substring(0, 6);

    @Autowired
    ColdStartRecorder coldStarts;

    private void create(String namespace, String name, String labels) {
        Http.Response created = http().post(path(namespace),
                "{\"name\": \"" + name + "\", \"labels\": " + labels + ", \"template\": {\"image\": \"m:1\"}}");
        assertThat(created.status()).as(created.toString()).isEqualTo(201);
    }

    private Http withGrant(String namespace, String role) {
        Http.Response created = http().post("/api/v1/tokens", "{\"name\": \"" + tag + "-" + UUID.randomUUID().toString().substring(0, 6)
                + "\", \"grants\": [{\"namespace\": \"" + namespace + "\", \"role\": \"" + role + "\"}]}");
        assertThat(created.status()).as(created.toString()).isEqualTo(201);
        return anonymous().header("Authorization", "Bearer " + created.json().get("value").asString());
    }

    private static String query(String... pairs) {
        StringBuilder query = new StringBuilder("/api/v1/services");
        for (int i = 0; i < pairs.length; i += 2) {
            query.append(i == 0 ? '?' : '&').append(pairs[i]).append('=').append(URLEncoder.encode(pairs[i + 1], StandardCharsets.UTF_8));
        }
        return query.toString();
    }

    private static List<String> names(JsonNode page) {
        List<String> names = new ArrayList<>();
        page.get("items").forEach(item -> names.add(item.get("namespace").asString() + "/" + item.get("name").asString()));
        return names;
    }

    private JsonNode list(Http as, String... pairs) {
        Http.Response response = as.get(query(pairs));
        assertThat(response.status()).as(response.toString()).isEqualTo(200);
        return response.json();
    }

    @Test
    void aViewerOfOneNamespaceSeesOnlyItAndAStarViewerSeesEvery() {
        create(ns, tag + "-b", "{}");
        create(ns, tag + "-a", "{}");
        create(otherNs, tag + "-c", "{}");
        String first = ns.compareTo(otherNs) < 0 ? ns : otherNs;

        JsonNode own = list(withGrant(ns, "viewer"));
        assertThat(names(own)).containsExactly(ns + "/" + tag + "-a", ns + "/" + tag + "-b");
        assertThat(own.get("total").asLong()).isEqualTo(2);

        JsonNode every = list(withGrant("*", "viewer"), "q", tag);
        assertThat(names(every)).hasSize(3).startsWith(first + "/" + tag + (first.equals(ns) ? "-a" : "-c"));
        assertThat(every.get("total").asLong()).isEqualTo(3);

        Http.Response elsewhere = withGrant(ns, "viewer").get(query("namespace", otherNs));
        assertThat(elsewhere.status()).as(elsewhere.toString()).isEqualTo(403);
        assertThat(elsewhere.json().get("detail").asString()).contains("no role in namespace '" + otherNs + "'");
    }

    @Test
    void aRowCarriesTheServicesStatusTrafficAndNoColdStartsYet() {
        create(ns, "resnet", "{\"team\": \"vision\"}");

        JsonNode row = list(http(), "namespace", ns).get("items").get(0);

        assertThat(row.get("labels").get("team").asString()).isEqualTo("vision");
        assertThat(row.get("visibility").asString()).isEqualTo("cluster-local");
        assertThat(row.get("url").asString()).isEqualTo("http://resnet." + ns + ".svc.cluster.local");
        assertThat(row.at("/ready/status").asString()).isEqualTo("Unknown");
        assertThat(row.get("latestCreatedRevision").asString()).isEqualTo("resnet-00001");
        assertThat(row.get("latestReadyRevision").isNull()).isTrue();
        assertThat(row.at("/traffic/0/latestRevision").asBoolean()).isTrue();
        assertThat(row.at("/traffic/0/percent").asInt()).isEqualTo(100);
        assertThat(row.at("/instances/desired").asInt()).as("no runtime in this test").isZero();
        assertThat(row.at("/coldStart/slo").asString()).isEqualTo("10s");
        assertThat(row.at("/coldStart/sloMs").asLong()).isEqualTo(10_000);
        assertThat(row.at("/coldStart/count").asLong()).isZero();
        assertThat(row.at("/coldStart/p95Ms").isNull()).isTrue();
        assertThat(row.at("/coldStart/withinSlo").isNull()).isTrue();
        assertThat(row.get("updatedBy").asString()).isEqualTo("token:bootstrap");
        assertThat(Instant.parse(row.get("updatedAt").asString())).isBefore(Instant.now().plusSeconds(1));
    }

    @Test
    void aRowCarriesEveryConditionSoRoutesAndTheLatestRevisionCanBeToldApart() {
        create(ns, "resnet", "{}");

        JsonNode row = list(http(), "namespace", ns).get("items").get(0);

        assertThat(row.get("conditions").findValuesAsString("type")).containsExactly("Ready", "ConfigurationsReady", "RoutesReady");
        assertThat(row.at("/conditions/0/status").asString()).isEqualTo(row.at("/ready/status").asString());
    }

    @Test
    void theLatestChangesOfTheReadableServicesComeNewestFirst() {
        create(ns, tag + "-a", "{\"team\": \"ml\"}");
        create(ns, tag + "-b", "{}");
        create(otherNs, tag + "-c", "{}");
        Http.Response pinned = http().patch(path(ns, tag + "-a"), "{\"traffic\": [{\"revision\": \""
                + tag + "-a-00001\", \"percent\": 100}]}");
        assertThat(pinned.status()).as(pinned.toString()).isEqualTo(200);
        assertThat(http().delete(path(ns, tag + "-b")).status()).isEqualTo(204);

        JsonNode changes = changes(withGrant(ns, "viewer"), "");
        List<String> seen = new ArrayList<>();
        changes.get("items").forEach(c -> seen.add(c.get("name").asString() + (c.get("deleted").asBoolean() ? " deleted" : "")));
        assertThat(seen).as("a viewer of one namespace sees its changes only").containsExactly(tag + "-b deleted", tag + "-a",
                tag + "-b", tag + "-a");
        List<Instant> instants = new ArrayList<>();
        changes.get("items").forEach(c -> instants.add(Instant.parse(c.get("at").asString())));
        assertThat(instants).isSortedAccordingTo(java.util.Comparator.reverseOrder());
        JsonNode atLatest = list(http(), "namespace", ns, "at", changes.at("/items/1/at").asString());
        assertThat(names(atLatest)).as("the services read at a change's instant include that change")
                .containsExactly(ns + "/" + tag + "-a", ns + "/" + tag + "-b");
        assertThat(atLatest.at("/items/0/traffic/0/latestRevision").asBoolean()).isFalse();

        assertThat(changes(http(), "&limit=1&labelSelector=team%3Dml&q=" + tag).get("items").findValuesAsString("name"))
                .containsExactly(tag + "-a");
        Http.Response bad = http().get("/api/v1/services/changes?limit=101");
        assertThat(bad.status()).isEqualTo(400);
        assertThat(bad.json().get("detail").asString()).contains("between 1 and 100");
        assertThat(http().get("/api/v1/services/changes?at=" + Instant.now()).json().get("errors").findValuesAsString("field"))
                .as("the changes take no instant").containsExactly("at");
    }

    private JsonNode changes(Http as, String query) {
        Http.Response response = as.get("/api/v1/services/changes?namespace=" + ns + query);
        assertThat(response.status()).as(response.toString()).isEqualTo(200);
        return response.json();
    }

    @Test
    void filtersByNamespaceLabelsAndPartOfTheName() {
        create(ns, "resnet", "{\"team\": \"ml\", \"tier\": \"online\", \"gpu\": \"a100\"}");
        create(ns, "bert-batch", "{\"team\": \"ml\", \"tier\": \"batch\"}");
        create(ns, "frontend", "{\"team\": \"web\"}");
        create(otherNs, "resnet", "{\"team\": \"ml\"}");

        assertThat(names(list(http(), "namespace", ns, "labelSelector", "team=ml")))
                .containsExactly(ns + "/bert-batch", ns + "/resnet");
        assertThat(names(list(http(), "namespace", ns, "labelSelector", "team==ml, tier!=batch")))
                .containsExactly(ns + "/resnet");
        assertThat(names(list(http(), "namespace", ns, "labelSelector", "tier!=batch")))
                .as("a service without the label satisfies !=").containsExactly(ns + "/frontend", ns + "/resnet");
        assertThat(names(list(http(), "namespace", ns, "labelSelector", "gpu"))).containsExactly(ns + "/resnet");
        assertThat(names(list(http(), "namespace", ns, "q", "BATCH"))).containsExactly(ns + "/bert-batch");
        JsonNode both = list(http(), "q", "resnet", "labelSelector", "team=ml");
        assertThat(names(both)).contains(ns + "/resnet", otherNs + "/resnet");
        assertThat(names(list(http(), "namespace", otherNs, "q", "%"))).as("q is plain text, not a pattern").isEmpty();
    }

    @Test
    void pagingWithContinueReturnsEveryServiceOnceAndTheTotalOnEveryPage() {
        for (int i = 0; i < 5; i++) {
            create(ns, "svc-" + i, "{}");
        }
        create(otherNs, "svc-x", "{}");
        Http viewer = withGrant(ns, "viewer");

        List<String> seen = new ArrayList<>();
        String token = null;
        int pages = 0;
        do {
            JsonNode page = token == null ? list(viewer, "limit", "2") : list(viewer, "limit", "2", "continue", token);
            assertThat(page.get("total").asLong()).isEqualTo(5);
            seen.addAll(names(page));
            token = page.get("continue").isNull() ? null : page.get("continue").asString();
            pages++;
        } while (token != null);

        assertThat(pages).isEqualTo(3);
        assertThat(seen).containsExactly(ns + "/svc-0", ns + "/svc-1", ns + "/svc-2", ns + "/svc-3", ns + "/svc-4");
    }

    @Test
    void badQueryParametersGetA400ThatSaysWhatToFix() {
        assertBad(query("labelSelector", "team in (ml,web)"), "labelSelector", "team in (ml,web)");
        assertBad(query("labelSelector", "team=ml,,tier=x"), "labelSelector", "empty term");
        assertBad(query("labelSelector", "team=m l"), "labelSelector", "'team=m l'");
        assertBad(query("labelSelector", "!gpu"), "labelSelector", "'!gpu'");
        assertBad(query("labelselector", "team=ml"), "labelselector", "did you mean 'labelSelector'?");
        assertBad(query("at", "yesterday"), "at", "RFC 3339");
        assertBad(query("at", Instant.now().plusSeconds(3600).toString()), "at", "in the future");
        assertBad(query("limit", "501"), "limit", "between 1 and 500");
        assertBad(query("continue", "bm9wZQ"), "continue", "token");
    }

    private void assertBad(String path, String field, String detail) {
        Http.Response response = http().get(path);
        assertThat(response.status()).as(path + " " + response).isEqualTo(400);
        assertThat(response.contentType()).startsWith("application/problem+json");
        assertThat(response.json().get("errors").findValuesAsString("field")).containsExactly(field);
        assertThat(response.json().get("detail").asString()).contains(detail);
    }

    @Test
    void atAnInstantShowsEarlierTrafficAndLeavesOutServicesCreatedLaterOrDeletedBefore() {
        create(ns, "gone", "{}");
        assertThat(http().delete(path(ns, "gone")).status()).isEqualTo(204);
        create(ns, "kept", "{}");
        Instant at = Instant.now();
        http().put(path(ns, "kept"), "{\"template\": {\"image\": \"m:2\"}, \"traffic\": [{\"revision\": \"kept-00001\", \"percent\": 90, "
                + "\"tag\": \"stable\"}, {\"latestRevision\": true, \"percent\": 10}]}");
        create(ns, "later", "{}");

        JsonNode then = list(http(), "namespace", ns, "at", at.toString());
        assertThat(names(then)).containsExactly(ns + "/kept");
        assertThat(then.get("total").asLong()).isEqualTo(1);
        JsonNode kept = then.get("items").get(0);
        assertThat(kept.get("latestCreatedRevision").asString()).isEqualTo("kept-00001");
        assertThat(kept.get("traffic")).hasSize(1);
        assertThat(kept.at("/traffic/0/latestRevision").asBoolean()).isTrue();
        assertThat(kept.get("instances").isNull()).isTrue();
        assertThat(kept.get("coldStart").isNull()).isTrue();

        JsonNode now = list(http(), "namespace", ns);
        assertThat(names(now)).containsExactly(ns + "/kept", ns + "/later");
        JsonNode keptNow = now.get("items").get(0);
        assertThat(keptNow.get("latestCreatedRevision").asString()).isEqualTo("kept-00002");
        assertThat(keptNow.at("/traffic/0/revision").asString()).isEqualTo("kept-00001");
        assertThat(keptNow.at("/traffic/0/tag").asString()).isEqualTo("stable");
        assertThat(keptNow.at("/traffic/0/url").asString()).isEqualTo("http://stable-kept." + ns + ".svc.cluster.local");
    }

    @Test
    void aRecordedColdStartAppearsOnTheRowWithItsPercentileAgainstTheSlo() {
        create(ns, "hello", "{}");
        create(ns, "quiet", "{}");
        http().patch(path(ns, "hello"), "{\"coldStartSlo\": \"2s\"}");
        Instant arrived = Instant.now().minusSeconds(60);
        for (long totalMs : new long[] {1000, 1500, 3000}) {
            coldStarts.record(new ColdStart(ns, "hello", "hello-00001", "hello-00001-a", "r" + totalMs, arrived,
                    arrived.plusMillis(totalMs - 10), arrived.plusMillis(totalMs), 200));
        }
        Instant dayAgo = Instant.now().minusSeconds(25 * 3600);
        coldStarts.record(new ColdStart(ns, "hello", "hello-00001", "hello-00001-a", "old", dayAgo, dayAgo.plusSeconds(9),
                dayAgo.plusSeconds(10), 200));

        JsonNode hello = await().until(() -> list(http(), "namespace", ns, "q", "hello").get("items").get(0),
                row -> row.at("/coldStart/count").asLong() == 3);

        assertThat(hello.at("/coldStart/slo").asString()).isEqualTo("2s");
        assertThat(hello.at("/coldStart/sloMs").asLong()).isEqualTo(2000);
        assertThat(hello.at("/coldStart/p95Ms").asLong()).isEqualTo(3000);
        assertThat(hello.at("/coldStart/withinSlo").asBoolean()).isFalse();
        JsonNode perRevision = http().get(path(ns, "hello") + "/coldstarts?since=" + arrived.minusSeconds(1)).json();
        assertThat(perRevision.at("/revisions/0/p95Ms").asLong()).as("the same percentile as GET .../coldstarts").isEqualTo(3000);
        assertThat(list(http(), "namespace", ns, "q", "quiet").at("/items/0/coldStart/count").asLong()).isZero();
    }
}
