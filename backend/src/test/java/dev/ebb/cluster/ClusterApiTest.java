package dev.ebb.cluster;

import static dev.ebb.support.Kubeconfigs.clusterBody;
import static dev.ebb.support.Kubeconfigs.jsonString;
import static dev.ebb.support.Kubeconfigs.kubeconfig;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ebb.support.ApiTest;
import dev.ebb.support.Http;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;
import tools.jackson.databind.JsonNode;

class ClusterApiTest extends ApiTest {

    private static final String CLUSTERS = "/api/v1/clusters";

    @Autowired
    Clusters clusters;

    @Autowired
    JdbcTemplate jdbc;

    private final String name = "c-" + UUID.randomUUID().toString().substring(0, 8);
    private final String token = "tok-" + UUID.randomUUID();

    private Http.Response create() {
        return http().post(CLUSTERS, clusterBody(name, kubeconfig("https://127.0.0.1:6443", token)));
    }

    /** The newest audit event of this test's cluster. */
    private JsonNode latestEvent() {
        for (JsonNode event : http().get("/api/v1/audit?limit=100").json().get("items")) {
            if (event.get("target").asString().equals("clusters/" + name)) {
                return event;
            }
        }
        throw new AssertionError("no audit event for cluster " + name);
    }

    @Test
    void aRegisteredClusterShowsWhereItPointsButNeverItsKubeconfig() {
        Http.Response created = create();

        assertThat(created.status()).as(created.body()).isEqualTo(201);
        assertThat(created.header("Location")).isEqualTo(CLUSTERS + "/" + name);
        assertThat(created.header("ETag")).isEqualTo("\"1\"");
        JsonNode cluster = http().get(CLUSTERS + "/" + name).json();
        assertThat(cluster.get("name").asString()).isEqualTo(name);
        assertThat(cluster.get("kind").asString()).isEqualTo("kubernetes");
        assertThat(cluster.get("description").asString()).isEqualTo("test cluster");
        assertThat(cluster.get("server").asString()).isEqualTo("https://127.0.0.1:6443");
        assertThat(cluster.get("context").asString()).isEqualTo("prod-admin");
        assertThat(cluster.at("/kubeconfig/stored").asBoolean()).isTrue();
        assertThat(cluster.at("/kubeconfig/encryptedWith").asString()).isNotBlank();
        assertThat(cluster.at("/kubeconfig").has("changed")).isFalse();
        assertThat(cluster.at("/metadata/createdBy").asString()).isEqualTo("token:bootstrap");
        assertThat(cluster.toString()).doesNotContain(token);
        assertThat(clusters.kubeconfig(name)).contains("token: " + token);
    }

    @Test
    void theBuiltInLocalClusterIsListedAmongTheRegisteredOnes() {
        create();

        JsonNode items = http().get(CLUSTERS + "?limit=1000").json().get("items");
        assertThat(items.findValuesAsString("name")).contains("local", name).isSorted();
        JsonNode local = http().get(CLUSTERS + "/local").json();
        assertThat(local.get("kind").asString()).isEqualTo("local");
        assertThat(local.get("kubeconfig").isNull()).isTrue();
    }

    @Test
    void listsPageByNameWithLocalInItsPlace() {
        create();
        JsonNode first = http().get(CLUSTERS + "?limit=1").json();
        assertThat(first.get("items")).hasSize(1);

        String continueToken = first.get("continue").asString();
        JsonNode rest = http().get(CLUSTERS + "?limit=1000&continue=" + continueToken).json();
        assertThat(rest.get("items").findValuesAsString("name")).doesNotContain(first.get("items").get(0).get("name").asString());
    }

    @Test
    void theLocalClusterCannotBeCreatedReplacedOrDeleted() {
        Http.Response create = http().post(CLUSTERS, clusterBody("local", kubeconfig("https://127.0.0.1", token)));
        Http.Response replace = http().put(CLUSTERS + "/local", "{\"description\": \"mine\"}");
        Http.Response delete = http().delete(CLUSTERS + "/local");

        assertThat(create.status()).isEqualTo(409);
        assertThat(create.json().get("detail").asString()).contains("'local' is a built-in cluster", "child processes");
        assertThat(replace.status()).isEqualTo(409);
        assertThat(replace.json().get("detail").asString()).contains("it cannot be replaced");
        assertThat(delete.status()).isEqualTo(409);
        assertThat(delete.json().get("detail").asString()).contains("it cannot be deleted");
    }

    @Test
    void aSecondClusterOfTheSameNameIsAConflict() {
        create();

        Http.Response again = create();

        assertThat(again.status()).isEqualTo(409);
        assertThat(again.json().get("detail").asString()).contains("Cluster '" + name + "' already exists");
    }

