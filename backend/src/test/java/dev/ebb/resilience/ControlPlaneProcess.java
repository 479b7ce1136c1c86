package dev.ebb.resilience;

import static org.awaitility.Awaitility.await;

import dev.ebb.EbbApplication;
import dev.ebb.support.GatewayProcess;
import dev.ebb.support.Http;
import dev.ebb.support.Processes;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Ebb's control plane as a process of its own (the test classpath's {@link EbbApplication}), on a fixed loopback port
 * so that a gateway finds it again after a restart; no gateway of its own, the local runtime on. Its log goes to a file.
 * A session of its own, as the gateway's ({@link GatewayProcess#ownSession()}).
 */
final class ControlPlaneProcess implements AutoCloseable {

    static final String TOKEN = "resilience-admin-token";
    private static final String JAVA = ProcessHandle.current().info().command().orElse("java");

    private final List<String> command;
    private final Path log;
    private final int port;
    private Process process;

    private ControlPlaneProcess(List<String> command, Path log, int port) {
        this.command = command;
        this.log = log;
        this.port = port;
    }

    /** Starts a control plane keeping its state in {@code database}, and waits until it answers. */
    static ControlPlaneProcess start(Path dataDir, int port, String databaseUrl, List<String> settings) throws IOException {
        List<String> command = new ArrayList<>(GatewayProcess.ownSession());
        command.addAll(List.of(JAVA, "-Xmx512m", "-cp", System.getProperty("java.class.path"),
                EbbApplication.class.getName(), "--server.port=" + port, "--server.address=127.0.0.1",
                "--ebb.data-dir=" + dataDir, "--ebb.database.url=" + databaseUrl, "--ebb.database.username=postgres",
                "--ebb.database.password=postgres", "--ebb.bootstrap-token=" + TOKEN, "--ebb.gateway.enabled=false",
                "--ebb.security.password-hash-cost=4"));
        command.addAll(settings);
        Files.createDirectories(dataDir);
        ControlPlaneProcess controlPlane = new ControlPlaneProcess(command, dataDir.resolve("control-plane.log"), port);
        controlPlane.startAgain();
        return controlPlane;
    }

    /** Starts it (again) with the same settings and waits until its API answers; returns how long that took. */
    Duration startAgain() throws IOException {
        long start = System.nanoTime();
        process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
                .start();
        Http http = http();
        await().atMost(Duration.ofMinutes(3)).pollInterval(Duration.ofMillis(50)).ignoreExceptions()
                .until(() -> http.get("/api/v1/namespaces/default/services").status() == 200);
        return Duration.ofNanos(System.nanoTime() - start);
    }

    /** SIGKILL: no shutdown hook, no graceful anything; its instances are left running. */
    void kill() throws InterruptedException {
        process.destroyForcibly().waitFor();
    }

    String url() {
        return "http://127.0.0.1:" + port;
    }

    Http http() {
        return Http.to(url(), TOKEN);
    }

    Path log() {
        return log;
    }

    /** SIGTERM, then SIGKILL after a minute. */
    @Override
    public void close() {
        if (process != null && process.isAlive()) {
            Processes.stop(process, Duration.ofSeconds(60));
        }
    }
}
