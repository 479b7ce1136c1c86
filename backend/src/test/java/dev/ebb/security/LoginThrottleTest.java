package dev.ebb.security;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class LoginThrottleTest {

    private final LoginThrottle throttle = new LoginThrottle(3, Duration.ofMinutes(15), Duration.ofSeconds(30), Duration.ofMinutes(5));
    private final Instant t0 = Instant.parse("2026-11-26T10:00:00Z");

    @Test
    void theFirstFailuresAreFree() {
        assertThat(throttle.failed("user:a", t0)).isEmpty();
        assertThat(throttle.failed("user:a", t0)).isEmpty();
        assertThat(throttle.failed("user:a", t0)).isEmpty();
        assertThat(throttle.lockedFor("user:a", t0)).isEmpty();
    }

    @Test
    void oneFailureTooManyLocksTheKeyAndTheLockoutDoubles() {
        for (int i = 0; i < 3; i++) {
            throttle.failed("user:a", t0);
        }
        assertThat(throttle.failed("user:a", t0)).contains(Duration.ofSeconds(30));
        assertThat(throttle.lockedFor("user:a", t0.plusSeconds(29))).contains(Duration.ofSeconds(1));
        assertThat(throttle.lockedFor("user:a", t0.plusSeconds(30))).isEmpty();
        assertThat(throttle.failed("user:a", t0.plusSeconds(30))).contains(Duration.ofSeconds(60));
        assertThat(throttle.failed("user:a", t0.plusSeconds(90))).contains(Duration.ofSeconds(120));
    }

    @Test
    void theLockoutNeverExceedsTheMaximum() {
        Instant now = t0;
        for (int i = 0; i < 30; i++) {
            throttle.failed("user:a", now);
        }
        assertThat(throttle.lockedFor("user:a", now)).contains(Duration.ofMinutes(5));
    }

    @Test
    void keysAreThrottledApart() {
        for (int i = 0; i < 4; i++) {
            throttle.failed("user:a", t0);
        }
        assertThat(throttle.lockedFor("user:a", t0)).isPresent();
        assertThat(throttle.lockedFor("user:b", t0)).isEmpty();
    }

    @Test
    void failuresOlderThanTheWindowAreForgotten() {
        for (int i = 0; i < 3; i++) {
            throttle.failed("user:a", t0);
        }
        assertThat(throttle.failed("user:a", t0.plus(Duration.ofMinutes(16)))).isEmpty();
    }

    @Test
    void aSuccessfulSignInClearsTheFailures() {
        for (int i = 0; i < 3; i++) {
            throttle.failed("user:a", t0);
        }
        throttle.succeeded("user:a");
        assertThat(throttle.failed("user:a", t0)).isEmpty();
    }
}
