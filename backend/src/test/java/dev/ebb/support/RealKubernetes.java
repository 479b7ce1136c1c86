package dev.ebb.support;

import io.fabric8.kubeapitest.KubeAPIServer;
import io.fabric8.kubeapitest.KubeAPIServerConfigBuilder;
import io.kubernetes.client.openapi.ApiClient;
import io.kubernetes.client.util.ClientBuilder;
import io.kubernetes.client.util.KubeConfig;
import java.io.IOException;
import java.io.StringReader;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A real kube-apiserver (1.20.2) with etcd, started once per test JVM from the binaries that
 * {@code scripts/kube-test-binaries.sh} builds under {@code ~/.cache/ebb/kube} ({@code EBB_KUBE_DIR} moves it).
 */
public final class RealKubernetes {

    public static final String VERSION = "1.20.2";
    private static KubeAPIServer server;
    private static String kubeconfig;

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
            server = new KubeAPIServer(KubeAPIServerConfigBuilder.anAPIServerConfig().withTestDir(dir.toString())
                    .withApiServerVersion(VERSION).withUpdateKubeConfig(false).withStartupTimeout(120_000).build());
            server.start();
            kubeconfig = server.getKubeConfigYaml();
            Runtime.getRuntime().addShutdownHook(new Thread(server::stop));
        }
        return kubeconfig;
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
