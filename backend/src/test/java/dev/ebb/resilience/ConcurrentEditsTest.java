package dev.ebb.resilience;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ebb.support.ApiTest;
import dev.ebb.support.Services;
import org.junit.jupiter.api.Test;

/** Scenario 9 at the size of the test suite: eight writers, ten conditional edits each, on one service. */
class ConcurrentEditsTest extends ApiTest {

    @Test
    void everyConcurrentConditionalEditAppliesOrGets412AndStateAndAuditAgree() throws Exception {
        ConcurrentEdits.Result result = ConcurrentEdits.run(http(), Services.freshNamespace(), "edited", 8, 10);

        assertThat(result.everyWriteAppliedOrStale()).as(result.toString()).isTrue();
        assertThat(result.applied()).as("someone always wins").isPositive();
        assertThat(result.stateAndAuditAgree()).as(result.toString()).isTrue();
    }
}
