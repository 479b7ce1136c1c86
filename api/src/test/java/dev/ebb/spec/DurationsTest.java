package dev.ebb.spec;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class DurationsTest {

    @Test
    void readsGoStyleDurations() {
        assertThat(Durations.parse("10s")).contains(Duration.ofSeconds(10));
        assertThat(Durations.parse("1m30s")).contains(Duration.ofSeconds(90));
        assertThat(Durations.parse("500ms")).contains(Duration.ofMillis(500));
        assertThat(Durations.parse("1.5s")).contains(Duration.ofMillis(1500));
        assertThat(Durations.parse("2h")).contains(Duration.ofHours(2));
    }

    @Test
    void rejectsTextThatIsNotADuration() {
        assertThat(Durations.parse("10")).isEmpty();
        assertThat(Durations.parse("ten seconds")).isEmpty();
        assertThat(Durations.parse("-5s")).isEmpty();
        assertThat(Durations.parse("")).isEmpty();
        assertThat(Durations.parse(null)).isEmpty();
    }

    @Test
    void equalDurationsHaveOneSpelling() {
        assertThat(Durations.format(Durations.parse("60s").orElseThrow())).isEqualTo("1m");
        assertThat(Durations.format(Durations.parse("1m").orElseThrow())).isEqualTo("1m");
        assertThat(Durations.format(Duration.ofSeconds(90))).isEqualTo("90s");
        assertThat(Durations.format(Duration.ofMillis(1500))).isEqualTo("1500ms");
        assertThat(Durations.format(Duration.ofHours(1))).isEqualTo("1h");
        assertThat(Durations.format(Duration.ZERO)).isEqualTo("0s");
    }
}
