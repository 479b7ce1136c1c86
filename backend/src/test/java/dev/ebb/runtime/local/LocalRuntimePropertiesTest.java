package dev.ebb.runtime.local;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class LocalRuntimePropertiesTest {

    private final LocalRuntimeProperties properties = new LocalRuntimeProperties(Duration.ofMillis(25), Duration.ofSeconds(1),
            Duration.ofMillis(300), Duration.ofSeconds(10), Duration.ofSeconds(600), 3, Duration.ofMillis(200),
            Duration.ofSeconds(10), 1000, Duration.ofSeconds(1), 500, 8);

    @Test
    void restartsBackOffExponentiallyUpToTheCap() {
        assertThat(properties.backoffAfter(1)).isEqualTo(Duration.ofMillis(200));
        assertThat(properties.backoffAfter(2)).isEqualTo(Duration.ofMillis(400));
        assertThat(properties.backoffAfter(4)).isEqualTo(Duration.ofMillis(1600));
        assertThat(properties.backoffAfter(20)).isEqualTo(Duration.ofSeconds(10));
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
