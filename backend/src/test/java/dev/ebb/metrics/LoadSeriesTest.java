package dev.ebb.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class LoadSeriesTest {

    @Test
    void aSecondRoundInTheSameStepReplacesTheFirst() {
        LoadSeries series = new LoadSeries(10, 1_000, 60_000);
        series.add(10_000, 1, 0, 0.5);
        series.add(10_400, 2, 1, 3.0);
        series.add(11_000, 2, 2, 4.0);

        LoadSeries.Points points = series.since(0, 11_000);
        assertThat(points.t()).containsExactly(10_400, 11_000);
        assertThat(points.desired()).containsExactly(2, 2);
        assertThat(points.ready()).containsExactly(1, 2);
        assertThat(points.sample()).containsExactly(3.0, 4.0);
    }

    @Test
    void aFullBufferDropsItsOldestPoint() {
        LoadSeries series = new LoadSeries(3, 1_000, 60_000);
        for (int second = 0; second < 5; second++) {
            series.add(second * 1_000L, second, second, second);
        }

        assertThat(series.size()).isEqualTo(3);
        assertThat(series.since(0, 4_000).t()).containsExactly(2_000, 3_000, 4_000);
    }

    @Test
    void pointsOlderThanTheWindowAreDroppedAndNeverShown() {
        LoadSeries series = new LoadSeries(100, 1_000, 5_000);
        series.add(0, 1, 1, 1);
        series.add(3_000, 1, 1, 1);
        series.add(7_000, 1, 1, 1);

        assertThat(series.since(0, 7_000).t()).containsExactly(3_000, 7_000);
        assertThat(series.since(0, 9_000).t()).as("read later, the window has moved on").containsExactly(7_000);
        assertThat(series.since(5_000, 7_000).t()).containsExactly(7_000);
    }

    @Test
    void aClockGoingBackAddsNothingOutOfOrder() {
        LoadSeries series = new LoadSeries(10, 1_000, 60_000);
        series.add(5_000, 1, 1, 1);
        series.add(3_000, 2, 2, 2);

        assertThat(series.since(0, 5_000).t()).containsExactly(5_000);
    }
}
