package dev.ebb.resilience;

import static dev.ebb.support.Services.path;
import static dev.ebb.support.Services.withImage;
import static org.assertj.core.api.Assertions.assertThat;

import dev.ebb.support.ApiTest;
import dev.ebb.support.Services;
import org.junit.jupiter.api.Test;

/** Scenario 8 at the size of the test suite: a thousand generated hostile requests over every operation of the API. */
class ApiFuzzingTest extends ApiTest {

    @Test
    void hostileRequestsToEveryOperationGetProblemsNeverA5xxAndChangeNothing() {
        String ns = Services.freshNamespace();
        assertThat(http().post(path(ns), withImage("fixture", "registry.example/model:1")).status()).isEqualTo(201);

        ApiFuzzing.Result result = new ApiFuzzing(http(), ns, "fixture").run(1000, 15L);

        assertThat(result.cases()).isEqualTo(1000);
        assertThat(result.serverErrors()).isZero();
        assertThat(result.operations()).as("every operation of the API document").isGreaterThan(40);
    }
}
