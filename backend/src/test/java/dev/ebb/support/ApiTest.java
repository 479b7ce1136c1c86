package dev.ebb.support;

import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * Base of tests that run the whole application on a random port against the test database and call
 * it over real HTTP. Each test works in its own namespace, so tests never see each other's services.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
public abstract class ApiTest {

    public static final String TOKEN = "test-admin-token";

    @TempDir
    static Path dataDir;

    @Value("${local.server.port}")
    protected int port;

    @DynamicPropertySource
    static void database(DynamicPropertyRegistry registry) {
        TestDatabase.Coordinates db = TestDatabase.shared();
        registry.add("ebb.database.url", db::url);
        registry.add("ebb.database.username", db::username);
        registry.add("ebb.database.password", db::password);
        registry.add("ebb.bootstrap-token", () -> TOKEN);
        registry.add("ebb.data-dir", () -> dataDir.toString());
    }

    protected Http http() {
        return new Http("http://localhost:" + port, TOKEN);
    }

    protected Http anonymous() {
        return new Http("http://localhost:" + port, null);
    }
}
