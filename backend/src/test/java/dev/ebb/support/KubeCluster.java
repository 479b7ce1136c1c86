package dev.ebb.support;

import dev.ebb.runtime.kubernetes.ApiClients;
import io.fabric8.kubeapitest.KubeAPIServer;
import io.fabric8.kubeapitest.KubeAPIServerConfigBuilder;
import io.fabric8.kubeapitest.cert.CertManager;
import io.kubernetes.client.openapi.ApiClient;
import io.kubernetes.client.util.ClientBuilder;
import io.kubernetes.client.util.KubeConfig;
import java.io.IOException;
import java.io.StringReader;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One real Kubernetes control plane for tests: a kube-apiserver (1.20.2) with an etcd of its own (its own data
 * directory and ports, which kube-api-test picks free), started when first asked for and stopped when the JVM exits,
 * and on demand a kube-controller-manager. Its files live under a directory of its own, and the pods a {@link TestKubelet}
 * runs for it get addresses of their own loopback block, so two of them are two clusters that share nothing.
 * {@link RealKubernetes} holds the two a test JVM may have.
 */
public final class KubeCluster {

    private static final Pattern SERVER = Pattern.compile("server: https://([0-9.]+):([0-9]+)");

    private final Path files;
    private final int podAddressBlock;
    private KubeAPIServer server;
    private String kubeconfig;
    private Process controllerManager;

    /**
     * @param files where this cluster keeps its kubeconfig, token file and logs
     * @param podAddressBlock pods of this cluster get addresses {@code 127.<block>.x.y}; each cluster needs its own
     */
    KubeCluster(Path files, int podAddressBlock) {
        this.files = files;
        this.podAddressBlock = podAddressBlock;
    }

    /** The kubeconfig of this cluster's API server, starting it first if needed. */
    public synchronized String kubeconfig() {
        if (server == null) {
            Path dir = RealKubernetes.testDirectory();
            ensureBinaries();
            Path tokens = writeTokens();
            certificates(dir);
            KubeAPIServer started = new KubeAPIServer(KubeAPIServerConfigBuilder.anAPIServerConfig().withTestDir(dir.toString())
                    .withApiServerVersion(RealKubernetes.VERSION).withUpdateKubeConfig(false).withStartupTimeout(120_000)
                    .withApiServerFlag("--token-auth-file", tokens.toString()).build());
            started.start();
            kubeconfig = started.getKubeConfigYaml();
            server = started;
            Runtime.getRuntime().addShutdownHook(new Thread(started::stop));
        }
        return kubeconfig;
    }

