package dev.ebb.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ebb.problem.InvalidInputException;
import dev.ebb.service.LabelSelector.Operator;
import dev.ebb.service.LabelSelector.Requirement;
import org.junit.jupiter.api.Test;

class LabelSelectorTest {

    @Test
    void equalityInequalityAndExistenceTermsAreReadInOrder() {
        assertThat(LabelSelector.parse("team=ml, tier != batch,gpu,env==prod,example.com/owner=").requirements()).containsExactly(
                new Requirement("team", Operator.EQUALS, "ml"),
                new Requirement("tier", Operator.NOT_EQUALS, "batch"),
                new Requirement("gpu", Operator.EXISTS, null),
                new Requirement("env", Operator.EQUALS, "prod"),
                new Requirement("example.com/owner", Operator.EQUALS, ""));
    }

    @Test
    void noSelectorSelectsEverything() {
        assertThat(LabelSelector.parse(null)).isEqualTo(LabelSelector.EVERYTHING);
        assertThat(LabelSelector.parse("  ").requirements()).isEmpty();
    }

    @Test
    void setBasedTermsAreRefusedWholeAndNamed() {
        assertRefused("team=ml,tier in (a,b)", "'tier in (a,b)' is a set-based selector");
        assertRefused("!gpu", "'!gpu' is a set-based selector");
    }

    @Test
    void keysAndValuesNoLabelCanHaveAreRefusedWithTheTerm() {
        assertRefused("team=m l", "term 'team=m l' has the value 'm l'");
        assertRefused("-team=ml", "term '-team=ml' has the key '-team'");
        assertRefused("team=ml,", "empty term");
        assertRefused("a=b=c", "term 'a=b=c' has the value 'b=c'");
    }

    private static void assertRefused(String selector, String message) {
        assertThatThrownBy(() -> LabelSelector.parse(selector))
                .isInstanceOfSatisfying(InvalidInputException.class, e -> {
                    assertThat(e.status()).isEqualTo(400);
                    assertThat(e.violations().get(0).field()).isEqualTo("labelSelector");
                    assertThat(e.getMessage()).contains(message);
                });
    }
}
