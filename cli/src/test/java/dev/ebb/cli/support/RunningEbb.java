package dev.ebb.cli.support;

import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The packaged control plane ({@code backend/target/ebb.jar}) on free loopback ports with a fresh data directory
 * and a bootstrap token, started once for every test class of the module and stopped when the JVM ends.
 */
public final class RunningEbb {

    public static final String TOKEN = "cli-it-token";
    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static RunningEbb shared;

    private final Process process;
    private final Path dataDir;
    private final URI base;
    private final HttpClient http = HttpClient.newHttpClient();

    private RunningEbb(Process process, Path dataDir, URI base) {
        this.process = process;
        this.dataDir = dataDir;
        this.base = base;
    }

    /** The module's directory: Maven's {@code basedir}, or the working directory when run from an IDE there. */
    public static Path moduleDir() {
        return Path.of(System.getProperty("basedir", ".")).toAbsolutePath().normalize();
    }

    public static synchronized RunningEbb shared() {
        if (shared == null) {
            shared = start();
            Runtime.getRuntime().addShutdownHook(new Thread(shared::stop, "stop-ebb"));
        }
        return shared;
    }

    private static RunningEbb start() {
        // -Debb.it.jar runs the tests against another build of the control plane.
        Path jar = Path.of(System.getProperty("ebb.it.jar", moduleDir().resolve("../backend/target/ebb.jar").toString())).normalize();
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException(jar + " is missing: build it with 'mvn -DskipTests package -pl backend -am'");
        }
        try {
            Path dataDir = Files.createTempDirectory("ebb-cli-it-");
            Path log = moduleDir().resolve("target/ebb-cli-it.log");
            Files.createDirectories(log.getParent());
            int http = freePort();
            ProcessBuilder builder = new ProcessBuilder("java", "-XX:TieredStopAtLevel=1", "-jar", jar.toString(),
                    "--ebb.security.password-hash-cost=4")
                    .redirectErrorStream(true).redirectOutput(log.toFile());
            Map<String, String> env = builder.environment();
            env.keySet().removeIf(name -> name.startsWith("EBB_"));
            env.put("EBB_DATA_DIR", dataDir.toString());
            env.put("EBB_BOOTSTRAP_TOKEN", TOKEN);
            env.put("EBB_HTTP_PORT", String.valueOf(http));
            env.put("EBB_GATEWAY_PORT", String.valueOf(freePort()));
            env.put("EBB_GATEWAY_PUBLIC_PORT", String.valueOf(freePort()));
            RunningEbb ebb = new RunningEbb(builder.start(), dataDir, URI.create("http://127.0.0.1:" + http));
            await("Ebb healthy (its log: " + log + ")").atMost(Duration.ofMinutes(5)).pollInterval(Duration.ofMillis(250))
                    .until(ebb::healthy);
            return ebb;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private boolean healthy() {
        if (!process.isAlive()) {
            throw new IllegalStateException("Ebb exited during start-up with " + process.exitValue() + "; see target/ebb-cli-it.log");
        }
        try {
            return http.send(HttpRequest.newBuilder(base.resolve("/actuator/health")).build(), HttpResponse.BodyHandlers.discarding())
                    .statusCode() == 200;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    public String server() {
        return base.toString();
    }

    /** A namespace no other test uses. */
    public static String freshNamespace() {
        return "cli-" + UUID.randomUUID().toString().substring(0, 8);
    }

    /** A call to the API with the bootstrap token, for a test's set-up and checks; the answer's JSON (or null). */
    public Answer api(String method, String path, String body) {
        HttpRequest request = HttpRequest.newBuilder(base.resolve(path)).header("Authorization", "Bearer " + TOKEN)
                .header("Content-Type", "application/json")
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body))
                .build();
        try {
            HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
            return new Answer(response.statusCode(), response.body().isEmpty() ? null : JSON.readTree(response.body()), response.body());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** An API answer. */
    public record Answer(int status, JsonNode json, String text) {
    }

    private void stop() {
        process.destroy();
        try {
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
        }
        try (Stream<Path> files = Files.walk(dataDir)) {
            files.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        } catch (IOException e) {
            // A temporary directory left behind is harmless.
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }
}
