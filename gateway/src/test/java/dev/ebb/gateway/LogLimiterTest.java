package dev.ebb.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class LogLimiterTest {

    private static final long MINUTE = TimeUnit.MINUTES.toNanos(1);

    @Test
    void eachAddressIsLoggedOnceAMinute() {
        LogLimiter limiter = new LogLimiter(MINUTE, 100);

        assertThat(limiter.admits("10.0.0.7", 0)).isTrue();
        assertThat(limiter.admits("10.0.0.7", MINUTE - 1)).isFalse();
        assertThat(limiter.admits("10.0.0.8", MINUTE - 1)).as("another address").isTrue();
        assertThat(limiter.admits("10.0.0.7", MINUTE)).isTrue();
        assertThat(limiter.admits("10.0.0.7", MINUTE + 1)).isFalse();
    }

    @Test
    void pastItsRoomANewAddressWaitsUntilAnOldOneIsForgotten() {
        LogLimiter limiter = new LogLimiter(MINUTE, 2);
        limiter.admits("a", 0);
        limiter.admits("b", 10);

        assertThat(limiter.admits("c", 20)).isFalse();
        assertThat(limiter.admits("c", MINUTE)).as("a is forgotten").isTrue();
        assertThat(limiter.admits("b", MINUTE + 5)).isFalse();
    }
}
