package dev.ebb.overview;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ebb.coldstart.ColdStartSummaries;
import org.junit.jupiter.api.Test;

class ServiceSummaryTest {

    @Test
    void aP95AtTheSloIsWithinItAndAboveItIsNot() {
        assertThat(ServiceSummary.ColdStart.of("2500ms", new ColdStartSummaries.Summary(4, 2500L)))
                .isEqualTo(new ServiceSummary.ColdStart("2500ms", 2500, 4, 2500L, true));
        assertThat(ServiceSummary.ColdStart.of("2s", new ColdStartSummaries.Summary(4, 2001L)).withinSlo()).isFalse();
    }

    @Test
    void withoutColdStartsThereIsNoPercentileAndNoVerdict() {
        assertThat(ServiceSummary.ColdStart.of("1m", ColdStartSummaries.Summary.NONE))
                .isEqualTo(new ServiceSummary.ColdStart("1m", 60_000, 0, null, null));
    }
}
