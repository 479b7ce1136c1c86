package dev.ebb.resilience;

import static dev.ebb.support.Services.path;
import static dev.ebb.support.Services.withImage;
import static org.assertj.core.api.Assertions.assertThat;

import dev.ebb.support.ApiTest;
import dev.ebb.support.Services;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Scenario 10 at the size of the test suite: every attempt to exhaust the host is refused with a clear problem. */
class ResourceExhaustionTest extends ApiTest {

    @Test
    void attemptsToExhaustTheHostAreRefusedWithAProblemAndTheApiStillAnswers() {
        String ns = Services.freshNamespace();
        http().post(path(ns), withImage("target", "registry.example/m:1"));
        String before = http().get(path(ns, "target")).header("ETag");

        List<ResourceExhaustion.Attempt> attempts = ResourceExhaustion.run(http(), port, TOKEN, ns, "target");

        assertThat(attempts).allSatisfy(attempt -> assertThat(attempt.refusedClearly()).as(attempt.toString()).isTrue());
        assertThat(http().get(path(ns, "target")).header("ETag")).as("nothing stored changed").isEqualTo(before);
        assertThat(http().get(path(ns, "greedy")).status()).isEqualTo(404);
    }
}
