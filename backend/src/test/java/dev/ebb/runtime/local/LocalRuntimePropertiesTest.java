package dev.ebb.runtime.local;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;

class LocalRuntimePropertiesTest {

    @Test
    void restartsBackOffAsKubernetesDoesByDefault() {
        LocalRuntimeProperties defaults = new Binder(new MapConfigurationPropertySource(Map.of()))
                .bindOrCreate("ebb.runtime.local", LocalRuntimeProperties.class);
        assertThat(defaults.backoff()).isEqualTo(new RestartBackoff(Duration.ofSeconds(10), Duration.ofMinutes(5), Duration.ofMinutes(10)));
    }

    @Test
    void aProgramIsLookedUpOnThePath() {
        assertThat(LocalRuntime.missingProgram("sh", "/nowhere:/bin:/usr/bin")).isEmpty();
        assertThat(LocalRuntime.missingProgram("no-such-program-ebb", "/bin:/usr/bin")).hasValueSatisfying(
                message -> assertThat(message).contains("'no-such-program-ebb' was not found on the PATH"));
        assertThat(LocalRuntime.missingProgram("/no/such/file", "/bin")).hasValueSatisfying(
                message -> assertThat(message).contains("'/no/such/file' does not exist"));
    }
}
