package dev.ebb.support;

import static dev.ebb.support.Services.path;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import tools.jackson.databind.JsonNode;

/**
 * Ebb beside a real Kubernetes control plane (kube-apiserver and kube-controller-manager: Deployments really make
 * ReplicaSets and Pods) whose pods a test kubelet runs as local processes. Each test registers the cluster under its own
 * name in its own namespace, and leaves neither a service nor the cluster behind in the shared database.
 */
public abstract class KubeletTest extends ApiTest {

    protected static final Duration SLOW = Duration.ofSeconds(120);
    /** On the skip list (EBB_REGISTRY_SKIP): only the test kubelet has it, so no registry is asked for its digest. */
    protected static final String IMAGE = "dev.local/tiny:1";
    private static TestKubelet kubelet;

    protected final String ns = Services.freshNamespace();
    protected final String cluster = "k-" + UUID.randomUUID().toString().substring(0, 8);

    @BeforeAll
    static void startKubelet() throws Exception {
        RealKubernetes.withControllers();
        kubelet = new TestKubelet(RealKubernetes.client(), Map.of(IMAGE, List.of(TinyServer.JAVA)),
                Path.of("target", "kube", "pods")).start();
    }

    @AfterAll
    static void stopKubelet() {
        kubelet.close();
    }

    @AfterEach
    void unregister() {
        for (JsonNode service : http().get(path(ns)).json().get("items")) {
            http().delete(path(ns, service.get("name").asString()));
        }
        await().atMost(SLOW).until(() -> http().delete("/api/v1/clusters/" + cluster).status() != 409);
    }
}
