package dev.ebb.coldstart;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class ColdStartStatsTest {

    private static ColdStartStats.Sample sample(String revision, long totalMs) {
        return new ColdStartStats.Sample(revision, totalMs);
    }

    @Test
    void eachRevisionIsSummedUpAgainstTheSloNewestRevisionFirst() {
        List<ColdStartStats.Sample> samples = List.of(sample("hello-00001", 3000), sample("hello-00002", 400),
                sample("hello-00001", 1000), sample("hello-00001", 12000), sample("hello-00001", 2000));

        List<ColdStartStats.RevisionSummary> summaries = ColdStartStats.summarize(samples, Duration.ofSeconds(10));

        assertThat(summaries).containsExactly(
                new ColdStartStats.RevisionSummary("hello-00002", 1, 400, 400, 400, 1.0),
                new ColdStartStats.RevisionSummary("hello-00001", 4, 2000, 12000, 12000, 0.75));
    }

    @Test
    void noSamplesNoSummaries() {
        assertThat(ColdStartStats.summarize(List.of(), Duration.ofSeconds(10))).isEmpty();
    }
}
