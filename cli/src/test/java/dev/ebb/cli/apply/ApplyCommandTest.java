package dev.ebb.cli.apply;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ApplyCommandTest {

    @Test
    void aWarningHeaderIsShownAsItsTextUnescaped() {
        assertThat(ApplyCommand.warningText("299 - \"no \\\"networking.knative.dev/visibility\\\" label: stays cluster-local\""))
                .isEqualTo("no \"networking.knative.dev/visibility\" label: stays cluster-local");
        assertThat(ApplyCommand.warningText("299 - \"a \\\\ b\"")).isEqualTo("a \\ b");
        assertThat(ApplyCommand.warningText("not quoted")).isEqualTo("not quoted");
    }
}
