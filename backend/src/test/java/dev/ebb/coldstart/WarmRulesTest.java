package dev.ebb.coldstart;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ebb.problem.FieldViolation;
import dev.ebb.problem.InvalidInputException;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class WarmRulesTest {

    @Test
    void noBodyMeansOneInstanceOfTheLatestRevisionForTenMinutes() {
        assertThat(WarmRules.check(null)).isEqualTo(new WarmRules.Desired(null, 1, Duration.ofMinutes(10)));
    }

    @Test
    void givenValuesAreKept() {
        assertThat(WarmRules.check(new WarmBody("hello-00002", 3, "1h30m")))
                .isEqualTo(new WarmRules.Desired("hello-00002", 3, Duration.ofMinutes(90)));
    }

    @Test
    void everyFieldOutsideItsLimitsIsNamedAtOnce() {
        assertThatThrownBy(() -> WarmRules.check(new WarmBody(" ", 1001, "25h")))
                .isInstanceOfSatisfying(InvalidInputException.class, e -> {
                    assertThat(e.status()).isEqualTo(422);
                    assertThat(e.violations()).extracting(FieldViolation::field)
                            .containsExactlyInAnyOrder("revision", "instances", "duration");
                });
    }

    @Test
    void aDurationThatIsNotOneIsNamed() {
        assertThatThrownBy(() -> WarmRules.check(new WarmBody(null, 0, "2d")))
                .isInstanceOfSatisfying(InvalidInputException.class, e -> assertThat(e.violations())
                        .extracting(FieldViolation::message)
                        .anySatisfy(m -> assertThat(m).contains("'2d' is not a duration"))
                        .anySatisfy(m -> assertThat(m).contains("between 1 and 1000, is 0")));
    }
}
