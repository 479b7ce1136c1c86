package dev.ebb.database;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.ebb.EbbApplication;
import dev.ebb.support.Http;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

/** While PostgreSQL is down every call gets a quick 503 that says to retry, health says so, and Ebb recovers by itself. */
class DatabaseOutageTest {

    private static final String TOKEN = "outage-test-token";

    @TempDir
    Path directory;

    private static EmbeddedPostgres postgres(Path data, int port) throws Exception {
        return EmbeddedPostgres.builder().setDataDirectory(data).setCleanDataDirectory(false).setPort(port)
                .setRegisterShutdownHook(false).start();
    }

    @Test
    void callsDuringADatabaseOutageGet503WithRetryAfterAndEbbRecoversWhenItReturns() throws Exception {
        Path data = directory.resolve("postgres");
        EmbeddedPostgres database = postgres(data, 0);
        int port = database.getPort();
        try (ConfigurableApplicationContext app = new SpringApplicationBuilder(EbbApplication.class).run("--server.port=0",
                "--ebb.data-dir=" + directory.resolve("ebb"), "--ebb.database.url=" + database.getJdbcUrl("postgres", "postgres"),
                "--ebb.database.username=postgres", "--ebb.database.password=postgres", "--ebb.bootstrap-token=" + TOKEN,
                "--ebb.runtime.enabled=false", "--ebb.gateway.enabled=false")) {
            Http http = new Http("http://localhost:" + app.getEnvironment().getProperty("local.server.port"), TOKEN);
            assertThat(http.post("/api/v1/namespaces/ml/services", "{\"name\": \"hello\", \"template\": {\"image\": \"nginx\"}}")
                    .status()).isEqualTo(201);

            database.close();

            for (String path : new String[] {"/api/v1/namespaces/ml/services/hello", "/api/v1/namespaces/ml/services"}) {
                Http.Response during = http.get(path);
                assertThat(during.status()).as(during.toString()).isEqualTo(503);
                assertThat(during.contentType()).startsWith("application/problem+json");
                assertThat(during.header("Retry-After")).isEqualTo("5");
                assertThat(during.json().get("type").asString()).isEqualTo("urn:ebb:problem:database-unavailable");
            }
            Http anonymous = new Http("http://localhost:" + app.getEnvironment().getProperty("local.server.port"), null);
            Http.Response health = anonymous.get("/actuator/health");
            assertThat(health.status()).isEqualTo(503);
            assertThat(health.body()).contains("DOWN");

            EmbeddedPostgres back = postgres(data, port);
            try {
                await().atMost(Duration.ofSeconds(60)).untilAsserted(() ->
                        assertThat(http.get("/api/v1/namespaces/ml/services/hello").status()).isEqualTo(200));
                assertThat(anonymous.get("/actuator/health").status()).isEqualTo(200);
            } finally {
                back.close();
            }
        }
    }
}
