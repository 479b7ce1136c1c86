package dev.ebb.database;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import dev.ebb.EbbApplication;
import dev.ebb.support.Browser;
import dev.ebb.support.Http;
import dev.ebb.support.Ports;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * While PostgreSQL is down every call gets a quick 503 that says to retry, a token's and a signed-in person's alike
 * (sessions live in the database too), health says so, and Ebb recovers by itself with the same session. Each such
 * call is a line in the log, not an ERROR with a stack trace from the servlet container.
 */
class DatabaseOutageTest {

    private static final String TOKEN = "outage-test-token";
    private static final String PASSWORD = "correct horse battery";

    @TempDir
    Path directory;

    private static EmbeddedPostgres postgres(Path data, int port) throws Exception {
        return EmbeddedPostgres.builder().setDataDirectory(data).setCleanDataDirectory(false).setPort(port)
                .setRegisterShutdownHook(false).start();
    }

    @Test
    void callsDuringADatabaseOutageGet503WithRetryAfterAndEbbRecoversWhenItReturns() throws Exception {
        Path data = directory.resolve("postgres");
        EmbeddedPostgres database = postgres(data, Ports.restartable());
        int port = database.getPort();
        try (ConfigurableApplicationContext app = new SpringApplicationBuilder(EbbApplication.class).run("--server.port=0",
                "--ebb.data-dir=" + directory.resolve("ebb"), "--ebb.database.url=" + database.getJdbcUrl("postgres", "postgres"),
                "--ebb.database.username=postgres", "--ebb.database.password=postgres", "--ebb.bootstrap-token=" + TOKEN,
                "--ebb.runtime.enabled=false", "--ebb.gateway.enabled=false", "--ebb.security.password-hash-cost=4")) {
            Http http = new Http("http://localhost:" + app.getEnvironment().getProperty("local.server.port"), TOKEN);
            assertThat(http.post("/api/v1/namespaces/ml/services", "{\"name\": \"hello\", \"template\": {\"image\": \"nginx\"}}")
                    .status()).isEqualTo(201);
            assertThat(http.post("/api/v1/users", "{\"username\": \"sre\", \"password\": \"" + PASSWORD
                    + "\", \"grants\": [{\"namespace\": \"ml\", \"role\": \"viewer\"}]}").status()).isEqualTo(201);
            Browser browser = new Browser("http://localhost:" + app.getEnvironment().getProperty("local.server.port"));
            assertThat(browser.signIn("sre", PASSWORD).statusCode()).isEqualTo(200);

            ListAppender<ILoggingEvent> container = new ListAppender<>();
            container.start();
            Logger tomcat = (Logger) LoggerFactory.getLogger("org.apache.catalina");
            tomcat.addAppender(container);
            database.close();

            for (String path : new String[] {"/api/v1/namespaces/ml/services/hello", "/api/v1/namespaces/ml/services"}) {
                Http.Response during = http.get(path);
                assertThat(during.status()).as(during.toString()).isEqualTo(503);
                assertThat(during.contentType()).startsWith("application/problem+json");
                assertThat(during.header("Retry-After")).isEqualTo("5");
                assertThat(during.json().get("type").asString()).isEqualTo("urn:ebb:problem:database-unavailable");
            }
            for (String path : new String[] {"/api/v1/session", "/api/v1/namespaces/ml/services"}) {
                HttpResponse<String> signedIn = browser.get(path);
                assertThat(signedIn.statusCode()).as(path + " with the session cookie: " + signedIn.body()).isEqualTo(503);
                assertThat(signedIn.headers().firstValue("Retry-After")).hasValue("5");
                assertThat(signedIn.body()).contains("urn:ebb:problem:database-unavailable");
            }
            tomcat.detachAppender(container);
            assertThat(container.list).filteredOn(e -> e.getLevel().isGreaterOrEqual(Level.ERROR))
                    .extracting(ILoggingEvent::getFormattedMessage).as("the servlet container's errors during the outage").isEmpty();
            Http anonymous = new Http("http://localhost:" + app.getEnvironment().getProperty("local.server.port"), null);
            Http.Response health = anonymous.get("/actuator/health");
            assertThat(health.status()).isEqualTo(503);
            assertThat(health.body()).contains("DOWN");

            EmbeddedPostgres back = postgres(data, port);
            try {
                await().atMost(Duration.ofSeconds(60)).untilAsserted(() ->
                        assertThat(http.get("/api/v1/namespaces/ml/services/hello").status()).isEqualTo(200));
                assertThat(anonymous.get("/actuator/health").status()).isEqualTo(200);
                assertThat(browser.get("/api/v1/session").body()).contains("\"name\":\"user:sre\"");
            } finally {
                back.close();
            }
        }
    }
}
