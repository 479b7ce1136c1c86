package dev.ebb.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class TimeWeightedTest {

    private static final long SECOND = 1_000_000_000L;

    @Test
    void oneRequestOpenForHalfASecondAveragesOneHalf() {
        TimeWeighted load = new TimeWeighted(0);
        load.open(SECOND / 4);
        load.close(SECOND / 4, 3 * SECOND / 4);
        assertThat(load.takeAverage(SECOND)).isCloseTo(0.5, within(1e-9));
    }

    @Test
    void aRequestStillOpenCountsUpToNowAndIntoTheNextInterval() {
        TimeWeighted load = new TimeWeighted(0);
        load.open(SECOND / 2);
        assertThat(load.takeAverage(SECOND)).isCloseTo(0.5, within(1e-9));
        assertThat(load.takeAverage(2 * SECOND)).isCloseTo(1.0, within(1e-9));
        load.close(SECOND / 2, 2 * SECOND + SECOND / 4);
        assertThat(load.takeAverage(3 * SECOND)).isCloseTo(0.25, within(1e-9));
        assertThat(load.open()).isZero();
    }

    @Test
    void overlappingRequestsAddUp() {
        TimeWeighted load = new TimeWeighted(0);
        for (int i = 0; i < 10; i++) {
            load.open(0);
        }
        for (int i = 0; i < 10; i++) {
            load.close(0, SECOND / 10 * (i + 1));
        }
        // 10 requests lasting 0.1 s, 0.2 s, ..., 1.0 s: 5.5 request-seconds in one second.
        assertThat(load.takeAverage(SECOND)).isCloseTo(5.5, within(1e-9));
    }

    @Test
    void anIdleIntervalAveragesZero() {
        TimeWeighted load = new TimeWeighted(0);
        load.open(0);
        load.close(0, SECOND);
        load.takeAverage(SECOND);
        assertThat(load.takeAverage(2 * SECOND)).isZero();
        assertThat(load.takeAverage(2 * SECOND)).as("an empty interval").isZero();
    }

    @Test
    void theAverageIsExactWhenTheClockWrapsAround() {
        long start = Long.MAX_VALUE - SECOND / 2;
        TimeWeighted load = new TimeWeighted(start);
        for (int i = 0; i < 3; i++) {
            load.open(start);
        }
        load.close(start, start + SECOND / 2);
        assertThat(load.takeAverage(start + SECOND)).isCloseTo(2.5, within(1e-9));
        assertThat(load.takeAverage(start + 2 * SECOND)).isCloseTo(2.0, within(1e-9));
    }
}
