package dev.ebb.support;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.UUID;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.postgresql.PostgreSQLContainer;

/**
 * The real PostgreSQL the tests run against, one per test JVM: {@code EBB_TEST_DATABASE_URL} when set,
 * a Testcontainers PostgreSQL when a Docker engine is reachable, an embedded one otherwise. The test
 * code is the same in all three cases.
 */
public final class TestDatabase {

    /** How to reach a database. */
    public record Coordinates(String url, String username, String password) {
    }

    private static Coordinates server;

    private TestDatabase() {
    }

    /** The shared database every Spring test context uses. */
    public static synchronized Coordinates shared() {
        if (server == null) {
            server = start();
        }
        return server;
    }

    /** A new, empty database on the shared server, for tests that must start from nothing. */
    public static Coordinates fresh() {
        Coordinates shared = shared();
        String name = "fresh_" + UUID.randomUUID().toString().replace("-", "");
        try (Connection connection = DriverManager.getConnection(shared.url(), shared.username(), shared.password())) {
            connection.createStatement().execute("create database " + name);
        } catch (SQLException e) {
            throw new IllegalStateException("could not create test database " + name, e);
        }
        int slash = shared.url().lastIndexOf('/');
        int query = shared.url().indexOf('?', slash);
        String url = shared.url().substring(0, slash + 1) + name + (query < 0 ? "" : shared.url().substring(query));
        return new Coordinates(url, shared.username(), shared.password());
    }

    private static Coordinates start() {
        String external = System.getenv("EBB_TEST_DATABASE_URL");
        if (external != null && !external.isBlank()) {
            return new Coordinates(external, System.getenv("EBB_TEST_DATABASE_USERNAME"), System.getenv("EBB_TEST_DATABASE_PASSWORD"));
        }
        if (dockerAvailable()) {
            PostgreSQLContainer container = new PostgreSQLContainer("postgres:16-alpine");
            container.start();
            Runtime.getRuntime().addShutdownHook(new Thread(container::stop));
            return new Coordinates(container.getJdbcUrl(), container.getUsername(), container.getPassword());
        }
        try {
            EmbeddedPostgres postgres = EmbeddedPostgres.start();
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                try {
                    postgres.close();
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }));
            return new Coordinates(postgres.getJdbcUrl("postgres", "postgres"), "postgres", "postgres");
        } catch (IOException e) {
            throw new UncheckedIOException("could not start the embedded PostgreSQL for tests", e);
        }
    }

    /** Asks Testcontainers only where an engine could be, so a machine without one logs no errors. */
    private static boolean dockerAvailable() {
        boolean engineConfigured = System.getenv("DOCKER_HOST") != null
                || Files.exists(Path.of("/var/run/docker.sock"))
                || Files.exists(Path.of(System.getProperty("user.home"), ".testcontainers.properties"));
        if (!engineConfigured) {
            return false;
        }
        try {
            return DockerClientFactory.instance().isDockerAvailable();
        } catch (RuntimeException e) {
            return false;
        }
    }
}
