package dev.ebb.runtime.kubernetes;

import static dev.ebb.support.Kubeconfigs.clusterBody;
import static dev.ebb.support.Services.path;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.ebb.support.KubeletTest;
import dev.ebb.support.Http;
import dev.ebb.support.RealKubernetes;
import dev.ebb.support.TinyServer;
import io.kubernetes.client.openapi.ApiException;
import io.kubernetes.client.openapi.apis.AppsV1Api;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.annotation.DirtiesContext;
import tools.jackson.databind.JsonNode;

/**
 * A revision whose Deployment failed its progress deadline on the real API server, retried through the API: the
 * Deployment is created afresh (new pods, a new deadline), whether it was still there (a revision with traffic) or held
 * at zero and pruned (one nobody routes to, as here: a service's first revision that never became ready has no traffic).
 */
@DirtiesContext
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {"ebb.runtime.enabled=true",
        "ebb.kubernetes.observe-interval=200ms", "ebb.kubernetes.progress-deadline=8s"})
class KubernetesRetryTest extends KubeletTest {

    private JsonNode ready() {
        return ready("doomed-00001");
    }

    private JsonNode ready(String revision) {
        return http().get(path(ns, "doomed") + "/revisions/" + revision).json().at("/status/conditions/0");
    }

    private String deploymentUid() throws Exception {
        return deploymentUid("doomed-00001");
    }

    /** The Deployment's uid, or null when there is none (a failed revision nobody routes to is held at zero). */
    private String deploymentUid(String revision) throws Exception {
        try {
            return new AppsV1Api(RealKubernetes.client()).readNamespacedDeployment(revision, ns).execute().getMetadata()
                    .getUid();
        } catch (ApiException e) {
            if (e.getCode() == 404) {
                return null;
            }
            throw e;
        }
    }

    @Test
    void aRevisionPastItsProgressDeadlineIsRolledOutAfreshWhenRetried() throws Exception {
        Http.Response registered = http().post("/api/v1/clusters", clusterBody(cluster, RealKubernetes.kubeconfig()));
        assertThat(registered.status()).as(registered.body()).isEqualTo(201);
        String doomed = """
                {"name": "doomed", "placement": {"clusters": ["%s"]}, "template": {"image": "%s", "command": ["sh"],
                 "args": ["-c", "echo weights not found; exit 4"]}}""".formatted(cluster, IMAGE);
        assertThat(http().post(path(ns), doomed).status()).isEqualTo(201);

        await().atMost(SLOW).untilAsserted(() -> {
            assertThat(ready().get("reason").asString()).isEqualTo("ProgressDeadlineExceeded");
            assertThat(ready().get("message").asString()).as("the cause stays").contains("exited with 4");
        });
        String failedUid = deploymentUid();

        Http.Response retried = http().post(path(ns, "doomed") + "/revisions/doomed-00001/retry", null);
        assertThat(retried.status()).as(retried.body()).isEqualTo(200);

        // A new Deployment, so a new rollout with its own deadline: until it passes, the revision is trying again.
        await().atMost(SLOW).until(() -> {
            String uid = deploymentUid();
            return uid != null && !uid.equals(failedUid);
        });
        await().atMost(SLOW).until(() -> !"ProgressDeadlineExceeded".equals(ready().get("reason").asString()));
        JsonNode audit = http().get("/api/v1/audit?namespace=" + ns + "&service=doomed").json().get("items");
        assertThat(audit.findValuesAsString("action")).contains("revision.retry");
        // Still the same broken command: past the new deadline it fails again, saying why.
        await().atMost(SLOW).untilAsserted(() -> assertThat(ready().get("reason").asString()).isEqualTo("ProgressDeadlineExceeded"));
    }

    @Test
    void aTaggedRevisionPastItsDeadlineKeepsItsDeploymentUntilARetryRollsItOutAfresh() throws Exception {
        Http.Response registered = http().post("/api/v1/clusters", clusterBody(cluster, RealKubernetes.kubeconfig()));
        assertThat(registered.status()).as(registered.body()).isEqualTo(201);
        String working = """
                {"name": "doomed", "placement": {"clusters": ["%s"]}, "template": {"image": "%s", "args": ["%s", "$(PORT)"],
                 "readiness": {"path": "/healthz"}}}""".formatted(cluster, IMAGE, TinyServer.program());
        assertThat(http().post(path(ns), working).status()).isEqualTo(201);
        await().atMost(SLOW).until(() -> "True".equals(ready("doomed-00001").get("status").asString()));
        String broken = """
                {"placement": {"clusters": ["%s"]}, "template": {"image": "%s", "command": ["sh"],
                 "args": ["-c", "echo weights not found; exit 4"]}}""".formatted(cluster, IMAGE);
        assertThat(http().put(path(ns, "doomed"), broken).status()).isEqualTo(200);
        // The canary gets a tag, so it keeps being tried past its deadline rather than held at zero.
        Http.Response tagged = http().put(path(ns, "doomed") + "/traffic", """
                {"traffic": [{"revision": "doomed-00001", "percent": 100},
                             {"revision": "doomed-00002", "percent": 0, "tag": "next"}]}""");
        assertThat(tagged.status()).as(tagged.body()).isEqualTo(200);

        await().atMost(SLOW).untilAsserted(() -> assertThat(ready("doomed-00002").get("reason").asString())
                .isEqualTo("ProgressDeadlineExceeded"));
        String failedUid = deploymentUid("doomed-00002");
        assertThat(failedUid).as("a tagged revision keeps its Deployment").isNotNull();

        Http.Response retried = http().post(path(ns, "doomed") + "/revisions/doomed-00002/retry", null);
        assertThat(retried.status()).as(retried.body()).isEqualTo(200);

        await().atMost(SLOW).until(() -> {
            String uid = deploymentUid("doomed-00002");
            return uid != null && !uid.equals(failedUid);
        });
        await().atMost(SLOW).until(() -> !"ProgressDeadlineExceeded".equals(ready("doomed-00002").get("reason").asString()));
        assertThat(ready("doomed-00001").get("status").asString()).as("the serving revision is untouched").isEqualTo("True");
    }
}
