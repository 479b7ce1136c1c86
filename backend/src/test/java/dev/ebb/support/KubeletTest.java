package dev.ebb.support;

import static dev.ebb.support.Services.path;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.ebb.gateway.GatewayMain;
import dev.ebb.gateway.StandaloneGateway;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
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
    /**
     * A port for a test's pods that nothing on this machine listens on for every address: pods have addresses of their
     * own, but share the host's ports with whatever listens on all of them (an Ebb on 8080, the templates' default).
     */
    protected final int instancePort = freePort("0.0.0.0");

    @BeforeAll
    static void startKubelet() throws Exception {
        RealKubernetes.withControllers();
        kubelet = RealKubernetes.first().kubelet(Map.of(IMAGE, List.of(TinyServer.JAVA))).start();
    }

    @AfterAll
    static void stopKubelet() {
        kubelet.close();
    }

    /** The kubelet of the first cluster's node. */
    protected static TestKubelet kubelet() {
        return kubelet;
    }

    /** The clusters a test may register, all removed after it. */
    protected List<String> clusters() {
        return List.of(cluster);
    }

    @AfterEach
    void unregister() {
        for (JsonNode service : http().get(path(ns)).json().get("items")) {
            http().delete(path(ns, service.get("name").asString()));
        }
        for (String registered : clusters()) {
            await().atMost(SLOW).until(() -> http().delete("/api/v1/clusters/" + registered).status() != 409);
        }
    }

    /**
     * A gateway of its own (in this JVM, as it runs in a cluster) listening on {@code host}: it routes
     * with cluster {@code name}'s snapshot from this control plane and takes other clusters' requests on
     * {@code peerPort} (0 for none).
     */
    protected StandaloneGateway gatewayIn(String name, String host, int peerPort, Path data) {
        return GatewayMain.start("--ebb.gateway.control-plane-url=http://127.0.0.1:" + port,
                "--ebb.gateway.token=" + newGatewayToken(), "--ebb.gateway.host=" + host,
                "--ebb.gateway.port=0", "--ebb.gateway.public-port=0", "--ebb.gateway.health-port=0",
                "--ebb.gateway.max-backoff=200ms", "--ebb.gateway.cluster=" + name, "--ebb.gateway.peer-port=" + peerPort,
                "--ebb.gateway.peer-probe-interval=500ms", "--ebb.data-dir=" + data);
    }

    /** The value of a new gateway token, one for each gateway a test starts. */
    protected String newGatewayToken() {
        Http.Response token = http().post("/api/v1/tokens", "{\"name\": \"gw-" + UUID.randomUUID() + "\", \"kind\": \"gateway\"}");
        assertThat(token.status()).as(token.body()).isEqualTo(201);
        return token.json().get("value").asString();
    }

    /** A port free on {@code host} now. */
    protected static int freePort(String host) {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getByName(host))) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
