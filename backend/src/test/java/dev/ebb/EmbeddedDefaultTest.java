package dev.ebb;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.ebb.support.Http;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * With no configuration at all Ebb runs on an embedded PostgreSQL under its data directory, hands the
 * operator an admin token, and finds everything again after a restart.
 */
class EmbeddedDefaultTest {

    @TempDir
    Path dataDir;

    private ConfigurableApplicationContext start() {
        return new SpringApplicationBuilder(EbbApplication.class)
                .run("--server.port=0", "--ebb.data-dir=" + dataDir);
    }

    private static HttpResponse<String> call(ConfigurableApplicationContext app, String token, String method, String path,
            String body) throws IOException, InterruptedException {
        String port = app.getEnvironment().getProperty("local.server.port");
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://localhost:" + port + path))
                .header("Authorization", "Bearer " + token)
                .header("Content-Type", "application/json")
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body))
                .build();
        return HttpClient.newHttpClient().send(request, HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void aRestartKeepsEverythingStoredUnderTheDataDirectory() throws Exception {
        String token;
        try (ConfigurableApplicationContext first = start()) {
            Path tokenFile = dataDir.resolve("admin-token");
            assertThat(tokenFile).exists();
            assertThat(Files.getPosixFilePermissions(tokenFile))
                    .containsExactlyInAnyOrder(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE);
            token = Files.readString(tokenFile).trim();
            HttpResponse<String> created = call(first, token, "POST", "/api/v1/namespaces/default/services",
                    "{\"name\": \"hello\", \"template\": {\"image\": \"nginx\"}}");
            assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        }
        assertThat(dataDir.resolve("postgres")).isDirectory();

        try (ConfigurableApplicationContext second = start()) {
            HttpResponse<String> read = call(second, token, "GET", "/api/v1/namespaces/default/services/hello", null);
            assertThat(read.statusCode()).as(read.body()).isEqualTo(200);
            assertThat(new Http.Response(read).json().at("/status/latestCreatedRevision").asString()).isEqualTo("hello-00001");
            assertThat(Files.readString(dataDir.resolve("admin-token")).trim()).as("the token is not replaced").isEqualTo(token);
        }
    }

    @Test
    void aDatabaseServerLeftRunningByAKilledEbbIsStoppedAndTheDataKept() throws Exception {
        Path log = dataDir.resolve("killed-ebb.log");
        String java = ProcessHandle.current().info().command().orElse("java");
        Process killed = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"), EbbApplication.class.getName(),
                "--server.port=0", "--ebb.data-dir=" + dataDir, "--ebb.bootstrap-token=kill-test")
                .redirectErrorStream(true)
                .redirectOutput(log.toFile())
                .start();
        try {
            await().atMost(Duration.ofSeconds(120)).until(() -> Files.readString(log).contains("accepts the value of EBB_BOOTSTRAP_TOKEN"));
        } finally {
            killed.destroyForcibly().waitFor();
        }
        long leftoverPid = Long.parseLong(Files.readAllLines(dataDir.resolve("postgres/postmaster.pid")).get(0).trim());
        assertThat(ProcessHandle.of(leftoverPid).map(ProcessHandle::isAlive)).as("SIGKILL leaves the server behind").contains(true);

        try (ConfigurableApplicationContext next = start()) {
            assertThat(ProcessHandle.of(leftoverPid).map(ProcessHandle::isAlive)).as("the leftover server").isNotEqualTo(Optional.of(true));
            HttpResponse<String> read = call(next, "kill-test", "GET", "/api/v1/namespaces/default/services", null);
            assertThat(read.statusCode()).as(read.body()).isEqualTo(200);
        }
    }

    @Test
    void twoEbbsCannotShareADataDirectory() {
        try (ConfigurableApplicationContext first = start()) {
            assertThatThrownBy(this::start).rootCause().hasMessageContaining("Another Ebb (pid " + ProcessHandle.current().pid() + ") is running with the data directory");
            assertThat(first.isActive()).isTrue();
        }
    }
}