    @Test
    void anInvalidKubeconfigAndNameAreReportedTogether() {
        Http.Response response = http().post(CLUSTERS, "{\"name\": \"Prod_EU\", \"kubeconfig\": "
                + jsonString("clusters: []\ncurrent-context: x\n") + "}");

        assertThat(response.status()).isEqualTo(422);
        assertThat(response.json().get("errors").findValuesAsString("field"))
                .contains("name", "kubeconfig.clusters", "kubeconfig.contexts", "kubeconfig.users");
    }

    @Test
    void anUnknownFieldIsRefusedWithTheNearestKnownName() {
        Http.Response response = http().post(CLUSTERS, "{\"name\": \"" + name + "\", \"kubeconfg\": \"x\"}");

        assertThat(response.status()).isEqualTo(400);
        assertThat(response.json().get("detail").asString()).contains("unknown field 'kubeconfg'; did you mean 'kubeconfig'?");
    }

    @Test
    void replacingTheDescriptionKeepsTheStoredKubeconfig() {
        create();

        Http.Response replaced = http().header("If-Match", "\"1\"").put(CLUSTERS + "/" + name, "{\"description\": \"eu prod\"}");

        assertThat(replaced.status()).as(replaced.body()).isEqualTo(200);
        assertThat(replaced.json().get("description").asString()).isEqualTo("eu prod");
        assertThat(replaced.header("ETag")).isEqualTo("\"2\"");
        assertThat(clusters.kubeconfig(name)).contains(token);
        JsonNode update = latestEvent();
        assertThat(update.get("action").asString()).isEqualTo("cluster.update");
        assertThat(update.get("target").asString()).isEqualTo("clusters/" + name);
        assertThat(update.at("/before/description").asString()).isEqualTo("test cluster");
        assertThat(update.at("/after/kubeconfig/changed").asBoolean()).isFalse();
    }

    @Test
    void replacingTheKubeconfigMovesTheServerAndIsAudited() {
        create();
        String newToken = "tok-" + UUID.randomUUID();

        Http.Response replaced = http().put(CLUSTERS + "/" + name,
                "{\"kubeconfig\": " + jsonString(kubeconfig("https://127.0.0.2", newToken)) + "}");

        assertThat(replaced.status()).as(replaced.body()).isEqualTo(200);
        assertThat(replaced.json().get("server").asString()).isEqualTo("https://127.0.0.2");
        assertThat(replaced.json().get("description").isNull()).isTrue();
        assertThat(clusters.kubeconfig(name)).contains(newToken);
        JsonNode update = latestEvent();
        assertThat(update.at("/after/kubeconfig/changed").asBoolean()).isTrue();
        assertThat(update.toString()).doesNotContain(newToken).doesNotContain(token);
    }

    @Test
    void aStaleIfMatchIsRefused() {
        create();

        Http.Response stale = http().header("If-Match", "\"7\"").put(CLUSTERS + "/" + name, "{\"description\": \"x\"}");
        Http.Response staleDelete = http().header("If-Match", "\"7\"").delete(CLUSTERS + "/" + name);

        assertThat(stale.status()).isEqualTo(412);
        assertThat(staleDelete.status()).isEqualTo(412);
    }

    @Test
    void aDeletedClusterIsGoneAndItsDeletionAudited() {
        create();

        assertThat(http().delete(CLUSTERS + "/" + name).status()).isEqualTo(204);

        assertThat(http().get(CLUSTERS + "/" + name).status()).isEqualTo(404);
        assertThat(http().delete(CLUSTERS + "/" + name).status()).isEqualTo(404);
        JsonNode delete = latestEvent();
        assertThat(delete.get("action").asString()).isEqualTo("cluster.delete");
        assertThat(delete.at("/before/name").asString()).isEqualTo(name);
        assertThat(delete.get("after").isNull()).isTrue();
    }

    @Test
    void aKubeconfigCopiedIntoAnotherClustersRowDoesNotDecrypt() {
        create();
        String other = name + "-copy";
        http().post(CLUSTERS, clusterBody(other, kubeconfig("https://127.0.0.2", "tok-other")));

        jdbc.update("update clusters set kubeconfig_ciphertext = (select kubeconfig_ciphertext from clusters where name = ?)"
                + " where name = ?", name, other);

        assertThatThrownBy(() -> clusters.kubeconfig(other))
                .hasMessageContaining("The stored secret of cluster/" + other + " failed its integrity check")
                .hasMessageNotContaining(token);
        Http.Response fixed = http().put(CLUSTERS + "/" + other,
                "{\"kubeconfig\": " + jsonString(kubeconfig("https://127.0.0.2", "tok-other")) + "}");
        assertThat(fixed.status()).as(fixed.body()).isEqualTo(200);
        assertThat(clusters.kubeconfig(other)).contains("tok-other");
    }
}
