package dev.ebb.autoscaler;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ebb.feed.LoadReport;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** What the gateways' reports say of each revision's load, and when they say nothing the autoscaler may decide on. */
class ReportedLoadTest {

    private static final Instant T0 = Instant.parse("2026-12-03T12:00:00Z");

    private static LoadReport report(String gateway, Instant at, LoadReport.RevisionLoad... revisions) {
        return new LoadReport(gateway, at, List.of(revisions));
    }

    private static LoadReport.RevisionLoad held(String revision, int queued) {
        return new LoadReport.RevisionLoad("ns", revision, queued, 0, queued, List.of());
    }

    private static LoadReport.RevisionLoad idle(String revision) {
        return new LoadReport.RevisionLoad("ns", revision, 0, 0, 0, List.of());
    }

    @Test
    void freshReportsOfSeveralGatewaysAddUp() {
        ReportedLoad load = ReportedLoad.of(List.of(report("a", T0, held("r-00001", 3)), report("b", T0.minusSeconds(2),
                held("r-00001", 4))), T0);

        assertThat(load.byRevision().get("ns/r-00001")).extracting(ReportedLoad.Reported::concurrency).containsExactly(3.0, 4.0);
        assertThat(load.unknown()).isEmpty();
    }

    @Test
    void aGatewayFallenSilentWhileHoldingRequestsLeavesTheirRevisionUnknownNotIdle() {
        // The control plane stopped taking this gateway's reports while a thousand requests waited in it.
        ReportedLoad load = ReportedLoad.of(List.of(report("a", T0.minusSeconds(5), held("cold-00001", 1000), idle("warm-00001")),
                report("b", T0, idle("cold-00001"))), T0);

        assertThat(load.unknown()).containsOnlyKeys("ns/cold-00001");
        assertThat(load.unknown().get("ns/cold-00001")).isEqualTo(Set.of("a"));
        assertThat(load.byRevision().get("ns/cold-00001")).as("what the fresh gateway says still counts")
                .extracting(ReportedLoad.Reported::concurrency).containsExactly(0.0);
        assertThat(load.byRevision()).as("a silent gateway's idle revisions are idle").doesNotContainKey("ns/warm-00001");
    }

    @Test
    void aGatewaySilentForLongIsTakenForGoneAndItsRequestsWithIt() {
        LoadReport last = report("a", T0.minus(ReportedLoad.FORGOTTEN).minusMillis(1), held("cold-00001", 1000));

        assertThat(ReportedLoad.forgotten(last, T0)).isTrue();
        assertThat(ReportedLoad.of(List.of(last), T0).unknown()).isEmpty();
        assertThat(ReportedLoad.of(List.of(last), T0).byRevision()).isEmpty();
    }

    @Test
    void aReportJustWithinFreshnessStillCountsAsLoad() {
        ReportedLoad load = ReportedLoad.of(List.of(report("a", T0.minus(ReportedLoad.FRESHNESS), held("r-00001", 2))), T0);

        assertThat(load.byRevision()).containsKey("ns/r-00001");
        assertThat(load.unknown()).isEmpty();
    }
}
