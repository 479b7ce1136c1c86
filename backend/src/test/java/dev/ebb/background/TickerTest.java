package dev.ebb.background;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class TickerTest {

    @Test
    void aWakeRunsTheNextRoundWithoutWaitingForTheTick() {
        AtomicInteger rounds = new AtomicInteger();
        try (Ticker ticker = new Ticker("test-ticker", Duration.ofHours(1), rounds::incrementAndGet, e -> { })) {
            ticker.start();
            await().atMost(Duration.ofSeconds(5)).until(() -> rounds.get() == 1);
            ticker.wake();
            await().atMost(Duration.ofSeconds(5)).until(() -> rounds.get() == 2);
        }
    }

    @Test
    void aRoundThatLeftWorkComesBackAfterTheShortPauseAndAnIdleOneWaitsForAWake() {
        AtomicInteger rounds = new AtomicInteger();
        // The first three rounds leave work behind (pause 1 ms); from then on the loop is idle for an hour.
        try (Ticker ticker = new Ticker("test-ticker", () -> rounds.get() < 3 ? Duration.ofMillis(1) : Duration.ofHours(1),
                rounds::incrementAndGet, e -> { })) {
            ticker.start();
            await().atMost(Duration.ofSeconds(5)).until(() -> rounds.get() == 3);
            ticker.wake();
            await().atMost(Duration.ofSeconds(5)).until(() -> rounds.get() == 4);
        }
    }

    @Test
    void aRoundThatThrowsDoesNotStopTheLoop() {
        AtomicInteger failures = new AtomicInteger();
        try (Ticker ticker = new Ticker("test-ticker", Duration.ofMillis(5), () -> {
            throw new IllegalStateException("bad round");
        }, e -> failures.incrementAndGet())) {
            ticker.start();
            await().atMost(Duration.ofSeconds(5)).until(() -> failures.get() >= 3);
        }
        assertThat(failures.get()).isGreaterThanOrEqualTo(3);
    }
}
