package dev.ebb.support;

import dev.ebb.runtime.kubernetes.ApiClients;
import io.fabric8.kubeapitest.KubeAPIServer;
import io.fabric8.kubeapitest.KubeAPIServerConfigBuilder;
import io.kubernetes.client.openapi.ApiClient;
import io.kubernetes.client.util.ClientBuilder;
import io.kubernetes.client.util.KubeConfig;
import java.io.IOException;
import java.io.StringReader;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.springframework.test.context.DynamicPropertyRegistry;

/**
 * A real kube-apiserver (1.20.2) with etcd, started once per test JVM from the binaries that
 * {@code scripts/kube-test-binaries.sh} builds under {@code ~/.cache/ebb/kube} ({@code EBB_KUBE_DIR} moves it).
 */
public final class RealKubernetes {

    public static final String VERSION = "1.20.2";
    private static KubeAPIServer server;
    private static String kubeconfig;
    private static Process controllerManager;

    private RealKubernetes() {
    }

    /** The kubeconfig of the running API server, starting it first if needed. */
    public static synchronized String kubeconfig() {
        if (server == null) {
            Path dir = Path.of(System.getenv().getOrDefault("EBB_KUBE_DIR", System.getProperty("user.home") + "/.cache/ebb/kube"));
            if (!Files.isExecutable(dir.resolve("k8s/" + VERSION + "-linux-amd64/kube-apiserver"))) {
                throw new IllegalStateException("No kube-apiserver under " + dir + ": run scripts/kube-test-binaries.sh once "
                        + "(mvn verify runs it before the tests)");
            }
            Path tokens = writeTokens();
            server = new KubeAPIServer(KubeAPIServerConfigBuilder.anAPIServerConfig().withTestDir(dir.toString())
                    .withApiServerVersion(VERSION).withUpdateKubeConfig(false).withStartupTimeout(120_000)
                    .withApiServerFlag("--token-auth-file", tokens.toString()).build());
            server.start();
            kubeconfig = server.getKubeConfigYaml();
            Runtime.getRuntime().addShutdownHook(new Thread(server::stop));
        }
        return kubeconfig;
    }

    /**
     * Also runs kube-controller-manager against the API server (once per JVM), with only the controllers a cluster
     * needs for Deployments: Deployments make ReplicaSets, ReplicaSets make and delete Pods, garbage is collected, and
     * every namespace gets its default ServiceAccount.
     */
    public static synchronized void withControllers() {
        String config = kubeconfig();
        if (controllerManager != null && controllerManager.isAlive()) {
            return;
        }
        try {
            Path dir = Files.createDirectories(Path.of("target", "kube"));
            Path file = dir.resolve("kubeconfig");
            Files.writeString(file, config);
            Path binary = binaries().resolve("kube-controller-manager");
            controllerManager = new ProcessBuilder(binary.toString(), "--kubeconfig=" + file.toAbsolutePath(),
                    "--controllers=deployment,replicaset,garbagecollector,serviceaccount", "--leader-elect=false",
                    "--port=0", "--secure-port=0", "--concurrent-deployment-syncs=2", "--concurrent-replicaset-syncs=2")
                    .redirectErrorStream(true).redirectOutput(dir.resolve("kube-controller-manager.log").toFile()).start();
            Process started = controllerManager;
            Runtime.getRuntime().addShutdownHook(new Thread(started::destroy));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Path binaries() {
        return Path.of(System.getenv().getOrDefault("EBB_KUBE_DIR", System.getProperty("user.home") + "/.cache/ebb/kube"))
                .resolve("k8s/" + VERSION + "-linux-amd64");
    }

    /** A bearer token the API server accepts, as a pod's service account token would be. */
    public static final String SERVICE_ACCOUNT_TOKEN = "ebb-test-service-account-token";

    private static Path writeTokens() {
        try {
            Path dir = Files.createDirectories(Path.of("target", "kube").toAbsolutePath());
            return Files.writeString(dir.resolve("tokens.csv"), SERVICE_ACCOUNT_TOKEN + ",ebb,ebb-uid,\"system:masters\"\n");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** What Kubernetes mounts into a pod for its service account: the API server's URL, a token file and its CA file. */
    public record ServiceAccountFiles(String apiServer, Path token, Path ca) {
    }

    /** Settings that make an application under test reach this API server as the cluster it runs in. */
    public static void inCluster(DynamicPropertyRegistry registry) {
        ServiceAccountFiles files = serviceAccountFiles();
        registry.add("ebb.kubernetes.in-cluster.api-server", files::apiServer);
        registry.add("ebb.kubernetes.in-cluster.token-file", () -> files.token().toString());
        registry.add("ebb.kubernetes.in-cluster.ca-file", () -> files.ca().toString());
    }

    public static ServiceAccountFiles serviceAccountFiles() {
        try {
            KubeConfig config = KubeConfig.loadKubeConfig(new StringReader(kubeconfig()));
            Path dir = Files.createDirectories(Path.of("target", "kube", "serviceaccount").toAbsolutePath());
            Path token = Files.writeString(dir.resolve("token"), SERVICE_ACCOUNT_TOKEN);
            Path ca = Files.write(dir.resolve("ca.crt"), config.getDataOrFileRelative(config.getCertificateAuthorityData(),
                    config.getCertificateAuthorityFile()));
            return new ServiceAccountFiles(config.getServer(), token, ca);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static final Pattern SERVER = Pattern.compile("server: https://([0-9.]+):([0-9]+)");

    /** Where the running API server listens, as its kubeconfig says. */
    public static InetSocketAddress apiServer() {
        Matcher server = SERVER.matcher(kubeconfig());
        if (!server.find()) {
            throw new IllegalStateException("No https server address in the API server's kubeconfig");
        }
        return new InetSocketAddress(server.group(1), Integer.parseInt(server.group(2)));
    }

    /** The kubeconfig of the running API server, reached through a relay on {@code port} of the same host instead. */
    public static String kubeconfigThrough(int port) {
        return SERVER.matcher(kubeconfig()).replaceFirst("server: https://$1:" + port);
    }

    /**
     * Requests the API server has served so far whose {@code apiserver_request_total} series line {@code counts}
     * accepts (e.g. {@code line -> true} for all), from its own metrics.
     */
    public static double requestsServed(Predicate<String> counts) {
        ApiClient client = client();
        try (okhttp3.Response metrics = client.getHttpClient().newCall(new okhttp3.Request.Builder()
                .url(client.getBasePath() + "/metrics").build()).execute()) {
            return metrics.body().string().lines().filter(l -> l.startsWith("apiserver_request_total{") && counts.test(l))
                    .mapToDouble(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1))).sum();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The two clients a Kubernetes driver of the running API server needs. */
    public static ApiClients clients() {
        try {
            return ApiClients.of(RealKubernetes::client);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A client-java client of the running API server. */
    public static ApiClient client() {
        try {
            return ClientBuilder.kubeconfig(KubeConfig.loadKubeConfig(new StringReader(kubeconfig()))).build();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