    /**
     * Also runs kube-controller-manager against this API server (once per JVM), with only the controllers a cluster
     * needs for Deployments: Deployments make ReplicaSets, ReplicaSets make and delete Pods, garbage is collected, and
     * every namespace gets its default ServiceAccount.
     */
    public synchronized void withControllers() {
        String config = kubeconfig();
        if (controllerManager != null && controllerManager.isAlive()) {
            return;
        }
        try {
            Path dir = Files.createDirectories(files);
            Path file = dir.resolve("kubeconfig");
            Files.writeString(file, config);
            Path binary = RealKubernetes.binaries().resolve("kube-controller-manager");
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

    /**
     * A test kubelet for this cluster (not started), whose pods get this cluster's addresses and whose logs go to
     * {@code pods} under this cluster's directory.
     */
    public TestKubelet kubelet(Map<String, List<String>> images) {
        return new TestKubelet(client(), images, files.resolve("pods")).podAddresses(podAddressBlock);
    }

    /**
     * Makes the API servers' certificates in the shared directory, once per machine. kube-api-test does it when they are
     * missing, but locks only within a JVM: two test JVMs starting their first API server at once on a new machine
     * would each write a CA, and one would start with a key that no longer matches its kubeconfig.
     */
    private static void certificates(Path dir) {
        try (FileChannel file = FileChannel.open(dir.resolve(".certificates.lock"), StandardOpenOption.CREATE,
                StandardOpenOption.WRITE)) {
            file.lock(); // held until the channel closes
            new CertManager(dir.toString()).createCertificatesIfNeeded();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Runs {@code scripts/kube-test-binaries.sh} when the binaries are not there yet: it builds them, or waits for the
     * build already running (CI starts it in the background, at low priority, while the tests that need no Kubernetes
     * run). Its output goes to {@code target/kube/kube-test-binaries.log}.
     */
    private static void ensureBinaries() {
        synchronized (KubeCluster.class) {
            Path binaries = RealKubernetes.binaries();
            if (Files.isExecutable(binaries.resolve("kube-apiserver"))
                    && Files.isExecutable(binaries.resolve("kube-controller-manager"))) {
                return;
            }
            try {
                // Surefire names the module's directory in basedir, whatever the working directory; an IDE runs in it.
                Path module = Path.of(System.getProperty("basedir", "")).toAbsolutePath();
                Path script = module.resolve("../scripts/kube-test-binaries.sh").normalize();
                Path log = Files.createDirectories(module.resolve("target/kube")).resolve("kube-test-binaries.log");
                Process build = new ProcessBuilder("bash", script.toString()).redirectErrorStream(true)
                        .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
                if (build.waitFor() != 0) {
                    throw new IllegalStateException("scripts/kube-test-binaries.sh failed with exit code " + build.exitValue()
                            + " while building the test API server's binaries; its output is in " + log.toAbsolutePath());
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted waiting for scripts/kube-test-binaries.sh", e);
            }
        }
    }

    private Path writeTokens() {
        try {
            Path dir = Files.createDirectories(files.toAbsolutePath());
            return Files.writeString(dir.resolve("tokens.csv"), RealKubernetes.SERVICE_ACCOUNT_TOKEN
                    + ",ebb,ebb-uid,\"system:masters\"\n");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** What Kubernetes mounts into a pod for its service account, for this cluster. */
    public RealKubernetes.ServiceAccountFiles serviceAccountFiles() {
        try {
            KubeConfig config = KubeConfig.loadKubeConfig(new StringReader(kubeconfig()));
            Path dir = Files.createDirectories(files.resolve("serviceaccount").toAbsolutePath());
            Path token = Files.writeString(dir.resolve("token"), RealKubernetes.SERVICE_ACCOUNT_TOKEN);
            Path ca = Files.write(dir.resolve("ca.crt"), config.getDataOrFileRelative(config.getCertificateAuthorityData(),
                    config.getCertificateAuthorityFile()));
            return new RealKubernetes.ServiceAccountFiles(config.getServer(), token, ca);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Where this API server listens, as its kubeconfig says. */
    public InetSocketAddress apiServer() {
        Matcher server = SERVER.matcher(kubeconfig());
        if (!server.find()) {
            throw new IllegalStateException("No https server address in the API server's kubeconfig");
        }
        return new InetSocketAddress(server.group(1), Integer.parseInt(server.group(2)));
    }

    /** The kubeconfig of this API server, reached through a relay on {@code port} of the same host instead. */
    public String kubeconfigThrough(int port) {
        return SERVER.matcher(kubeconfig()).replaceFirst("server: https://$1:" + port);
    }

    /**
     * Requests this API server has served so far whose {@code apiserver_request_total} series line {@code counts}
     * accepts (e.g. {@code line -> true} for all), from its own metrics.
     */
    public double requestsServed(Predicate<String> counts) {
        ApiClient client = client();
        try (okhttp3.Response metrics = client.getHttpClient().newCall(new okhttp3.Request.Builder()
                .url(client.getBasePath() + "/metrics").build()).execute()) {
            return metrics.body().string().lines().filter(l -> l.startsWith("apiserver_request_total{") && counts.test(l))
                    .mapToDouble(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1))).sum();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The two clients a Kubernetes driver of this API server needs. */
    public ApiClients clients() {
        try {
            return ApiClients.of(this::client);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A client-java client of this API server. */
    public ApiClient client() {
        try {
            return ClientBuilder.kubeconfig(KubeConfig.loadKubeConfig(new StringReader(kubeconfig()))).build();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
