package dev.ebb.support;

import io.kubernetes.client.custom.Quantity;
import io.kubernetes.client.custom.V1Patch;
import io.kubernetes.client.openapi.ApiClient;
import io.kubernetes.client.openapi.ApiException;
import io.kubernetes.client.openapi.apis.CoreV1Api;
import io.kubernetes.client.openapi.models.CoreV1Event;
import io.kubernetes.client.openapi.models.V1Binding;
import io.kubernetes.client.openapi.models.V1Container;
import io.kubernetes.client.openapi.models.V1EnvVar;
import io.kubernetes.client.openapi.models.V1EventSource;
import io.kubernetes.client.openapi.models.V1Node;
import io.kubernetes.client.openapi.models.V1ObjectMeta;
import io.kubernetes.client.openapi.models.V1ObjectReference;
import io.kubernetes.client.openapi.models.V1Pod;
import io.kubernetes.client.openapi.models.V1Probe;
import io.kubernetes.client.util.PatchUtils;
import java.io.IOException;
import java.net.HttpURLConnection;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntFunction;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.json.JsonMapper;

/**
 * A kubelet (and scheduler) for tests, on a real API server without containers: registers one Node, binds pending
 * pods to it, and runs each pod's container as a local process on a loopback address of its own (the pod IP,
 * 127.B.x.y with B this test JVM's first loopback block, passed to the process as {@code HOST}), reporting status the
 * way a kubelet does: Running and Ready after the readiness probe answers, restarts with {@code lastState} and
 * CrashLoopBackOff, ImagePullBackOff for an image it does not know, Unschedulable for a pod asking more CPU than the
 * node has. Terminating pods are stopped and removed. Images are names this kubelet knows, each standing for a
 * command. Like a kubelet it serves its containers' logs over HTTPS ({@code /containerLogs/...}, which the API server's
 * pod log API calls), each line kept with the time it was printed, each run of a container in its own file so that
 * {@code previous=true} works.
 */
