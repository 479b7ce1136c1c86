package dev.ebb.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * Base of tests that run the whole application on a random port against the test database and call
 * it over real HTTP. Each test works in its own namespace, so tests never see each other's services.
 * The runtime is off: these tests compare stored state before and after a request, and a runtime
 * changing revision statuses in between would make them flaky. Subclasses that test the runtime
 * declare their own {@code @SpringBootTest} with it on.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = "ebb.runtime.enabled=false")
public abstract class ApiTest {

    public static final String TOKEN = "test-admin-token";

    /**
     * Not a {@code @TempDir}: the Spring context, and the runtime's instances in it, outlive a test class
     * (contexts are cached across classes), so JUnit would delete the directory under their feet.
     */
    private static final Path DATA_DIR = createDataDir();

    @Value("${local.server.port}")
    protected int port;

    @DynamicPropertySource
    static void database(DynamicPropertyRegistry registry) {
        application(registry, TestDatabase.shared());
    }

    /** The settings of an application under test that keeps its data in {@code db}. */
    public static void application(DynamicPropertyRegistry registry, TestDatabase.Coordinates db) {
        registry.add("ebb.database.url", db::url);
        registry.add("ebb.database.username", db::username);
        registry.add("ebb.database.password", db::password);
        registry.add("ebb.bootstrap-token", () -> TOKEN);
        registry.add("ebb.data-dir", DATA_DIR::toString);
    }

    private static Path createDataDir() {
        try {
            return Files.createTempDirectory("ebb-api-test");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    protected Http http() {
        return new Http("http://localhost:" + port, TOKEN);
    }

    protected Http anonymous() {
        return new Http("http://localhost:" + port, null);
    }
}
