package dev.ebb.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.ContextConfiguration;
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
@ContextConfiguration(initializers = OwnRuntimeDirectory.class)
public abstract class ApiTest {

    public static final String TOKEN = "test-admin-token";

    /**
     * Not a {@code @TempDir}: the Spring context, and the runtime's instances in it, outlive a test class
     * (contexts are cached across classes), so JUnit would delete the directory under their feet.
     */
    private static final Path DATA_DIR = createDataDir();
    private static final Map<Integer, String> GATEWAY_TOKENS = new ConcurrentHashMap<>();

    @Value("${local.server.port}")
    protected int port;

    /**
     * A database of its own for each application under test: Spring keeps the contexts of earlier test classes alive,
     * and on one database a context with a runtime would run every service the others left behind (crash loops
     * included), and the contexts would compete for one leader's lock.
     */
    @DynamicPropertySource
    static void database(DynamicPropertyRegistry registry) {
        application(registry, TestDatabase.fresh());
    }

    /** The settings of an application under test that keeps its data in {@code db}. */
    public static void application(DynamicPropertyRegistry registry, TestDatabase.Coordinates db) {
        registry.add("ebb.database.url", db::url);
        registry.add("ebb.database.username", db::username);
        registry.add("ebb.database.password", db::password);
        registry.add("ebb.bootstrap-token", () -> TOKEN);
        registry.add("ebb.data-dir", DATA_DIR::toString);
        // bcrypt at its cheapest: tests create many users, and the cost is a production setting.
        registry.add("ebb.security.password-hash-cost", () -> "4");
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

    /** The value of a gateway token of this application, created once: gateways report load, admins do not. */
    protected String gatewayToken() {
        return GATEWAY_TOKENS.computeIfAbsent(port, p -> {
            Http.Response created = http().post("/api/v1/tokens", "{\"name\": \"test-gateway-" + UUID.randomUUID().toString().substring(0, 8)
                    + "\", \"kind\": \"gateway\"}");
            if (created.status() != 201) {
                throw new IllegalStateException("could not create a gateway token: " + created);
            }
            return created.json().get("value").asString();
        });
    }

    protected Http gateway() {
        return new Http("http://localhost:" + port, gatewayToken());
    }
}