public final class TestKubelet implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(TestKubelet.class);
    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final Pattern VARIABLE = Pattern.compile("\\$\\(([A-Za-z_][A-Za-z0-9_]*)\\)");
    public static final String NODE = "ebb-test-node";
    /** CPU this node offers; a pod asking for more cannot be scheduled. */
    public static final int NODE_CPU = 8;

    private final CoreV1Api core;
    private final ApiClient client;
    private final Map<String, List<String>> images;
    private final Path logs;
    private final ScheduledExecutorService loop = Executors.newSingleThreadScheduledExecutor(r -> new Thread(r, "test-kubelet"));
    private final Map<String, RunningPod> pods = new ConcurrentHashMap<>();
    /** When this kubelet sent each pod's Ready status, by pod name, for benchmarks. */
    private final Map<String, Instant> readyReported = new ConcurrentHashMap<>();
    private volatile Predicate<String> namespaces = ns -> true;
    private final AtomicInteger nextIp = new AtomicInteger(1);
    private volatile IntFunction<String> podAddress = n -> loopback(TestFork.loopbackBlock(0), n);
    private KubeletLogServer logServer;

    /**
     * @param images the images this kubelet can "pull", each with the command it stands for (a container's own
     *     {@code command} replaces it, its {@code args} are appended)
     */
    public TestKubelet(ApiClient client, Map<String, List<String>> images, Path logs) {
        this.client = client;
        this.core = new CoreV1Api(client);
        this.images = Map.copyOf(images);
        this.logs = logs;
    }

    /**
     * Gives pods addresses {@code 127.<block>.x.y} (this test JVM's {@link TestFork#loopbackBlock} 0 unless told): each
     * cluster of a test needs a block of its own, so that pods of two clusters never share an address.
     */
    public TestKubelet podAddresses(int block) {
        return podAddresses(n -> loopback(block, n));
    }

    /**
     * Gives the n-th pod (counting from 1) the address {@code address} makes for it, e.g. one the test put on an
     * interface that a network namespace reaches. May change while the kubelet runs: pods running keep their address.
     */
    public TestKubelet podAddresses(IntFunction<String> address) {
        this.podAddress = address;
        return this;
    }

    private static String loopback(int block, int n) {
        return "127." + block + "." + (n / 250) + "." + (n % 250 + 1);
    }

    /**
     * Runs only the pods of the namespaces {@code which} accepts; the others stay pending, as on a full node. May
     * change while the kubelet runs: pods it runs already go on running, new ones of the other namespaces stay pending.
     */
    public TestKubelet only(Predicate<String> which) {
        this.namespaces = which;
        return this;
    }

    /** When this kubelet sent the status saying the pod is ready, if it did. */
    public Optional<Instant> readyReported(String pod) {
        return Optional.ofNullable(readyReported.get(pod));
    }

    public TestKubelet start() throws ApiException {
        logServer = KubeletLogServer.start(logs, this::logFile);
        registerNode();
        loop.scheduleWithFixedDelay(this::round, 0, 100, TimeUnit.MILLISECONDS);
        return this;
    }

    private void registerNode() throws ApiException {
        try {
            core.readNode(NODE).execute();
        } catch (ApiException e) {
            if (e.getCode() != 404) {
                throw e;
            }
            core.createNode(new V1Node().apiVersion("v1").kind("Node").metadata(new V1ObjectMeta().name(NODE))).execute();
        }
        Map<String, Object> capacity = Map.of("cpu", Integer.toString(NODE_CPU), "memory", "32Gi", "pods", "110");
        patchStatus(() -> core.patchNodeStatus(NODE, new V1Patch(JSON.writeValueAsString(Map.of("status", Map.of(
                "capacity", capacity, "allocatable", capacity,
                "addresses", List.of(Map.of("type", "InternalIP", "address", "127.0.0.1")),
                "daemonEndpoints", Map.of("kubeletEndpoint", Map.of("Port", logServer.port())),
                "conditions", List.of(Map.of("type", "Ready", "status", "True", "reason", "KubeletReady",
                        "message", "test kubelet is posting ready status", "lastHeartbeatTime", now(),
                        "lastTransitionTime", now()))))))).buildCall(null), V1Node.class);
    }

    private void round() {
        try {
            for (V1Pod pod : core.listPodForAllNamespaces().execute().getItems()) {
                handle(pod);
            }
        } catch (ApiException | RuntimeException e) {
            log.debug("test kubelet round failed: {}", e instanceof ApiException api ? "HTTP " + api.getCode() + " "
                    + api.getResponseBody() : e.toString());
        }
    }

    private void handle(V1Pod pod) throws ApiException {
        String id = pod.getMetadata().getNamespace() + "/" + pod.getMetadata().getName();
        if (pod.getMetadata().getDeletionTimestamp() != null) {
            RunningPod running = pods.remove(id);
            if (running != null) {
                running.stop();
            }
            try {
                core.deleteNamespacedPod(pod.getMetadata().getName(), pod.getMetadata().getNamespace()).gracePeriodSeconds(0).execute();
            } catch (ApiException e) {
                if (e.getCode() != 404) {
                    throw e;
                }
            } catch (RuntimeException e) {
                // Deleted; the answer's shape surprised the client.
            }
            return;
        }
        if (!namespaces.test(pod.getMetadata().getNamespace())) {
            return;
        }
        if (pod.getSpec().getNodeName() == null) {
            schedule(pod);
            return;
        }
        if (!NODE.equals(pod.getSpec().getNodeName())) {
            return;
        }
        RunningPod running = pods.computeIfAbsent(id, k -> new RunningPod(pod, podAddress.apply(nextIp.getAndIncrement())));
        running.step();
    }

    /** What a scheduler does: bind the pod to the node, or say why it cannot. */
    private void schedule(V1Pod pod) throws ApiException {
        double cpu = 0;
        for (V1Container container : pod.getSpec().getContainers()) {
            if (container.getResources() != null && container.getResources().getRequests() != null) {
                Quantity asked = container.getResources().getRequests().get("cpu");
                cpu += asked == null ? 0 : asked.getNumber().doubleValue();
            }
        }
        String name = pod.getMetadata().getName();
        String ns = pod.getMetadata().getNamespace();
        if (cpu > NODE_CPU) {
            patchPod(ns, name, Map.of("phase", "Pending", "conditions", List.of(Map.of("type", "PodScheduled", "status", "False",
                    "reason", "Unschedulable", "message", "0/1 nodes are available: 1 Insufficient cpu.",
                    "lastTransitionTime", now()))));
            return;
        }
        try {
            core.createNamespacedBinding(ns, new V1Binding().apiVersion("v1").kind("Binding").metadata(new V1ObjectMeta().name(name))
                    .target(new V1ObjectReference().apiVersion("v1").kind("Node").name(NODE))).execute();
        } catch (RuntimeException e) {
            // client-java cannot read the binding's answer; the pod is bound all the same.
        }
    }

    /** One pod on this node and the process of its (single) container. */
    private final class RunningPod {
        final String namespace;
        final String name;
        final String ip;
        final String uid;
        final V1Container container;
        Instant runningSince;
        /** What the last Unhealthy event said, and when: a kubelet tells again when a probe fails differently. */
        String unhealthySaid;
        Instant unhealthySaidAt = Instant.MIN;
        String lastProbeFailure = "";
        final Instant started = Instant.now();
        Process process;
        int restarts;
        Map<String, Object> lastTerminated;
        Instant nextStart = Instant.MIN;
        boolean ready;
        Instant readySince;
        Map<String, Object> reported;

        RunningPod(V1Pod pod, String ip) {
            this.namespace = pod.getMetadata().getNamespace();
            this.name = pod.getMetadata().getName();
            this.ip = ip;
            this.uid = pod.getMetadata().getUid();
            this.container = pod.getSpec().getContainers().get(0);
        }

        void step() throws ApiException {
            List<String> command = images.get(container.getImage());
            Map<String, Object> state;
            if (command == null) {
                state = waiting("ImagePullBackOff", "Back-off pulling image \"" + container.getImage() + "\": rpc error: code = "
                        + "NotFound desc = failed to pull and unpack image \"" + container.getImage() + "\": not found");
            } else {
                if (process != null && !process.isAlive()) {
                    restarts++;
                    lastTerminated = Map.of("exitCode", process.exitValue(), "reason", "Error", "startedAt", now(),
                            "finishedAt", now());
                    process = null;
                    ready = false;
                    nextStart = Instant.now().plus(backoff());
                }
                if (process == null && !Instant.now().isBefore(nextStart)) {
                    pulled();
                    process = launch(command);
                    runningSince = Instant.now();
                }
                if (process == null) {
                    state = waiting("CrashLoopBackOff", "back-off " + backoff().toSeconds() + "s restarting failed container="
                            + container.getName() + " pod=" + name);
                } else {
                    boolean nowReady = probe(container.getReadinessProbe());
                    if (nowReady && !ready) {
                        readySince = Instant.now();
                    }
                    String said = "Readiness probe failed: " + lastProbeFailure;
                    // A kubelet tells of a failing probe in an event once the container had time to start, and again
                    // when it fails differently (a server that now answers 404 instead of refusing); a second apart at
                    // least, since events' times have whole seconds and the newest one is taken for what holds now.
                    if (!nowReady && !said.equals(unhealthySaid) && runningSince.isBefore(Instant.now().minusSeconds(2))
                            && Instant.now().isAfter(unhealthySaidAt.plusSeconds(1))) {
                        event("Unhealthy", "Warning", said);
                        unhealthySaid = said;
                        unhealthySaidAt = Instant.now();
                    }
                    ready = nowReady;
                    state = Map.of("running", Map.of("startedAt", at(runningSince)));
                }
            }
            Map<String, Object> containerStatus = new LinkedHashMap<>();
            containerStatus.put("name", container.getName());
            containerStatus.put("image", container.getImage());
            containerStatus.put("imageID", "");
            containerStatus.put("ready", ready);
            containerStatus.put("restartCount", restarts);
            containerStatus.put("state", state);
            if (lastTerminated != null) {
                containerStatus.put("lastState", Map.of("terminated", lastTerminated));
            }
            String readyStatus = ready ? "True" : "False";
            Map<String, Object> status = new LinkedHashMap<>();
            status.put("phase", "Running");
            status.put("podIP", ip);
            status.put("hostIP", "127.0.0.1");
            status.put("startTime", at(started));
            status.put("containerStatuses", List.of(containerStatus));
            status.put("conditions", List.of(
                    Map.of("type", "PodScheduled", "status", "True", "lastTransitionTime", at(started)),
                    Map.of("type", "Ready", "status", readyStatus,
                            "lastTransitionTime", at(readySince == null ? started : readySince))));
            Map<String, Object> comparable = new HashMap<>(status);
            comparable.remove("startTime");
            if (!comparable.equals(reported)) {
                // Only what changed is sent; status times are part of it only when a transition happened.
                Instant sent = Instant.now();
                patchPod(namespace, name, status);
                if (ready && (reported == null || !Boolean.TRUE.equals(readyIn(reported)))) {
                    readyReported.put(name, sent);
                }
                reported = comparable;
            }
        }

        /** Says, as a kubelet does before each start, that the node has the image: pulled the first time, present after. */
        private void pulled() {
            event("Pulled", "Normal", restarts == 0 ? "Successfully pulled image \"" + container.getImage() + "\" in 0s"
                    : "Container image \"" + container.getImage() + "\" already present on machine");
        }

        /** Records an event about this pod's container, as its kubelet. */
        private void event(String reason, String type, String message) {
            OffsetDateTime now = OffsetDateTime.now(ZoneOffset.UTC);
            try {
                core.createNamespacedEvent(namespace, new CoreV1Event().metadata(new V1ObjectMeta().name(name + "." + Long.toHexString(
                                System.nanoTime())).namespace(namespace))
                        .involvedObject(new V1ObjectReference().apiVersion("v1").kind("Pod").name(name).namespace(namespace).uid(uid)
                                .fieldPath("spec.containers{" + container.getName() + "}"))
                        .reason(reason).message(message).type(type).count(1).firstTimestamp(now).lastTimestamp(now)
                        .source(new V1EventSource().component("kubelet").host(NODE))).execute();
            } catch (ApiException | RuntimeException e) {
                log.debug("test kubelet could not record the {} event of {}: {}", reason, name, e.toString());
            }
        }

        private Duration backoff() {
            return Duration.ofSeconds(Math.min(10, 1L << Math.min(restarts, 4)));
        }

        private Map<String, Object> waiting(String reason, String message) {
            return Map.of("waiting", Map.of("reason", reason, "message", message));
        }

        /** The file of one run of this pod's container, numbered by restarts before it. */
        Path logFile(int run) {
            return logs.resolve(namespace + "_" + name + "." + run + ".log");
        }

        private Process launch(List<String> imageCommand) {
            Map<String, String> env = new LinkedHashMap<>();
            if (container.getEnv() != null) {
                for (V1EnvVar variable : container.getEnv()) {
                    env.put(variable.getName(), variable.getValue() == null ? "" : variable.getValue());
                }
            }
            env.put("HOST", ip);
            List<String> argv = new ArrayList<>();
            argv.addAll(container.getCommand() == null || container.getCommand().isEmpty() ? imageCommand : container.getCommand());
            if (container.getArgs() != null) {
                argv.addAll(container.getArgs());
            }
            argv.replaceAll(arg -> expand(arg, env));
            try {
                Files.createDirectories(logs);
                ProcessBuilder builder = new ProcessBuilder(argv).redirectErrorStream(true);
                builder.environment().clear();
                builder.environment().put("PATH", System.getenv("PATH"));
                builder.environment().putAll(env);
                Process started = builder.start();
                KubeletLogServer.record(started.getInputStream(), logFile(restarts), "test-kubelet-log-" + name);
                return started;
            } catch (IOException e) {
                log.warn("test kubelet could not start {}: {}", argv, e.toString());
                return null;
            }
        }

        private boolean probe(V1Probe probe) {
            try {
                if (probe != null && probe.getHttpGet() != null) {
                    int port = probe.getHttpGet().getPort().getIntValue();
                    HttpURLConnection connection = (HttpURLConnection) URI.create("http://" + ip + ":" + port
                            + probe.getHttpGet().getPath()).toURL().openConnection();
                    connection.setConnectTimeout(200);
                    connection.setReadTimeout(500);
                    int status = connection.getResponseCode();
                    connection.disconnect();
                    lastProbeFailure = "HTTP probe failed with statuscode: " + status;
                    return status >= 200 && status < 400;
                }
                int port = probe != null && probe.getTcpSocket() != null ? probe.getTcpSocket().getPort().getIntValue()
                        : container.getPorts().get(0).getContainerPort();
                try (Socket socket = new Socket()) {
                    socket.connect(new InetSocketAddress(ip, port), 200);
                    return true;
                }
            } catch (IOException e) {
                lastProbeFailure = e.toString();
                return false;
            }
        }

        void stop() {
            if (process != null) {
                process.destroy();
                try {
                    if (!process.waitFor(5, TimeUnit.SECONDS)) {
                        process.destroyForcibly();
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    process.destroyForcibly();
                }
            }
        }
    }

    @SuppressWarnings("unchecked")
    private static Boolean readyIn(Map<String, Object> status) {
        List<Map<String, Object>> containers = (List<Map<String, Object>>) status.get("containerStatuses");
        return containers == null || containers.isEmpty() ? null : (Boolean) containers.get(0).get("ready");
    }

    /** $(VAR) references expand from the container's env, as Kubernetes does for command and args. */
    static String expand(String arg, Map<String, String> env) {
        Matcher matcher = VARIABLE.matcher(arg);
        StringBuilder out = new StringBuilder();
        while (matcher.find()) {
            String value = env.get(matcher.group(1));
            matcher.appendReplacement(out, Matcher.quoteReplacement(value == null ? matcher.group() : value));
        }
        matcher.appendTail(out);
        return out.toString();
    }

    private void patchPod(String namespace, String name, Map<String, Object> status) throws ApiException {
        patchStatus(() -> core.patchNamespacedPodStatus(name, namespace, new V1Patch(JSON.writeValueAsString(Map.of("status", status))))
                .buildCall(null), V1Pod.class);
    }

    private <T> void patchStatus(PatchUtils.PatchCallFunc call, Class<T> type) throws ApiException {
        try {
            PatchUtils.patch(type, call, V1Patch.PATCH_FORMAT_STRATEGIC_MERGE_PATCH, client);
        } catch (ApiException e) {
            if (e.getCode() != 404) {
                throw e;
            }
        }
    }

    private static String now() {
        return at(Instant.now());
    }

    /** RFC 3339 in whole seconds, as Kubernetes keeps status times; OffsetDateTime.toString() would drop ":00" seconds. */
    private static String at(Instant instant) {
        return instant.truncatedTo(ChronoUnit.SECONDS).toString();
    }

    /** The log file of a pod's current run, or of the run before it; null for a pod this kubelet does not run. */
    private Path logFile(String namespace, String pod, boolean previous) {
        RunningPod running = pods.get(namespace + "/" + pod);
        if (running == null) {
            return null;
        }
        return running.logFile(previous ? running.restarts - 1 : running.restarts);
    }

    @Override
    public void close() {
        if (logServer != null) {
            logServer.close();
        }
        loop.shutdownNow();
        try {
            loop.awaitTermination(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        pods.values().forEach(RunningPod::stop);
        pods.clear();
    }
}
