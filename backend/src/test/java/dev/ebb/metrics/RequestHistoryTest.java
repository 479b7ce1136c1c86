package dev.ebb.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ebb.feed.LatencyBuckets;
import dev.ebb.feed.LoadReport;
import dev.ebb.feed.RequestStats;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RequestHistoryTest {

    private static final Instant T0 = Instant.parse("2026-12-02T10:00:00Z");

    /** {@code ok} answers of 2xx and {@code failed} of 5xx by the instance, warm, each taking {@code millis}. */
    private static LoadReport report(String revision, long ok, long failed, Map<String, Long> byGateway, long millis, long cold) {
        long[] warm = new long[LatencyBuckets.SLOTS];
        warm[LatencyBuckets.slot(millis * 1_000_000)] = ok + failed;
        long[] coldCounts = new long[LatencyBuckets.SLOTS];
        coldCounts[LatencyBuckets.slot(2_000_000_000L)] = cold;
        RequestStats stats = new RequestStats("web", "", Map.of("2xx", ok + cold, "5xx", failed), byGateway, null,
                new RequestStats.Histogram(warm, (ok + failed) * millis / 1000.0), null,
                new RequestStats.Histogram(coldCounts, cold * 2.0), null, 0, 0);
        return new LoadReport("gw", T0, List.of(new LoadReport.RevisionLoad("ml", revision, 0, 0, 0, List.of(), List.of(stats))));
    }

    @Test
    void reportsInOneStepAddUpAndLatenciesAreReadWarmAndAll() {
        RequestHistory history = new RequestHistory();
        history.add(T0.plusSeconds(1), report("web-00001", 90, 5, Map.of("503", 5L), 40, 0));
        history.add(T0.plusSeconds(2), report("web-00001", 0, 0, Map.of(), 40, 10));

        RequestHistory.RevisionRequests requests = history.of("ml", "web", T0, T0.plusSeconds(10)).get(0);
        assertThat(requests.t()).containsExactly(T0.toEpochMilli());
        assertThat(requests.requestsPerSecond()).containsExactly(11.0);
        assertThat(requests.errorRate()[0]).isEqualTo(10.0 / 110);
        RequestHistory.Summary summary = requests.summary();
        assertThat(summary.requests()).isEqualTo(110);
        assertThat(summary.errors()).isEqualTo(10);
        assertThat(summary.gatewayErrors()).isEqualTo(5);
        assertThat(summary.coldRequests()).isEqualTo(10);
        assertThat(summary.warm().p99Ms()).as("warm ones took 40 ms").isBetween(25.0, 50.0);
        assertThat(summary.all().p99Ms()).as("the cold ones took 2 s").isBetween(1000.0, 2500.0);
        assertThat(summary.all().p50Ms()).isBetween(25.0, 50.0);
    }

    @Test
    void stepsWithoutRequestsHaveNoPointAndRevisionsComeNewestFirst() {
        RequestHistory history = new RequestHistory();
        history.add(T0, report("web-00001", 10, 0, Map.of(), 5, 0));
        history.add(T0.plusSeconds(30), report("web-00001", 20, 0, Map.of(), 5, 0));
        history.add(T0.plusSeconds(30), report("web-00002", 1, 0, Map.of(), 5, 0));

        List<RequestHistory.RevisionRequests> revisions = history.of("ml", "web", T0, T0.plusSeconds(40));
        assertThat(revisions).extracting(RequestHistory.RevisionRequests::revision).containsExactly("web-00002", "web-00001");
        assertThat(revisions.get(1).t()).containsExactly(T0.toEpochMilli(), T0.plusSeconds(30).toEpochMilli());
        assertThat(revisions.get(1).summary().requestsPerSecond()).as("30 requests over the 40 s asked for").isEqualTo(0.75);
        assertThat(history.of("ml", "web", T0.plusSeconds(20), T0.plusSeconds(40)).get(1).t()).hasSize(1);
        assertThat(history.of("ml", "other", T0, T0.plusSeconds(40))).isEmpty();
    }

    @Test
    void theLastMinutesRatesCoverEveryRevisionOfTheService() {
        RequestHistory history = new RequestHistory();
        history.add(T0, report("web-00001", 100, 0, Map.of(), 5, 0));
        history.add(T0.plusSeconds(61), report("web-00001", 30, 0, Map.of(), 5, 0));
        history.add(T0.plusSeconds(62), report("web-00002", 25, 5, Map.of(), 5, 0));

        RequestHistory.Rates rates = history.recent("ml", "web", T0.plusSeconds(70));
        assertThat(rates.requestsPerSecond()).as("60 requests in the 70 s back to the step of 10:00:10").isEqualTo(1.0);
        assertThat(rates.errorRate()).isEqualTo(5.0 / 60);
        assertThat(history.recent("ml", "idle", T0).errorRate()).isNull();
    }

    @Test
    void aRevisionWithoutRequestsForADayIsForgotten() {
        RequestHistory history = new RequestHistory();
        history.add(T0, report("web-00001", 1, 0, Map.of(), 5, 0));
        Instant later = T0.plus(Duration.ofHours(25));
        history.add(later, report("web-00002", 1, 0, Map.of(), 5, 0));

        assertThat(history.of("ml", "web", T0, later)).extracting(RequestHistory.RevisionRequests::revision)
                .containsExactly("web-00002");
    }
}
