package dev.ebb.runtime.local;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ArgvTest {

    @Test
    void portAndOtherVariablesExpandInArguments() {
        assertThat(Argv.expand(List.of("python3", "-m", "http.server", "$(PORT)", "--dir=$(MODEL_DIR)/v1"),
                Map.of("PORT", "41234", "MODEL_DIR", "/models")))
                .containsExactly("python3", "-m", "http.server", "41234", "--dir=/models/v1");
    }

    @Test
    void unknownReferencesStayAndDoubleDollarEscapes() {
        assertThat(Argv.expand("$(NOPE) costs $$(PORT) $$5", Map.of("PORT", "1"))).isEqualTo("$(NOPE) costs $(PORT) $5");
    }
}
