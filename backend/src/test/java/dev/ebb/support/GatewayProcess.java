package dev.ebb.support;

import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The standalone gateway ({@code gateway/target/ebb-gateway-exec.jar}, built by {@code mvn -pl api,gateway install}) as a
 * process of its own on fixed ports, routing from a control plane it long-polls: on loopback, or as a host of its own
 * inside a network namespace. Its log goes to a file.
 */
public final class GatewayProcess implements AutoCloseable {

    private static final String JAVA = ProcessHandle.current().info().command().orElse("java");
    /** How long a SIGTERM gets before SIGKILL. */
    private static final Duration STOP_GRACE = Duration.ofMinutes(2);
    private static final HttpClient PROBES = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    private final List<String> command;
    private final Path log;
    private final String address;
    private final int port;
    private final int healthPort;
    private Process process;

    private GatewayProcess(List<String> command, Path log, String address, int port, int healthPort) {
        this.command = command;
        this.log = log;
        this.address = address;
        this.port = port;
        this.healthPort = healthPort;
    }

    public static Path jar() {
        Path jar = Path.of("..", "gateway", "target", "ebb-gateway-exec.jar").toAbsolutePath().normalize();
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException("no " + jar + ": build it first with mvn -pl api,gateway install -DskipTests");
        }
        return jar;
    }

    /**
     * Starts a gateway on loopback for the control plane at {@code controlPlaneUrl}, holding at most {@code queueDepth} per
     * revision; {@code ports} are its internal, public and health listeners'.
     */
    public static GatewayProcess start(Path dataDir, int[] ports, String controlPlaneUrl, String token, int queueDepth)
            throws IOException {
        return start(dataDir, ownSession(), "127.0.0.1", ports, controlPlaneUrl, token, List.of("--ebb.gateway.host=127.0.0.1",
                "--ebb.gateway.queue-depth=" + queueDepth));
    }

    /**
     * {@code setsid} where there is one: a process started under it is a session of its own, as a service manager starts
     * a server. With the kernel's session groups (autogroup) on, the CPU is shared between sessions first, so a gateway in
     * the test's own session would share one part with the test's load generators, which no client shares with a gateway.
     */
    public static List<String> ownSession() {
        return Files.isExecutable(Path.of("/usr/bin/setsid")) ? List.of("/usr/bin/setsid") : List.of();
    }

    /**
     * Starts a gateway whose {@code java} runs under {@code launcher} (e.g. {@code ip netns exec <namespace>}; empty: as it
     * is), reached at {@code address} on {@code ports} (internal, public, health), with {@code settings} added to its
     * command line, and waits until it is ready.
     */
    public static GatewayProcess start(Path dataDir, List<String> launcher, String address, int[] ports, String controlPlaneUrl,
            String token, List<String> settings) throws IOException {
        Files.createDirectories(dataDir);
        List<String> command = new ArrayList<>(launcher);
        command.add(JAVA);
        // One more JVM option when asked for (-Debb.test.gateway-jvm-arg=...), e.g. a flight recording of a scenario.
        String jvmArg = System.getProperty("ebb.test.gateway-jvm-arg");
        if (jvmArg != null && !jvmArg.isBlank()) {
            command.add(jvmArg);
        }
        command.addAll(List.of("-Xmx256m", "-jar", jar().toString(),
                "--ebb.gateway.control-plane-url=" + controlPlaneUrl, "--ebb.gateway.token=" + token,
                "--ebb.gateway.port=" + ports[0], "--ebb.gateway.public-port=" + ports[1],
                "--ebb.gateway.health-port=" + ports[2], "--ebb.data-dir=" + dataDir,
                // Off unless asked for (-Debb.test.gateway-access-log=INFO): each request's line, with its duration as
                // the gateway saw it, tells a slow answer's time inside the gateway from its time in a queue before it.
                "--logging.level.ebb.gateway.access=" + System.getProperty("ebb.test.gateway-access-log", "WARN")));
        command.addAll(settings);
        GatewayProcess gateway = new GatewayProcess(command, dataDir.resolve("gateway.log"), address, ports[0], ports[2]);
        gateway.startAgain();
        return gateway;
    }

    /** Starts it (again) and waits until it is ready to route; returns how long that took. */
    public Duration startAgain() throws IOException {
        long start = System.nanoTime();
        process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
                .start();
        await().atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofMillis(20)).ignoreExceptions().until(() -> PROBES.send(
                HttpRequest.newBuilder(URI.create("http://" + address + ":" + healthPort + "/readyz")).build(),
                HttpResponse.BodyHandlers.discarding()).statusCode() == 200);
        return Duration.ofNanos(System.nanoTime() - start);
    }

    /** SIGTERM, as Kubernetes or systemd stop it, and waits until it has exited. */
    public void terminate() {
        Processes.stop(process, STOP_GRACE);
    }

    public int port() {
        return port;
    }

    /** Where its listeners are reached. */
    public String address() {
        return address;
    }

    /** What it has logged so far. */
    public String log() throws IOException {
        return Files.isRegularFile(log) ? Files.readString(log) : "";
    }

    public long pid() {
        return process.pid();
    }

    /**
     * Loads a profiler's agent into the running gateway with the JDK's {@code jcmd} and hands it {@code options}, the
     * way async-profiler's own launcher attaches ({@code start,...} and later {@code stop,file=...}).
     */
    public void agent(String library, String options) throws IOException, InterruptedException {
        Path jcmd = Path.of(JAVA).resolveSibling("jcmd");
        Process attach = new ProcessBuilder(jcmd.toString(), Long.toString(process.pid()), "JVMTI.agent_load", library,
                // Quoted: jcmd's argument parser would otherwise take the options' first '=' for a named argument.
                '"' + options + '"')
                .redirectErrorStream(true).start();
        String out = new String(attach.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        if (attach.waitFor() != 0) {
            throw new IOException("jcmd JVMTI.agent_load " + library + " " + options + ": " + out);
        }
    }

    /** CPU time the gateway process has used so far (user and system, all threads), in nanoseconds, from /proc. */
    public long cpuNanos() throws IOException {
        return Processes.cpuNanos(process.pid());
    }

    /** The resident memory of the gateway process now, in KiB, from /proc. */
    public long residentKib() throws IOException {
        return Processes.residentKib(process.pid());
    }

    @Override
    public void close() {
        if (process != null && process.isAlive()) {
            Processes.stop(process, STOP_GRACE);
        }
    }
}
