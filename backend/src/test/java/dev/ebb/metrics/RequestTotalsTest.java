package dev.ebb.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ebb.feed.LatencyBuckets;
import dev.ebb.feed.LoadReport;
import dev.ebb.feed.RequestStats;
import io.prometheus.metrics.model.snapshots.CounterSnapshot;
import io.prometheus.metrics.model.snapshots.HistogramSnapshot;
import io.prometheus.metrics.model.snapshots.MetricSnapshot;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

class RequestTotalsTest {

    private final AtomicReference<Instant> now = new AtomicReference<>(Instant.parse("2026-12-02T10:00:00Z"));
    private final Clock clock = new Clock() {
        @Override
        public ZoneOffset getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now.get();
        }
    };

    private static LoadReport report(String revision, String tag, long ok, long refused) {
        long[] counts = new long[LatencyBuckets.SLOTS];
        counts[LatencyBuckets.slot(20_000_000)] = ok + refused;
        RequestStats stats = new RequestStats("web", tag, Map.of("2xx", ok), Map.of("503", refused), null,
                new RequestStats.Histogram(counts, 0.02 * (ok + refused)), null, null, null, 0, 100 * ok);
        return new LoadReport("gw", Instant.EPOCH, List.of(new LoadReport.RevisionLoad("ml", revision, 0, 0, 0, List.of(), List.of(stats))));
    }

    private static MetricSnapshot named(RequestTotals totals, String name) {
        return totals.collect().stream().filter(m -> m.getMetadata().getName().equals(name)).findFirst().orElseThrow();
    }

    @Test
    void reportsAddUpPerRevisionAndTagIntoCountersAndHistogramsWithTheGatewaysBuckets() {
        RequestTotals totals = new RequestTotals(clock);
        totals.add(report("web-00001", "", 3, 1));
        totals.add(report("web-00001", "", 2, 0));
        totals.add(report("web-00001", "canary", 1, 0));

        CounterSnapshot requests = (CounterSnapshot) named(totals, "ebb_requests");
        assertThat(requests.getDataPoints()).anySatisfy(p -> {
            assertThat(p.getLabels().get("tag")).isEmpty();
            assertThat(p.getLabels().get("origin")).isEqualTo("app");
            assertThat(p.getLabels().get("code_class")).isEqualTo("2xx");
            assertThat(p.getValue()).isEqualTo(5);
        }).anySatisfy(p -> {
            assertThat(p.getLabels().get("origin")).isEqualTo("gateway");
            assertThat(p.getLabels().get("code_class")).isEqualTo("5xx");
            assertThat(p.getValue()).isEqualTo(1);
        }).anySatisfy(p -> {
            assertThat(p.getLabels().get("tag")).isEqualTo("canary");
            assertThat(p.getValue()).isEqualTo(1);
        });
        HistogramSnapshot duration = (HistogramSnapshot) named(totals, "ebb_request_duration_seconds");
        HistogramSnapshot.HistogramDataPointSnapshot warm = duration.getDataPoints().stream()
                .filter(p -> p.getLabels().get("tag").isEmpty() && p.getLabels().get("start").equals("warm")).findFirst().orElseThrow();
        assertThat(warm.getCount()).isEqualTo(6);
        assertThat(warm.getClassicBuckets().size()).isEqualTo(LatencyBuckets.SLOTS);
        assertThat(warm.getClassicBuckets().getUpperBound(0)).isEqualTo(0.005);
        assertThat(warm.getSum()).isCloseTo(0.12, org.assertj.core.data.Offset.offset(1e-9));
    }

    @Test
    void aSeriesIdleForAnHourIsDropped() {
        RequestTotals totals = new RequestTotals(clock);
        totals.add(report("web-00001", "", 1, 0));
        now.set(now.get().plus(RequestTotals.IDLE).plusSeconds(1));
        totals.add(report("web-00002", "", 1, 0));

        CounterSnapshot requests = (CounterSnapshot) named(totals, "ebb_requests");
        assertThat(requests.getDataPoints()).extracting(p -> p.getLabels().get("revision")).containsOnly("web-00002");
    }
}
