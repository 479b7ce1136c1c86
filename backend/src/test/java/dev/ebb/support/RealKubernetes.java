package dev.ebb.support;

import dev.ebb.runtime.kubernetes.ApiClients;
import io.kubernetes.client.openapi.ApiClient;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.function.Predicate;
import org.springframework.test.context.DynamicPropertyRegistry;

/**
 * The real Kubernetes clusters of a test JVM: a real kube-apiserver (1.20.2) with etcd each, from the binaries that
 * {@code scripts/kube-test-binaries.sh} builds under {@code ~/.cache/ebb/kube} ({@code EBB_KUBE_DIR} moves it). Most
 * tests use the first, through the static methods here; tests of several clusters also start the {@link #second()},
 * which shares nothing with it (its own etcd, ports, files and pod addresses). Each starts when first asked for.
 */
public final class RealKubernetes {

    public static final String VERSION = "1.20.2";
    /** A bearer token the API servers accept, as a pod's service account token would be. */
    public static final String SERVICE_ACCOUNT_TOKEN = "ebb-test-service-account-token";

    private static final Path FILES = Path.of("target", "kube", "fork-" + TestFork.number());
    private static final KubeCluster FIRST = new KubeCluster(FILES, TestFork.loopbackBlock(0));
    private static final KubeCluster SECOND = new KubeCluster(FILES.resolve("second"), TestFork.loopbackBlock(1));

    private RealKubernetes() {
    }

    /** The cluster the static methods here speak of; its pods get addresses of this JVM's loopback block 0. */
    public static KubeCluster first() {
        return FIRST;
    }

    /** Another cluster, independent of the first; its pods get addresses of this JVM's loopback block 1. */
    public static KubeCluster second() {
        return SECOND;
    }

    static Path testDirectory() {
        return Path.of(System.getenv().getOrDefault("EBB_KUBE_DIR", System.getProperty("user.home") + "/.cache/ebb/kube"));
    }

    /** Where scripts/kube-test-binaries.sh puts kube-apiserver, kube-controller-manager, etcd and kubectl. */
    public static Path binaries() {
        return testDirectory().resolve("k8s/" + VERSION + "-linux-amd64");
    }

    /** The kubeconfig of the first API server, starting it first if needed. */
    public static String kubeconfig() {
        return FIRST.kubeconfig();
    }

    /** Also runs kube-controller-manager against the first API server; see {@link KubeCluster#withControllers()}. */
    public static void withControllers() {
        FIRST.withControllers();
    }

    /** What Kubernetes mounts into a pod for its service account: the API server's URL, a token file and its CA file. */
    public record ServiceAccountFiles(String apiServer, Path token, Path ca) {
    }

    /** Settings that make an application under test reach the first API server as the cluster it runs in. */
    public static void inCluster(DynamicPropertyRegistry registry) {
        ServiceAccountFiles files = serviceAccountFiles();
        registry.add("ebb.kubernetes.in-cluster.api-server", files::apiServer);
        registry.add("ebb.kubernetes.in-cluster.token-file", () -> files.token().toString());
        registry.add("ebb.kubernetes.in-cluster.ca-file", () -> files.ca().toString());
    }

    public static ServiceAccountFiles serviceAccountFiles() {
        return FIRST.serviceAccountFiles();
    }

    /** Where the first API server listens, as its kubeconfig says. */
    public static InetSocketAddress apiServer() {
        return FIRST.apiServer();
    }

    /** The kubeconfig of the first API server, reached through a relay on {@code port} of the same host instead. */
    public static String kubeconfigThrough(int port) {
        return FIRST.kubeconfigThrough(port);
    }

    /** Requests the first API server has served so far whose series line {@code counts} accepts. */
    public static double requestsServed(Predicate<String> counts) {
        return FIRST.requestsServed(counts);
    }

    /** The two clients a Kubernetes driver of the first API server needs. */
    public static ApiClients clients() {
        return FIRST.clients();
    }

    /** A client-java client of the first API server. */
    public static ApiClient client() {
        return FIRST.client();
    }
}
