package dev.ebb.feed;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.data.Offset.offset;

import java.util.Map;
import org.junit.jupiter.api.Test;

class LatencyBucketsTest {

    @Test
    void aLatencyCountsInTheFirstBucketWhoseBoundItDoesNotExceed() {
        assertThat(LatencyBuckets.slot(0)).isZero();
        assertThat(LatencyBuckets.slot(5_000_000)).isZero();
        assertThat(LatencyBuckets.slot(5_000_001)).isEqualTo(1);
        assertThat(LatencyBuckets.upperSeconds(LatencyBuckets.slot(60_000_000_000L))).isEqualTo(60);
        assertThat(LatencyBuckets.slot(61_000_000_000L)).isEqualTo(LatencyBuckets.SLOTS - 1);
        assertThat(LatencyBuckets.upperSeconds(LatencyBuckets.SLOTS - 1)).isInfinite();
    }

    @Test
    void quantilesInterpolateInsideTheirBucketLikePrometheus() {
        long[] counts = new long[LatencyBuckets.SLOTS];
        // 100 requests between 50 and 75 ms: the median lies halfway through that bucket.
        counts[LatencyBuckets.slot(60_000_000)] = 100;
        assertThat(LatencyBuckets.quantile(counts, 0.5)).isCloseTo(0.0625, offset(1e-9));
        assertThat(LatencyBuckets.quantile(counts, 1.0)).isCloseTo(0.075, offset(1e-9));
    }

    @Test
    void aQuantileInTheOverflowIsTheLastBoundAndNothingCountedHasNone() {
        long[] counts = new long[LatencyBuckets.SLOTS];
        assertThat(LatencyBuckets.quantile(counts, 0.99)).isNull();
        counts[LatencyBuckets.SLOTS - 1] = 1;
        assertThat(LatencyBuckets.quantile(counts, 0.99)).isEqualTo(60);
    }

    @Test
    void statsOfTwoGatewaysAddUp() {
        long[] one = new long[LatencyBuckets.SLOTS];
        one[2] = 1;
        RequestStats a = new RequestStats("web", "", Map.of("2xx", 1L), null, null, new RequestStats.Histogram(one, 0.02),
                null, null, null, 10, 20);
        RequestStats b = new RequestStats("web", "", Map.of("2xx", 2L, "5xx", 1L), Map.of("503", 4L), null,
                new RequestStats.Histogram(one, 0.01), null, null, null, 1, 2);

        RequestStats sum = a.plus(b);
        assertThat(sum.responses()).containsEntry("2xx", 3L).containsEntry("5xx", 1L);
        assertThat(sum.gatewayResponses()).containsEntry("503", 4L);
        assertThat(sum.requests()).isEqualTo(8);
        assertThat(sum.lastByte().count(2)).isEqualTo(2);
        assertThat(sum.lastByte().sumSeconds()).isCloseTo(0.03, offset(1e-12));
        assertThat(sum.requestBytes()).isEqualTo(11);
    }
}
