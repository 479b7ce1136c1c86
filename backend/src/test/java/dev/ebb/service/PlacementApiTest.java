package dev.ebb.service;

import static dev.ebb.support.Kubeconfigs.clusterBody;
import static dev.ebb.support.Kubeconfigs.kubeconfig;
import static dev.ebb.support.Services.path;
import static org.assertj.core.api.Assertions.assertThat;

import dev.ebb.support.ApiTest;
import dev.ebb.support.Http;
import dev.ebb.support.Services;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

class PlacementApiTest extends ApiTest {

    private final String ns = Services.freshNamespace();
    private final String cluster = "c-" + UUID.randomUUID().toString().substring(0, 8);

    private void registerCluster() {
        Http.Response registered = http().post("/api/v1/clusters", clusterBody(cluster, kubeconfig("https://127.0.0.1:9", "t")));
        assertThat(registered.status()).as(registered.body()).isEqualTo(201);
    }

    private static String placedOn(String name, String cluster) {
        return "{\"name\": \"" + name + "\", \"placement\": {\"clusters\": [\"" + cluster + "\"]}, "
                + "\"template\": {\"image\": \"nginx\"}}";
    }

    @Test
    void aServiceWithoutPlacementRunsOnTheControlPlanesOwnCluster() {
        Http.Response created = http().post(path(ns), Services.withImage("hello", "nginx"));

        assertThat(created.status()).as(created.body()).isEqualTo(201);
        assertThat(created.json().at("/placement/clusters/0").asString()).isEqualTo("local");
        assertThat(created.json().at("/placement/clusters").size()).isEqualTo(1);
    }

    @Test
    void anUnregisteredClusterIsRefusedWithTheRegisteredOnesListed() {
        Http.Response refused = http().post(path(ns), placedOn("hello", "prod-eu"));

        assertThat(refused.status()).isEqualTo(422);
        assertThat(refused.contentType()).startsWith("application/problem+json");
        JsonNode error = refused.json().at("/errors/0");
        assertThat(error.get("field").asString()).isEqualTo("placement.clusters[0]");
        assertThat(error.get("message").asString()).contains("'prod-eu'", "not registered", "local", "POST /api/v1/clusters");
        assertThat(http().get(path(ns, "hello")).status()).as("nothing stored").isEqualTo(404);
    }

    @Test
    void aReplaceWithoutPlacementLeavesTheServiceWhereItRunsAndAPatchMovesIt() {
        registerCluster();
        assertThat(http().post(path(ns), placedOn("hello", cluster)).status()).isEqualTo(201);

        Http.Response replaced = http().put(path(ns, "hello"), Services.withImage("hello", "nginx:2"));
        assertThat(replaced.status()).as(replaced.body()).isEqualTo(200);
        assertThat(replaced.json().at("/placement/clusters/0").asString()).isEqualTo(cluster);

        Http.Response moved = http().patch(path(ns, "hello"), "{\"placement\": {\"clusters\": [\"local\"]}}");
        assertThat(moved.status()).as(moved.body()).isEqualTo(200);
        assertThat(moved.json().at("/placement/clusters/0").asString()).isEqualTo("local");
        assertThat(moved.json().at("/status/latestCreatedRevision").asString()).as("a move is no new revision")
                .isEqualTo("hello-00002");
    }

    @Test
    void aClusterThatStillRunsServicesCannotBeDeleted() {
        registerCluster();
        assertThat(http().post(path(ns), placedOn("hello", cluster)).status()).isEqualTo(201);

        Http.Response refused = http().delete("/api/v1/clusters/" + cluster);
        assertThat(refused.status()).isEqualTo(409);
        assertThat(refused.json().get("detail").asString()).contains(ns + "/hello", "place them on another cluster");

        assertThat(http().delete(path(ns, "hello")).status()).isEqualTo(204);
        assertThat(http().delete("/api/v1/clusters/" + cluster).status()).isEqualTo(204);
    }

    @Test
    void anUnknownFieldInThePlacementIsRejectedWithTheNearestName() {
        Http.Response refused = http().post(path(ns), "{\"name\": \"hello\", \"placement\": {\"cluster\": [\"local\"]}, "
                + "\"template\": {\"image\": \"nginx\"}}");
        assertThat(refused.status()).isEqualTo(400);
        assertThat(refused.body()).contains("clusters");
    }
}
