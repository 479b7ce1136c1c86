package dev.ebb.service;

import static dev.ebb.support.Services.path;
import static org.assertj.core.api.Assertions.assertThat;

import dev.ebb.support.ApiTest;
import dev.ebb.support.Http;
import dev.ebb.support.Services;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;

/** A namespace holds at most so many services; the next create is refused with the fix, and nothing else changes. */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = "ebb.api.max-services-per-namespace=2")
class NamespaceQuotaTest extends ApiTest {

    private final String ns = Services.freshNamespace();

    @Test
    void aFullNamespaceRefusesTheNextServiceWithTheLimitAndWhatToDo() {
        assertThat(http().post(path(ns), Services.withImage("one", "nginx")).status()).isEqualTo(201);
        assertThat(http().post(path(ns), Services.withImage("two", "nginx")).status()).isEqualTo(201);

        Http.Response refused = http().post(path(ns), Services.withImage("three", "nginx"));

        assertThat(refused.status()).isEqualTo(409);
        assertThat(refused.contentType()).startsWith("application/problem+json");
        assertThat(refused.json().get("type").asString()).endsWith("quota-exceeded");
        assertThat(refused.json().get("detail").asString()).contains("'" + ns + "' holds 2 services",
                "EBB_API_MAX_SERVICES_PER_NAMESPACE=2", "delete services");
        assertThat(http().get(path(ns, "three")).status()).as("nothing stored").isEqualTo(404);
        assertThat(http().post(path(Services.freshNamespace()), Services.withImage("three", "nginx")).status())
                .as("another namespace has room").isEqualTo(201);
        assertThat(http().put(path(ns, "two"), Services.withImage("two", "nginx:2")).status())
                .as("the services it holds still change").isEqualTo(200);
    }
}
