package dev.ebb.runtime.kubernetes;

import static dev.ebb.support.Services.path;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.ebb.support.ApiTest;
import dev.ebb.support.Http;
import dev.ebb.support.RealKubernetes;
import dev.ebb.support.Services;
import io.kubernetes.client.openapi.ApiException;
import io.kubernetes.client.openapi.apis.AppsV1Api;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.JsonNode;

/**
 * Ebb inside a cluster runs revisions there with its own service account, with no cluster to register, and runs no
 * child processes of its own.
 */
@DirtiesContext
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {"ebb.runtime.enabled=true",
        "ebb.kubernetes.in-cluster.name=in-cluster", "ebb.placement.default-cluster=in-cluster", "ebb.runtime.local.enabled=false",
        "ebb.kubernetes.observe-interval=200ms"})
class InClusterTest extends ApiTest {

    private final String ns = Services.freshNamespace();

    @DynamicPropertySource
    static void serviceAccount(DynamicPropertyRegistry registry) {
        RealKubernetes.inCluster(registry);
    }

    @AfterEach
    void cleanUp() {
        for (JsonNode service : http().get(path(ns)).json().get("items")) {
            http().delete(path(ns, service.get("name").asString()));
        }
    }

    @Test
    void aServiceWithoutPlacementRunsInTheClusterEbbRunsIn() {
        JsonNode cluster = http().get("/api/v1/clusters/in-cluster").json();
        assertThat(cluster.get("kind").asString()).isEqualTo("kubernetes");
        assertThat(cluster.get("server").asString()).isEqualTo(RealKubernetes.serviceAccountFiles().apiServer());
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
            JsonNode status = http().get("/api/v1/clusters/in-cluster").json().get("status");
            assertThat(status.get("reachable").asBoolean()).as(status.toString()).isTrue();
            assertThat(status.get("version").asString()).as("the API server's gitVersion").contains(RealKubernetes.VERSION);
        });
        assertThat(http().delete("/api/v1/clusters/in-cluster").status()).as("built in").isEqualTo(409);
        assertThat(http().get("/api/v1/clusters/local").status()).as("no child processes in this Ebb").isEqualTo(404);

        Http.Response created = http().post(path(ns), Services.withImage("hello", "dev.local/hello:1"));
        assertThat(created.status()).as(created.body()).isEqualTo(201);
        assertThat(created.json().at("/placement/clusters/0").asString()).isEqualTo("in-cluster");

        AppsV1Api apps = new AppsV1Api(RealKubernetes.client());
        // 404 until the reconciler has applied it.
        await().atMost(Duration.ofSeconds(60)).ignoreExceptionsInstanceOf(ApiException.class).untilAsserted(() ->
                assertThat(apps.readNamespacedDeployment("hello-00001", ns).execute().getMetadata().getLabels())
                        .containsEntry("ebb.dev/revision", "hello-00001"));
    }
}
