package dev.ebb.runtime.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class RestartBackoffTest {

    private final RestartBackoff kubernetes = new RestartBackoff(Duration.ofSeconds(10), Duration.ofMinutes(5), Duration.ofMinutes(10));
    private final Duration quickCrash = Duration.ofMillis(30);

    @Test
    void theFirstCrashWaitsTheInitialDelay() {
        assertThat(kubernetes.next(null, quickCrash)).isEqualTo(Duration.ofSeconds(10));
    }

    @Test
    void eachCrashInARowDoublesTheWaitUpToFiveMinutes() {
        Duration wait = null;
        StringBuilder waits = new StringBuilder();
        for (int crash = 1; crash <= 8; crash++) {
            wait = kubernetes.next(wait, quickCrash);
            waits.append(wait.toSeconds()).append(' ');
        }
        assertThat(waits.toString().trim()).isEqualTo("10 20 40 80 160 300 300 300");
    }

    @Test
    void aRunOfTenMinutesStartsTheCountAgain() {
        assertThat(kubernetes.next(Duration.ofMinutes(5), Duration.ofMinutes(10))).isEqualTo(Duration.ofSeconds(10));
        assertThat(kubernetes.next(Duration.ofSeconds(40), Duration.ofMinutes(9).plusSeconds(59))).isEqualTo(Duration.ofSeconds(80));
    }

    @Test
    void aZeroInitialDelayRestartsAtOnceEveryTime() {
        RestartBackoff none = new RestartBackoff(Duration.ZERO, Duration.ofMillis(400), Duration.ofMinutes(10));
        assertThat(none.next(null, quickCrash)).isZero();
        assertThat(none.next(Duration.ZERO, quickCrash)).isZero();
    }

    @Test
    void aCapBelowTheInitialDelayIsRefusedNamingBothSettings() {
        assertThatThrownBy(() -> new RestartBackoff(Duration.ofSeconds(10), Duration.ofSeconds(1), Duration.ofMinutes(10)))
                .hasMessageContaining("ebb.runtime.local.restart-backoff").hasMessageContaining("max-restart-backoff");
    }
}
